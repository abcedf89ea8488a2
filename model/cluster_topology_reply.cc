#include "model/cluster_topology_reply.h"

#include <string>
#include <utility>
#include <vector>

#include "model/bus_message.h"
#include "model/cluster_text.h"

namespace slotsim::model {
namespace {

uint64_t OffsetOf(const ClusterNode& node, uint64_t my_repl_offset) {
  return node.is_myself() ? my_repl_offset : node.repl_offset;
}

Reply Int(uint64_t v) { return Reply::Integer(static_cast<int64_t>(v)); }

// addNodeToNodeReply.
Reply SlotsNodeEntry(const ClusterNode& node, EndpointType type) {
  std::vector<Reply> entry;
  if (type == EndpointType::kUnknownEndpoint) {
    entry.push_back(Reply::Nil());
  } else {
    entry.push_back(Reply::Bulk(std::string(PreferredEndpoint(node, type))));
  }
  entry.push_back(Reply::Integer(node.port));
  entry.push_back(Reply::Bulk(node.name.str()));
  std::vector<Reply> metadata;
  if (type != EndpointType::kIp) {
    metadata.push_back(Reply::Bulk("ip"));
    metadata.push_back(Reply::Bulk(node.ip));
  }
  if (type != EndpointType::kHostname && !node.hostname.empty()) {
    metadata.push_back(Reply::Bulk("hostname"));
    metadata.push_back(Reply::Bulk(node.hostname));
  }
  entry.push_back(Reply::Array(std::move(metadata)));
  return Reply::Array(std::move(entry));
}

// isReplicaAvailable.
bool ReplicaAvailable(const ClusterNode& node, uint64_t my_repl_offset) {
  if (node.Has(flags::kFail)) return false;
  return OffsetOf(node, my_repl_offset) != 0;
}

// addNodeDetailsToShardReply.
Reply ShardNodeDetails(const ClusterNode& node, EndpointType type,
                       uint64_t my_repl_offset) {
  std::vector<Reply> d;
  auto field = [&d](const char* key, Reply value) {
    d.push_back(Reply::Bulk(key));
    d.push_back(std::move(value));
  };
  field("id", Reply::Bulk(node.name.str()));
  if (node.port != 0) field("port", Reply::Integer(node.port));
  field("ip", Reply::Bulk(node.ip));
  field("endpoint", Reply::Bulk(std::string(PreferredEndpoint(node, type))));
  if (!node.hostname.empty()) field("hostname", Reply::Bulk(node.hostname));
  uint64_t offset = OffsetOf(node, my_repl_offset);
  field("role", Reply::Bulk(node.is_replica() ? "replica" : "master"));
  field("replication-offset", Int(offset));
  const char* health = "online";
  if (node.Has(flags::kFail)) {
    health = "fail";
  } else if (node.is_replica() && offset == 0) {
    health = "loading";
  }
  field("health", Reply::Bulk(health));
  return Reply::Array(std::move(d));
}

}  // namespace

Reply ClusterSlotsReply(const ClusterState& state, EndpointType endpoint_type,
                        uint64_t my_repl_offset) {
  std::vector<Reply> out;
  int slot = 0;
  while (slot < kClusterSlots) {
    const ClusterNode* owner = state.slots[slot];
    int last = slot;
    while (last + 1 < kClusterSlots && state.slots[last + 1] == owner) ++last;
    if (owner != nullptr) {
      std::vector<Reply> entry;
      entry.push_back(Reply::Integer(slot));
      entry.push_back(Reply::Integer(last));
      entry.push_back(SlotsNodeEntry(*owner, endpoint_type));
      for (const ClusterNode* r : owner->replicas) {
        if (ReplicaAvailable(*r, my_repl_offset)) {
          entry.push_back(SlotsNodeEntry(*r, endpoint_type));
        }
      }
      out.push_back(Reply::Array(std::move(entry)));
    }
    slot = last + 1;
  }
  return Reply::Array(std::move(out));
}

Reply ClusterShardsReply(const ClusterState& state, EndpointType endpoint_type,
                         uint64_t my_repl_offset) {
  std::vector<SlotRanges> ranges = SlotRangesByNode(state);
  std::vector<Reply> shards;
  for (size_t i = 0; i < state.nodes.size(); ++i) {
    const ClusterNode& master = *state.nodes[i];
    if (!master.is_master()) continue;
    std::vector<Reply> slots;
    for (const auto& [first, last] : ranges[i]) {
      slots.push_back(Reply::Integer(first));
      slots.push_back(Reply::Integer(last));
    }
    std::vector<Reply> nodes;
    nodes.push_back(ShardNodeDetails(master, endpoint_type, my_repl_offset));
    for (const ClusterNode* r : master.replicas) {
      nodes.push_back(ShardNodeDetails(*r, endpoint_type, my_repl_offset));
    }
    std::vector<Reply> shard;
    shard.push_back(Reply::Bulk("slots"));
    shard.push_back(Reply::Array(std::move(slots)));
    shard.push_back(Reply::Bulk("nodes"));
    shard.push_back(Reply::Array(std::move(nodes)));
    shards.push_back(Reply::Array(std::move(shard)));
  }
  return Reply::Array(std::move(shards));
}

}  // namespace slotsim::model
