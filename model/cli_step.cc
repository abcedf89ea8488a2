#include "model/cli_step.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slotsim::model {

CliStep CliStep::Log(std::string line) {
  CliStep s;
  s.kind = Kind::kLog;
  s.text = std::move(line);
  return s;
}

CliStep CliStep::Command(int node, std::vector<std::string> argv) {
  CliStep s;
  s.kind = Kind::kCommand;
  s.node = node;
  s.argv = std::move(argv);
  return s;
}

CliStep CliStep::SetSlotOwner(int node, int slot, bool clear) {
  CliStep s;
  s.kind = Kind::kSetSlotOwner;
  s.node = node;
  s.slot = slot;
  s.clear = clear;
  return s;
}

CliStep CliStep::DelSlot(int node, int slot, bool ignore_failure) {
  CliStep s;
  s.kind = Kind::kDelSlot;
  s.node = node;
  s.slot = slot;
  s.ignore_failure = ignore_failure;
  return s;
}

CliStep CliStep::MoveSlot(int source, int target, int slot, int move_opts) {
  CliStep s;
  s.kind = Kind::kMoveSlot;
  s.node = source;
  s.target = target;
  s.slot = slot;
  s.move_opts = move_opts;
  return s;
}

std::string CliStep::ToString() const {
  switch (kind) {
    case Kind::kLog:
      return absl::StrCat("log ", text);
    case Kind::kCommand:
      return absl::StrCat("cmd ", node, " ", absl::StrJoin(argv, " "));
    case Kind::kSetSlotOwner:
      return absl::StrCat("owner ", node, " slot ", slot, clear ? " clear" : "");
    case Kind::kDelSlot:
      return absl::StrCat("delslot ", node, " slot ", slot,
                          ignore_failure ? " ignore-failure" : "");
    case Kind::kMoveSlot:
      return absl::StrCat("move ", node, "->", target, " slot ", slot,
                          (move_opts & kMoveCold) ? " cold" : "",
                          (move_opts & kMoveUpdate) ? " update" : "");
  }
  return "?";
}

bool CliStep::operator==(const CliStep& o) const {
  return kind == o.kind && text == o.text && node == o.node && target == o.target &&
         slot == o.slot && argv == o.argv && clear == o.clear &&
         move_opts == o.move_opts && ignore_failure == o.ignore_failure;
}

std::vector<std::string> CliStepStrings(const std::vector<CliStep>& steps) {
  std::vector<std::string> out;
  out.reserve(steps.size());
  for (const CliStep& s : steps) out.push_back(s.ToString());
  return out;
}

}  // namespace slotsim::model
