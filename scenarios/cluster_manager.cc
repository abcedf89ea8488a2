// ClusterManager: the actor's plumbing: dispatching the command, output,
// sending commands (hiredis contexts and their sticky errors), trampolined
// loops, finishing.

#include "scenarios/cluster_manager.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "sim/check.h"

namespace slotsim::scenarios {

ClusterManager::ClusterManager(CliCommand command, ClusterManagerOptions options,
                               OnDone on_done)
    : command_(std::move(command)), options_(options), on_done_(std::move(on_done)) {}

// ---------------------------------------------------------------- actor

void ClusterManager::OnStart(ActorContext& ctx) {
  ctx_ = &ctx;
  result_.started = ctx.Now();
  std::visit(
      [this](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, CliCreate>) {
          RunCreate(c);
        } else if constexpr (std::is_same_v<T, CliAddNode>) {
          RunAddNode(c);
        } else if constexpr (std::is_same_v<T, CliDelNode>) {
          RunDelNode(c);
        } else if constexpr (std::is_same_v<T, CliCheck>) {
          RunCheck(c);
        } else if constexpr (std::is_same_v<T, CliFix>) {
          RunFix(c);
        } else if constexpr (std::is_same_v<T, CliReshard>) {
          RunReshard(c);
        } else {
          RunRebalance(c);
        }
      },
      command_);
}

void ClusterManager::OnConnected(ActorContext& ctx, sim::ConnId conn) {
  links_.OnConnected(ctx, conn);
}
void ClusterManager::OnConnectFailed(ActorContext& ctx, sim::ConnId conn) {
  links_.OnConnectFailed(ctx, conn);
}
void ClusterManager::OnClosed(ActorContext& ctx, sim::ConnId conn) {
  links_.OnClosed(ctx, conn);
}
void ClusterManager::OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) {
  links_.OnMessage(ctx, conn, std::move(msg));
}

// ---------------------------------------------------------------- plumbing

std::vector<std::string> ClusterManager::OutputLines() const {
  std::vector<std::string> lines = absl::StrSplit(out_, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

void ClusterManager::Print(const std::string& text) { out_ += text; }

void ClusterManager::Err(const std::string& text) {
  out_ += text;
  std::string e(absl::StripAsciiWhitespace(text));
  if (!e.empty()) last_error_ = std::move(e);
}

void ClusterManager::PrintReplyError(const MNode& n, const std::string& err) {
  Err(absl::StrCat("Node ", n.cli.Addr(), " replied with error:\n", err, "\n"));
}

void ClusterManager::Finish(bool ok) {
  if (result_.finished) return;
  result_.finished = true;
  result_.ok = ok;
  if (!ok) result_.error = last_error_.empty() ? "failed" : last_error_;
  result_.ended = ctx_->Now();
  links_.CloseAll(*ctx_);
  if (on_done_) on_done_(result_);
}

ClusterManager::MNode ClusterManager::NewNode(const NodeAddress& a) {
  MNode n;
  n.cli.ip = a.ip;
  n.cli.port = a.port;
  n.bus_port = a.port + 10000;  // CLUSTER_MANAGER_PORT_INCR
  n.context = next_context_++;
  return n;
}

void ClusterManager::Later(sim::Duration d, std::function<void()> fn) {
  ctx_->After(d, [this, fn = std::move(fn)] {
    if (!result_.finished) fn();
  });
}

void ClusterManager::Send(const MNode& n, std::vector<std::string> argv, OnReply k,
                          sim::Duration timeout) {
  if (result_.finished) return;
  const NodeAddress addr = Addr(n);
  const int context = n.context;
  sent_.push_back(absl::StrCat(addr.ToString(), " ", absl::StrJoin(argv, " ")));
  if (broken_contexts_.count(context) > 0) {
    // hiredis keeps a context's error: every later command returns NULL.
    Later(sim::Duration::Zero(), [this, k = std::move(k)] {
      last_failure_ = Failure{CallResult::Status::kClosed, true, true};
      k(nullptr);
    });
    return;
  }
  if (timeout <= sim::Duration::Zero()) timeout = options_.command_timeout;
  links_.Call(*ctx_, addr, std::move(argv), timeout,
              [this, context, k = std::move(k)](CallResult r) {
                if (result_.finished) return;
                if (r.replied()) {
                  k(&r.reply);
                  return;
                }
                broken_contexts_.insert(context);
                last_failure_ = Failure{r.status, r.established, false};
                k(nullptr);
              });
}

bool ClusterManager::ReportConnectFailure(const MNode& n) {
  if (last_failure_.broken_context || last_failure_.established) return false;
  const char* why = last_failure_.status == CallResult::Status::kTimeout
                        ? "Connection timed out"
                        : "Connection refused";
  Err(absl::StrCat("Could not connect to Redis at ", n.cli.Addr(), ": ", why, "\n"));
  return true;
}

namespace {

// Trampolined loop state: a body that calls next() synchronously does not
// grow the stack.
struct LoopState {
  int n = 0;
  int i = 0;
  bool running = false;
  bool again = false;
  bool stopped = false;
  std::function<void(int, std::function<void(bool)>)> body;
  std::function<void(bool)> done;
};

void LoopStep(const std::shared_ptr<LoopState>& s) {
  if (s->running) {
    s->again = true;
    return;
  }
  s->running = true;
  do {
    s->again = false;
    if (s->stopped) break;
    if (s->i >= s->n) {
      s->stopped = true;
      s->running = false;
      s->done(true);
      return;
    }
    const int i = s->i++;
    s->body(i, [s, called = std::make_shared<bool>(false)](bool ok) {
      if (*called || s->stopped) return;
      *called = true;
      if (!ok) {
        s->stopped = true;
        s->done(false);
        return;
      }
      LoopStep(s);
    });
  } while (s->again);
  s->running = false;
}

}  // namespace

void ClusterManager::Loop(int n, std::function<void(int, K)> body, K done) {
  auto s = std::make_shared<LoopState>();
  s->n = n;
  s->body = std::move(body);
  s->done = std::move(done);
  LoopStep(s);
}

std::vector<model::CliNode> ClusterManager::View() const {
  std::vector<model::CliNode> v;
  v.reserve(nodes_.size());
  for (const MNode& n : nodes_) v.push_back(n.cli);
  return v;
}

int ClusterManager::NodeByName(const std::string& name) const {
  const std::string lc = absl::AsciiStrToLower(name);
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!nodes_[i].cli.name.empty() && nodes_[i].cli.name.str() == lc) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

int ClusterManager::NodeWithLeastReplicas() const {
  int best = -1;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (nodes_[i].flag_bits & kCliFlagSlave) continue;
    if (best < 0 || nodes_[i].cli.replicas_count <
                        nodes_[static_cast<size_t>(best)].cli.replicas_count) {
      best = static_cast<int>(i);
    }
  }
  return best;
}

}  // namespace slotsim::scenarios
