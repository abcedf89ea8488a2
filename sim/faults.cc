#include "sim/faults.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace slotsim::sim {

const char* FaultModeName(FaultMode m) {
  switch (m) {
    case FaultMode::kDrop:
      return "drop";
    case FaultMode::kHold:
      return "hold";
    case FaultMode::kReject:
      return "reject";
  }
  return "?";
}

EndpointSet::EndpointSet(std::vector<EndpointId> members) : members_(std::move(members)) {
  std::sort(members_.begin(), members_.end());
  members_.erase(std::unique(members_.begin(), members_.end()), members_.end());
}

bool EndpointSet::Contains(EndpointId e) const {
  return all_ || std::binary_search(members_.begin(), members_.end(), e);
}

std::string EndpointSet::ToString() const {
  if (all_) return "*";
  std::string out = "{";
  for (std::size_t i = 0; i < members_.size(); ++i) {
    absl::StrAppend(&out, i == 0 ? "" : ",", members_[i].value());
  }
  return out + "}";
}

std::string Fault::ToString() const {
  switch (kind) {
    case Kind::kBlock:
      return absl::StrCat(symmetric ? "partition " : "block ", from.ToString(),
                          symmetric ? " | " : " -> ", to.ToString(),
                          " mode=", FaultModeName(mode));
    case Kind::kClog:
      return absl::StrCat("clog ", from.ToString(), symmetric ? " <-> " : " -> ",
                          to.ToString(), " until=", until.ToStringMicros());
    case Kind::kExtraDelay:
      return absl::StrCat("delay ", from.ToString(), symmetric ? " <-> " : " -> ",
                          to.ToString(), " extra=", extra.ToStringMicros());
  }
  return "?";
}

FaultId FaultTable::Add(Fault f) {
  f.id = FaultId(next_id_++);
  if (f.kind == Fault::Kind::kExtraDelay) {
    ++extra_delay_faults_;
  } else {
    ++stalling_faults_;
  }
  const FaultId id = f.id;
  faults_.emplace(id, std::move(f));
  return id;
}

FaultId FaultTable::AddBlock(EndpointSet from, EndpointSet to, bool symmetric,
                             FaultMode mode) {
  Fault f;
  f.kind = Fault::Kind::kBlock;
  f.from = std::move(from);
  f.to = std::move(to);
  f.symmetric = symmetric;
  f.mode = mode;
  return Add(std::move(f));
}

FaultId FaultTable::AddClog(EndpointSet from, EndpointSet to, bool symmetric,
                            Time until) {
  Fault f;
  f.kind = Fault::Kind::kClog;
  f.from = std::move(from);
  f.to = std::move(to);
  f.symmetric = symmetric;
  f.until = until;
  return Add(std::move(f));
}

FaultId FaultTable::AddExtraDelay(EndpointSet from, EndpointSet to, bool symmetric,
                                  Duration extra) {
  Fault f;
  f.kind = Fault::Kind::kExtraDelay;
  f.from = std::move(from);
  f.to = std::move(to);
  f.symmetric = symmetric;
  f.extra = extra;
  return Add(std::move(f));
}

bool FaultTable::Remove(FaultId id) {
  auto it = faults_.find(id);
  if (it == faults_.end()) return false;
  if (it->second.kind == Fault::Kind::kExtraDelay) {
    --extra_delay_faults_;
  } else {
    --stalling_faults_;
  }
  faults_.erase(it);
  return true;
}

void FaultTable::Clear() {
  faults_.clear();
  extra_delay_faults_ = 0;
  stalling_faults_ = 0;
}

const Fault* FaultTable::Find(FaultId id) const {
  auto it = faults_.find(id);
  return it == faults_.end() ? nullptr : &it->second;
}

FaultTable::Action FaultTable::CheckSlow(EndpointId src, EndpointId dst, Time now) const {
  Action worst = Action::kPass;
  for (const auto& [id, f] : faults_) {
    Action a = Action::kPass;
    switch (f.kind) {
      case Fault::Kind::kBlock:
        a = f.mode == FaultMode::kDrop   ? Action::kDrop
            : f.mode == FaultMode::kHold ? Action::kHold
                                         : Action::kReject;
        break;
      case Fault::Kind::kClog:
        a = now < f.until ? Action::kClog : Action::kPass;
        break;
      case Fault::Kind::kExtraDelay:
        break;
    }
    if (a > worst && f.Covers(src, dst)) worst = a;
  }
  return worst;
}

Duration FaultTable::ExtraDelay(EndpointId src, EndpointId dst) const {
  Duration total;
  if (extra_delay_faults_ == 0) return total;
  for (const auto& [id, f] : faults_) {
    if (f.kind == Fault::Kind::kExtraDelay && f.Covers(src, dst)) total += f.extra;
  }
  return total;
}

}  // namespace slotsim::sim
