// Scenario validation, timeline part: the fault schedule in time order
// (crash/restart, pause/resume, heal of earlier faults, cluster membership).
// See validate.h for why inconsistencies are errors.

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/descriptor.h"
#include "scenarios/slot_ranges.h"
#include "scenarios/suggest.h"
#include "scenarios/sv.h"
#include "scenarios/validate_context.h"

namespace slotsim::scenarios {
namespace {

struct NodeState {
  bool crashed = false;
  bool paused = false;
  int64_t since_ms = 0;  // when the current crash or pause began
};

struct Event {
  int64_t at_ms;
  int priority;  // 0: automatic undo of an earlier action; 1: an action
  int index;     // faults[index]
  bool operator<(const Event& o) const {
    if (at_ms != o.at_ms) return at_ms < o.at_ms;
    if (priority != o.priority) return priority < o.priority;
    return index < o.index;
  }
};

class Timeline {
 public:
  Timeline(const Cursor& root, Validator* ck) : root_(root), ck_(ck) {
    const Scenario& s = root.Get<Scenario>();
    if (s.topology().bootstrap_size() == 0) {
      for (const NodeLayout& n : ck->layout().nodes) {
        if (n.role != RoleIntent::kSpare) members_.insert(n.name);
      }
    }
    for (const NodeLayout& n : ck->layout().nodes) state_[n.name];
  }

  void Run() {
    const Scenario& s = root_.Get<Scenario>();
    const Cursor topo = root_.Child("topology");
    for (int i = 0; i < s.topology().bootstrap_size(); ++i) {
      Membership(topo.Child("bootstrap", i), 0);
    }
    std::vector<Event> events;
    for (int i = 0; i < s.faults_size(); ++i) {
      const Action& a = s.faults(i);
      events.push_back({a.at_ms(), 1, i});
      if (a.has_duration_ms() && a.duration_ms() > 0 &&
          (a.kind_case() == Action::kCrash || a.kind_case() == Action::kPause)) {
        events.push_back({AddSaturating(a.at_ms(), a.duration_ms()), 0, i});
      }
    }
    std::sort(events.begin(), events.end());
    valid_.assign(s.faults_size(), true);
    for (const Event& e : events) {
      const Cursor a = root_.Child("faults", e.index);
      if (e.priority == 0) {
        if (valid_[e.index]) Undo(a.Get<Action>());
      } else {
        Apply(a, e.at_ms, e.index);
        order_.push_back(e.index);
      }
    }
  }

 private:
  bool Known(const std::string& node) const { return state_.count(node) > 0; }

  void Undo(const Action& a) {
    NodeState& st =
        state_[a.kind_case() == Action::kCrash ? a.crash().node() : a.pause().node()];
    if (a.kind_case() == Action::kCrash) st.crashed = false;
    if (a.kind_case() == Action::kPause) st.paused = false;
  }

  void Apply(const Cursor& a, int64_t t, int index) {
    const Action& act = a.Get<Action>();
    switch (act.kind_case()) {
      case Action::kCrash:
        Process(a, "crash", act.crash().node(), t, index);
        break;
      case Action::kRestart:
        Process(a, "restart", act.restart().node(), t, index);
        break;
      case Action::kPause:
        Process(a, "pause", act.pause().node(), t, index);
        break;
      case Action::kResume:
        Process(a, "resume", act.resume().node(), t, index);
        break;
      case Action::kHeal:
        Heal(a, t);
        break;
      default:
        Membership(a, t);
        break;
    }
  }

  void Process(const Cursor& a, const char* kind, const std::string& node, int64_t t,
               int index) {
    if (!Known(node)) return;  // reported already
    NodeState& st = state_[node];
    const Site site = a.Child(kind).At("node");
    std::string error;
    const std::string k = kind;
    if (k == "crash") {
      if (st.crashed)
        error = absl::StrCat(node, " is already crashed at ", t, " ms (since ",
                             st.since_ms, " ms)");
      else
        st = NodeState{true, false, t};
    } else if (k == "restart") {
      if (!st.crashed)
        error = absl::StrCat("restart of ", node, " at ", t, " ms, but ", node,
                             " is not crashed then");
      else
        st = NodeState{};
    } else if (k == "pause") {
      if (st.crashed)
        error = absl::StrCat(node, " is crashed at ", t, " ms (since ", st.since_ms,
                             " ms); a crashed node cannot be paused");
      else if (st.paused)
        error = absl::StrCat(node, " is already paused at ", t, " ms (since ",
                             st.since_ms, " ms)");
      else
        st = NodeState{false, true, t};
    } else if (k == "resume") {
      if (!st.paused)
        error = absl::StrCat("resume of ", node, " at ", t, " ms, but ", node,
                             " is not paused then");
      else
        st = NodeState{};
    }
    if (!error.empty()) {
      ck_->Error(site, error);
      valid_[index] = false;
    }
  }

  void Heal(const Cursor& a, int64_t t) {
    const Cursor h = a.Child("heal");
    const std::vector<std::string> ids = Validator::Strings(h, "fault");
    const Scenario& s = root_.Get<Scenario>();
    std::vector<std::string> all_ids;
    for (const Action& f : s.faults()) {
      if (!f.id().empty()) all_ids.push_back(f.id());
    }
    for (int i = 0; i < static_cast<int>(ids.size()); ++i) {
      int target = -1;
      for (int j = 0; j < s.faults_size(); ++j) {
        if (s.faults(j).id() == ids[i]) {
          target = j;
          break;
        }
      }
      if (target < 0) {
        std::string hint = DidYouMean(ids[i], all_ids);
        if (hint.empty() && !all_ids.empty())
          hint = absl::StrCat("ids are ", QuotedList(all_ids));
        if (all_ids.empty()) hint = "no fault has an id";
        ck_->Error(h.At("fault", i),
                   absl::StrCat("no fault has id \"", ids[i], "\"; ", hint));
        continue;
      }
      const Action& f = s.faults(target);
      if (!IsNetworkFault(f.kind_case())) {
        ck_->Error(h.At("fault", i), absl::StrCat("\"", ids[i], "\" is a ", KindName(f),
                                                  "; heal undoes network faults only"));
      } else if (std::find(order_.begin(), order_.end(), target) == order_.end()) {
        ck_->Error(h.At("fault", i),
                   absl::StrCat("fault \"", ids[i], "\" starts at ", f.at_ms(),
                                " ms, after this heal at ", t, " ms"));
      }
    }
  }

  void Membership(const Cursor& a, int64_t t) {
    const Action& act = a.Get<Action>();
    if (act.kind_case() == Action::kAddNode) {
      const std::string& n = act.add_node().node();
      if (!Known(n)) return;
      if (members_.count(n) > 0) {
        ck_->Error(a.Child("add_node").At("node"),
                   absl::StrCat(n, " is already in the cluster at ", t, " ms"));
      }
      members_.insert(n);
    } else if (act.kind_case() == Action::kDelNode) {
      const std::string& n = act.del_node().node();
      if (!Known(n)) return;
      if (members_.count(n) == 0) {
        ck_->Error(a.Child("del_node").At("node"),
                   absl::StrCat(n, " is not in the cluster at ", t, " ms"));
      }
      members_.erase(n);
    } else if (act.kind_case() == Action::kCreate) {
      const Cursor c = a.Child("create");
      std::vector<std::string> nodes = Validator::Strings(c, "nodes");
      const bool defaulted = nodes.empty();
      if (defaulted) {
        for (const NodeLayout& n : ck_->layout().nodes) {
          if (n.role != RoleIntent::kSpare) nodes.push_back(n.name);
        }
      }
      std::set<std::string> seen;
      for (int i = 0; i < static_cast<int>(nodes.size()); ++i) {
        if (!Known(nodes[i]) || !seen.insert(nodes[i]).second) continue;
        if (members_.count(nodes[i]) > 0) {
          ck_->Error(defaulted ? c.Here() : c.At("nodes", i),
                     absl::StrCat(nodes[i], " is already in a cluster at ", t,
                                  " ms; create needs empty nodes"));
          if (defaulted) break;
        }
        members_.insert(nodes[i]);
      }
    }
  }

  Cursor root_;
  Validator* ck_;
  std::map<std::string, NodeState> state_;
  std::set<std::string> members_;
  std::vector<bool> valid_;
  std::vector<int> order_;  // faults[] indices applied so far
};

}  // namespace

void CheckTimeline(const Cursor& root, Validator* ck) {
  if (ck->names_known()) Timeline(root, ck).Run();
}

}  // namespace slotsim::scenarios
