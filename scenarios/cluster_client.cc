#include "scenarios/cluster_client.h"

#include <algorithm>
#include <set>
#include <utility>

#include "model/keyslot.h"
#include "model/types.h"
#include "sim/check.h"

namespace slotsim::scenarios {

struct ClusterClient::Op {
  std::vector<std::string> argv;
  int slot = 0;
  Done done;
  int redirects = 0;
  int asks = 0;  // of the redirects, ASK ones
  int retries = 0;
  bool uncertain = false;  // an attempt went unanswered
  std::optional<NodeAddress> ask_target;
  NodeAddress last;
};

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// A non-negative decimal that fits an int.
bool ParseNonNegative(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// "host:port" with the port after the last ':' (IPv6 hosts keep their colons).
std::optional<NodeAddress> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  int port = 0;
  if (!ParseNonNegative(text.substr(colon + 1), &port)) return std::nullopt;
  return NodeAddress{std::string(text.substr(0, colon)), port};
}

}  // namespace

std::optional<Redirection> ParseRedirection(std::string_view error) {
  Redirection r;
  if (StartsWith(error, "MOVED ")) {
    r.ask = false;
  } else if (StartsWith(error, "ASK ")) {
    r.ask = true;
  } else {
    return std::nullopt;
  }
  const size_t sp1 = error.find(' ');
  const size_t sp2 = error.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos ||
      error.find(' ', sp2 + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  if (!ParseNonNegative(error.substr(sp1 + 1, sp2 - sp1 - 1), &r.slot) ||
      r.slot >= model::kClusterSlots) {
    return std::nullopt;
  }
  std::optional<NodeAddress> target = ParseHostPort(error.substr(sp2 + 1));
  if (!target.has_value()) return std::nullopt;
  r.target = *target;
  return r;
}

std::optional<std::map<std::pair<int, int>, NodeAddress>> ParseClusterSlots(
    const model::Reply& reply, const NodeAddress& answered_by) {
  using Kind = model::Reply::Kind;
  if (reply.kind() != Kind::kArray) return std::nullopt;
  std::map<std::pair<int, int>, NodeAddress> out;
  for (const model::Reply& entry : reply.items()) {
    if (entry.kind() != Kind::kArray || entry.items().size() < 3) return std::nullopt;
    const model::Reply& from = entry.items()[0];
    const model::Reply& to = entry.items()[1];
    const model::Reply& master = entry.items()[2];
    if (from.kind() != Kind::kInteger || to.kind() != Kind::kInteger) return std::nullopt;
    if (from.integer() < 0 || to.integer() >= model::kClusterSlots ||
        from.integer() > to.integer()) {
      return std::nullopt;
    }
    if (master.kind() != Kind::kArray || master.items().size() < 2) return std::nullopt;
    const model::Reply& host = master.items()[0];
    const model::Reply& port = master.items()[1];
    if (port.kind() != Kind::kInteger) return std::nullopt;
    NodeAddress addr;
    addr.port = static_cast<int>(port.integer());
    if (host.kind() == Kind::kBulk && !host.str().empty() && host.str() != "?") {
      addr.ip = host.str();
    } else {
      addr.ip = answered_by.ip;  // unknown endpoint: same host as the answer
    }
    out[{static_cast<int>(from.integer()), static_cast<int>(to.integer())}] = addr;
  }
  return out;
}

ClusterClient::ClusterClient(std::string name, ClusterClientOptions options)
    : name_(std::move(name)),
      options_(std::move(options)),
      slot_node_(model::kClusterSlots, -1) {
  CHECK(!options_.seeds.empty()) << "a cluster client needs at least one seed";
}

void ClusterClient::Start(ActorContext& ctx) { RequestRefresh(ctx); }

std::optional<NodeAddress> ClusterClient::OwnerOf(int slot) const {
  CHECK(slot >= 0 && slot < model::kClusterSlots);
  const int n = slot_node_[static_cast<size_t>(slot)];
  if (n < 0) return std::nullopt;
  return nodes_[static_cast<size_t>(n)];
}

int ClusterClient::NodeIndex(const NodeAddress& a) {
  auto [it, inserted] = node_index_.emplace(a, static_cast<int>(nodes_.size()));
  if (inserted) nodes_.push_back(a);
  return it->second;
}

// ---------------------------------------------------------------- slot map

void ClusterClient::RequestRefresh(ActorContext& ctx) {
  ++refreshes_requested_;
  if (refresh_running_) {
    refresh_again_ = true;
    return;
  }
  RunRefresh(ctx);
}

void ClusterClient::RunRefresh(ActorContext& ctx) {
  refresh_running_ = true;
  refresh_again_ = false;
  std::vector<NodeAddress> candidates;
  if (loaded_) {
    // The masters of the current map, from a random one on, then the seeds.
    std::set<NodeAddress> owners;
    for (int n : slot_node_) {
      if (n >= 0) owners.insert(nodes_[static_cast<size_t>(n)]);
    }
    std::vector<NodeAddress> ordered(owners.begin(), owners.end());
    if (!ordered.empty()) {
      const size_t start = ctx.rng().Uniform(ordered.size());
      std::rotate(ordered.begin(), ordered.begin() + static_cast<long>(start),
                  ordered.end());
    }
    candidates = std::move(ordered);
  }
  for (const NodeAddress& s : options_.seeds) {
    if (std::find(candidates.begin(), candidates.end(), s) == candidates.end()) {
      candidates.push_back(s);
    }
  }
  TryRefresh(ctx, std::move(candidates), 0);
}

void ClusterClient::TryRefresh(ActorContext& ctx, std::vector<NodeAddress> candidates,
                               size_t next) {
  if (next >= candidates.size()) {
    refresh_running_ = false;
    if (!loaded_) {
      ctx.After(options_.initial_load_retry, [this, &ctx] {
        if (!refresh_running_) RunRefresh(ctx);
      });
    } else if (refresh_again_) {
      RunRefresh(ctx);
    }
    return;
  }
  const NodeAddress node = candidates[next];
  links_.Call(ctx, node, {"CLUSTER", "SLOTS"}, options_.request_timeout,
              [this, &ctx, node, candidates = std::move(candidates), next](CallResult r) {
                std::optional<std::map<std::pair<int, int>, NodeAddress>> ranges;
                if (r.replied() && !r.reply.is_error())
                  ranges = ParseClusterSlots(r.reply, node);
                if (!ranges.has_value()) {
                  TryRefresh(ctx, candidates, next + 1);
                  return;
                }
                ApplySlots(*ranges);
                refresh_running_ = false;
                if (refresh_again_) RunRefresh(ctx);
              });
}

void ClusterClient::ApplySlots(const std::map<std::pair<int, int>, NodeAddress>& ranges) {
  std::fill(slot_node_.begin(), slot_node_.end(), -1);
  for (const auto& [range, addr] : ranges) {
    const int n = NodeIndex(addr);
    for (int s = range.first; s <= range.second; ++s)
      slot_node_[static_cast<size_t>(s)] = n;
  }
  loaded_ = true;
  ++refreshes_done_;
}

NodeAddress ClusterClient::PickAnyNode(ActorContext& ctx) {
  std::set<NodeAddress> known;
  for (int n : slot_node_) {
    if (n >= 0) known.insert(nodes_[static_cast<size_t>(n)]);
  }
  if (known.empty()) return options_.seeds[ctx.rng().Uniform(options_.seeds.size())];
  auto it = known.begin();
  std::advance(it, static_cast<long>(ctx.rng().Uniform(known.size())));
  return *it;
}

// ---------------------------------------------------------------- requests

void ClusterClient::Execute(ActorContext& ctx, std::vector<std::string> argv,
                            int key_index, Done done) {
  CHECK(key_index >= 0 && static_cast<size_t>(key_index) < argv.size());
  auto op = std::make_shared<Op>();
  op->slot = model::KeyHashSlot(argv[static_cast<size_t>(key_index)]);
  op->argv = std::move(argv);
  op->done = std::move(done);
  Attempt(ctx, std::move(op));
}

void ClusterClient::SendTo(ActorContext& ctx, const NodeAddress& node,
                           std::vector<std::string> argv, sim::Duration timeout,
                           CommandLinks::Done done) {
  links_.Call(ctx, node, std::move(argv), timeout, std::move(done));
}

void ClusterClient::Attempt(ActorContext& ctx, std::shared_ptr<Op> op) {
  NodeAddress target;
  const bool asking = op->ask_target.has_value();
  if (asking) {
    target = *op->ask_target;
    op->ask_target.reset();
  } else if (std::optional<NodeAddress> owner = OwnerOf(op->slot)) {
    target = *owner;
  } else {
    target = PickAnyNode(ctx);
  }
  op->last = target;
  if (asking) {
    // ASKING and the command travel back to back on one connection; the
    // ASKING reply (+OK) is not looked at, as clients pipeline the pair.
    links_.Call(ctx, target, {"ASKING"}, options_.request_timeout, [](CallResult) {});
  }
  std::vector<std::string> argv = op->argv;
  links_.Call(ctx, target, std::move(argv), options_.request_timeout,
              [this, &ctx, op, target](CallResult r) {
                OnAnswer(ctx, op, target, std::move(r));
              });
}

void ClusterClient::OnAnswer(ActorContext& ctx, std::shared_ptr<Op> op,
                             const NodeAddress& target, CallResult r) {
  using Status = CallResult::Status;
  if (r.status != Status::kReply) {
    if (r.uncertain()) op->uncertain = true;
    RequestRefresh(ctx);
    if (op->retries >= options_.max_retries) {
      const char* what = r.status == Status::kTimeout  ? "timeout"
                         : r.status == Status::kClosed ? "connection lost"
                                                       : "connection refused";
      Finish(op, op->uncertain ? ClientOp::Outcome::kTimeout : ClientOp::Outcome::kError,
             what, model::Reply::Nil());
      return;
    }
    Retry(ctx, op);
    return;
  }
  const model::Reply& reply = r.reply;
  if (!reply.is_error()) {
    Finish(op, ClientOp::Outcome::kOk, "", reply);
    return;
  }
  const std::string& text = reply.str();
  if (std::optional<Redirection> redirect = ParseRedirection(text)) {
    if (op->redirects >= options_.max_redirects) {
      Finish(op, ClientOp::Outcome::kError, text, reply);
      return;
    }
    ++op->redirects;
    NodeAddress to = redirect->target;
    if (to.ip.empty() || to.ip == "?") to.ip = target.ip;
    if (redirect->ask) {
      ++op->asks;
      op->ask_target = to;
    } else {
      slot_node_[static_cast<size_t>(redirect->slot)] = NodeIndex(to);
      RequestRefresh(ctx);
    }
    Attempt(ctx, op);
    return;
  }
  const bool tryagain = StartsWith(text, "TRYAGAIN");
  const bool clusterdown = StartsWith(text, "CLUSTERDOWN");
  if (!tryagain && !clusterdown) {
    Finish(op, ClientOp::Outcome::kError, text, reply);
    return;
  }
  if (clusterdown) RequestRefresh(ctx);
  if (op->retries >= options_.max_retries) {
    Finish(op, ClientOp::Outcome::kError, text, reply);
    return;
  }
  Retry(ctx, op);
}

sim::Duration ClusterClient::Backoff(ActorContext& ctx, int retry) const {
  int64_t d = options_.retry_backoff.micros();
  for (int i = 1; i < retry && d < options_.max_backoff.micros(); ++i) d *= 2;
  d = std::min(d, options_.max_backoff.micros());
  if (d <= 0) return sim::Duration::Zero();
  const int64_t half = d / 2;
  return sim::Duration::Micros(half + static_cast<int64_t>(ctx.rng().Uniform(
                                          static_cast<uint64_t>(d - half) + 1)));
}

void ClusterClient::Retry(ActorContext& ctx, std::shared_ptr<Op> op) {
  ++op->retries;
  ctx.After(Backoff(ctx, op->retries), [this, &ctx, op] { Attempt(ctx, op); });
}

void ClusterClient::Finish(std::shared_ptr<Op> op, ClientOp::Outcome outcome,
                           std::string error, model::Reply reply) {
  if (outcome == ClientOp::Outcome::kError && op->uncertain) {
    outcome = ClientOp::Outcome::kTimeout;
  }
  ClusterReply out;
  out.outcome = outcome;
  out.reply = std::move(reply);
  out.error = std::move(error);
  out.node = op->last;
  out.redirects = op->redirects;
  out.asks = op->asks;
  out.retries = op->retries;
  Done done = std::move(op->done);
  done(std::move(out));
}

}  // namespace slotsim::scenarios
