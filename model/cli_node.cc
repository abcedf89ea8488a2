#include "model/cli_node.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace slotsim::model {

std::optional<NodeName> CliNode::MigratingTo(int slot) const {
  for (const auto& [s, target] : migrating) {
    if (s == slot) return target;
  }
  return std::nullopt;
}

std::optional<NodeName> CliNode::ImportingFrom(int slot) const {
  for (const auto& [s, source] : importing) {
    if (s == slot) return source;
  }
  return std::nullopt;
}

std::string CliNode::Addr() const { return absl::StrCat(ip, ":", port); }

CliNode MakeCliMaster(NodeName name, std::string ip, int port, const SlotBitmap& slots) {
  CliNode n;
  n.name = name;
  n.ip = std::move(ip);
  n.port = port;
  n.flags = {"master"};
  n.slots = slots;
  n.slots_count = slots.Count();
  return n;
}

CliNode MakeCliReplica(NodeName name, std::string ip, int port, NodeName master) {
  CliNode n;
  n.name = name;
  n.ip = std::move(ip);
  n.port = port;
  n.flags = {"slave"};
  n.slave = true;
  n.replicate = master;
  return n;
}

std::string CliSlotsString(const SlotBitmap& slots) {
  std::string out;
  for (const auto& [first, last] : slots.Ranges()) {
    if (!out.empty()) out += ",";
    if (first == last) {
      absl::StrAppend(&out, "[", first, "]");
    } else {
      absl::StrAppend(&out, "[", first, "-", last, "]");
    }
  }
  return out;
}

std::string CliNodeInfo(const CliNode& node, int indent) {
  const std::string spaces(static_cast<size_t>(indent), ' ');
  std::string info = spaces;
  if (node.dirty && !node.replicate.empty()) {
    absl::StrAppend(&info, "S: ", node.name.str(), " ", node.Addr());
  } else {
    std::string flags;
    for (const std::string& f : node.flags) {
      if (f == "myself") continue;
      if (!flags.empty()) flags += ",";
      flags += f;
    }
    absl::StrAppend(&info, node.slave ? "S" : "M", ": ", node.name.str(), " ",
                    node.Addr(), "\n", spaces, "   slots:", CliSlotsString(node.slots),
                    " (", node.slots_count, " slots) ", flags);
  }
  if (!node.replicate.empty()) {
    absl::StrAppend(&info, "\n", spaces, "   replicates ", node.replicate.str());
  } else if (node.replicas_count > 0) {
    absl::StrAppend(&info, "\n", spaces, "   ", node.replicas_count,
                    " additional replica(s)");
  }
  return info;
}

std::string CliShowNodes(const std::vector<CliNode>& nodes) {
  std::string out;
  for (const CliNode& n : nodes) absl::StrAppend(&out, CliNodeInfo(n, 0), "\n");
  return out;
}

}  // namespace slotsim::model
