#include "scenarios/cli_invocation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace slotsim::scenarios {
namespace {

bool Known(const World& world, const std::string& name) {
  const auto& names = world.node_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

absl::StatusOr<NodeAddress> AddressOf(const World& world, const std::string& name) {
  if (!Known(world, name)) return absl::InvalidArgumentError("unknown node " + name);
  const NodeSpec& spec = world.spec(name);
  return NodeAddress{spec.config.ip, spec.config.port};
}

absl::StatusOr<NodeAddress> ViaOrM1(const World& world, bool has,
                                    const std::string& via) {
  return AddressOf(world, has ? via : "m1");
}

absl::StatusOr<std::string> IdOf(const World& world, const std::string& name) {
  if (!Known(world, name)) return absl::InvalidArgumentError("unknown node " + name);
  // A crashed node keeps the ID its peers know it by; an operator copies it
  // from another node's CLUSTER NODES.
  const model::NodeName id = world.LastIdOf(name);
  if (id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("node ", name, " never ran: its ID is unknown"));
  }
  return id.str();
}

}  // namespace

bool IsCliAction(const Action& a) {
  switch (a.kind_case()) {
    case Action::kCreate:
    case Action::kReshard:
    case Action::kRebalance:
    case Action::kAddNode:
    case Action::kDelNode:
    case Action::kFix:
      return true;
    default:
      return false;
  }
}

absl::StatusOr<CliInvocation> CliInvocationFromAction(
    const Action& a, const World& world, int default_replicas,
    const std::vector<std::string>& default_create_nodes) {
  CliInvocation inv;
  switch (a.kind_case()) {
    case Action::kCreate: {
      CliCreate c;
      std::vector<std::string> names(a.create().nodes().begin(),
                                     a.create().nodes().end());
      if (names.empty()) names = default_create_nodes;
      for (const std::string& n : names) {
        absl::StatusOr<NodeAddress> addr = AddressOf(world, n);
        if (!addr.ok()) return addr.status();
        c.nodes.push_back(*addr);
      }
      c.replicas = a.create().has_replicas() ? a.create().replicas() : default_replicas;
      inv.command = c;
      return inv;
    }
    case Action::kReshard: {
      const Reshard& r = a.reshard();
      CliReshard c;
      absl::StatusOr<NodeAddress> via = ViaOrM1(world, r.has_via(), r.via());
      if (!via.ok()) return via.status();
      c.via = *via;
      std::vector<std::string> from;
      for (const std::string& n : r.from()) {
        absl::StatusOr<std::string> id = IdOf(world, n);
        if (!id.ok()) return id.status();
        from.push_back(*id);
      }
      c.from = from.empty() ? "all" : absl::StrJoin(from, ",");
      absl::StatusOr<std::string> to = IdOf(world, r.to());
      if (!to.ok()) return to.status();
      c.to = *to;
      c.slots = r.slots();
      inv.options.pipeline = r.batch_keys();
      inv.options.migrate_timeout_ms = r.timeout_ms();
      inv.options.replace = r.replace();
      inv.command = c;
      return inv;
    }
    case Action::kRebalance: {
      const Rebalance& r = a.rebalance();
      CliRebalance c;
      absl::StatusOr<NodeAddress> via = ViaOrM1(world, r.has_via(), r.via());
      if (!via.ok()) return via.status();
      c.via = *via;
      for (const Weight& w : r.weight()) {
        absl::StatusOr<std::string> id = IdOf(world, w.node());
        if (!id.ok()) return id.status();
        c.weights.push_back(absl::StrFormat("%s=%g", *id, w.weight()));
      }
      c.threshold = r.threshold();
      c.use_empty_masters = r.use_empty_masters();
      inv.options.pipeline = r.batch_keys();
      inv.options.migrate_timeout_ms = r.timeout_ms();
      inv.command = c;
      return inv;
    }
    case Action::kAddNode: {
      const AddNode& r = a.add_node();
      CliAddNode c;
      absl::StatusOr<NodeAddress> node = AddressOf(world, r.node());
      if (!node.ok()) return node.status();
      absl::StatusOr<NodeAddress> existing =
          ViaOrM1(world, r.has_existing(), r.existing());
      if (!existing.ok()) return existing.status();
      c.new_node = *node;
      c.existing = *existing;
      c.slave = r.replica();
      if (r.replica() && r.has_master()) {
        absl::StatusOr<std::string> id = IdOf(world, r.master());
        if (!id.ok()) return id.status();
        c.master_id = *id;
      }
      inv.command = c;
      return inv;
    }
    case Action::kDelNode: {
      const DelNode& r = a.del_node();
      CliDelNode c;
      absl::StatusOr<NodeAddress> via = ViaOrM1(world, r.has_via(), r.via());
      if (!via.ok()) return via.status();
      c.via = *via;
      absl::StatusOr<std::string> id = IdOf(world, r.node());
      if (!id.ok()) return id.status();
      c.node_id = *id;
      inv.command = c;
      return inv;
    }
    case Action::kFix: {
      const Fix& r = a.fix();
      CliFix c;
      absl::StatusOr<NodeAddress> via = ViaOrM1(world, r.has_via(), r.via());
      if (!via.ok()) return via.status();
      c.via = *via;
      c.fix_with_unreachable_masters = r.fix_with_unreachable_masters();
      inv.command = c;
      return inv;
    }
    default:
      return absl::InvalidArgumentError("not a cluster-manager action: " +
                                        a.ShortDebugString());
  }
}

}  // namespace slotsim::scenarios
