#include "scenarios/workload.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/keyslot.h"
#include "sim/check.h"

namespace slotsim::scenarios {

WorkloadOptions WorkloadFromProto(const Workload& w, int64_t duration_ms) {
  WorkloadOptions o;
  o.clients = w.clients();
  o.keys = w.keys();
  o.hash_tags = w.hash_tags();
  o.read_ppm = w.read_ppm();
  o.ops_per_s = w.ops_per_s();
  o.start = sim::Time::FromMillis(w.start_ms());
  o.stop = sim::Time::FromMillis(w.has_stop_ms() ? w.stop_ms() : duration_ms);
  o.value_bytes = w.value_bytes();
  o.client.request_timeout = sim::Duration::Millis(w.request_timeout_ms());
  o.client.max_redirects = w.max_redirects();
  if (w.has_wait()) {
    WorkloadOptions::Wait wait;
    wait.numreplicas = w.wait().numreplicas();
    wait.timeout_ms = w.wait().timeout_ms();
    wait.ppm = w.wait().ppm();
    o.wait = wait;
  }
  return o;
}

std::string WorkloadKey(int hash_tags, int64_t i) {
  if (hash_tags <= 0) return absl::StrCat("k", i);
  return absl::StrCat("{t", i % hash_tags, "}k", i);
}

std::string WorkloadValue(const std::string& client, uint64_t seq, int bytes) {
  std::string v = absl::StrCat(client, ":", seq);
  if (static_cast<int>(v.size()) < bytes) v.resize(static_cast<size_t>(bytes), '.');
  return v;
}

namespace {

ClusterClientOptions WithSeeds(ClusterClientOptions o, std::vector<NodeAddress> seeds) {
  o.seeds = std::move(seeds);
  return o;
}

}  // namespace

WorkloadClient::WorkloadClient(std::string name, const WorkloadOptions& options,
                               std::vector<NodeAddress> seeds, History* history)
    : name_(std::move(name)),
      options_(options),
      history_(history),
      client_(name_, WithSeeds(options.client, std::move(seeds))) {
  CHECK(history_ != nullptr);
}

sim::Duration WorkloadClient::Gap(ActorContext& ctx) {
  const sim::Duration interval =
      sim::Duration::Micros(1000000 / std::max(options_.ops_per_s, 1));
  if (options_.arrival == WorkloadOptions::Arrival::kExponential) {
    return ctx.rng().Exponential(interval);
  }
  return interval;
}

void WorkloadClient::OnStart(ActorContext& ctx) {
  client_.Start(ctx);
  if (options_.ops_per_s <= 0 || options_.keys <= 0) return;
  const sim::Duration interval =
      sim::Duration::Micros(1000000 / std::max(options_.ops_per_s, 1));
  const sim::Duration phase = sim::Duration::Micros(static_cast<int64_t>(
      ctx.rng().Uniform(static_cast<uint64_t>(std::max<int64_t>(interval.micros(), 1)))));
  planned_ = std::max(options_.start, ctx.Now()) + phase;
  ScheduleAt(ctx, planned_);
}

void WorkloadClient::ScheduleAt(ActorContext& ctx, sim::Time at) {
  if (at >= options_.stop) return;
  const sim::Time now = ctx.Now();
  ctx.After(at > now ? at - now : sim::Duration::Zero(), [this, &ctx] { StartOp(ctx); });
}

std::string WorkloadClient::NodeName(ActorContext& ctx, const NodeAddress& a) const {
  const std::string name = ctx.world().NameAtAddress(a.ip, a.port);
  return name.empty() ? a.ToString() : name;
}

void WorkloadClient::StartOp(ActorContext& ctx) {
  if (ctx.Now() >= options_.stop) return;
  ClientOp op;
  op.client = name_;
  const bool read = ctx.rng().Chance(options_.read_ppm, 1000000);
  op.kind = read ? ClientOp::Kind::kGet : ClientOp::Kind::kSet;
  op.key = WorkloadKey(
      options_.hash_tags,
      static_cast<int64_t>(ctx.rng().Uniform(static_cast<uint64_t>(options_.keys))));
  op.slot = model::KeyHashSlot(op.key);
  std::vector<std::string> argv;
  if (read) {
    argv = {"GET", op.key};
  } else {
    op.value = WorkloadValue(name_, ++write_seq_, options_.value_bytes);
    argv = {"SET", op.key, op.value};
  }
  op.invoked = ctx.Now();
  planned_ = op.invoked;
  const uint64_t id = history_->Invoke(std::move(op));
  ++ops_started_;
  client_.Execute(ctx, std::move(argv), 1,
                  [this, &ctx, id](ClusterReply r) { OpDone(ctx, id, r); });
}

void WorkloadClient::OpDone(ActorContext& ctx, uint64_t id, const ClusterReply& r) {
  ++ops_finished_;
  ClientOp& op = history_->at(id);
  op.completed = ctx.Now();
  op.outcome = r.outcome;
  op.error = r.error;
  op.node = NodeName(ctx, r.node);
  op.redirects = r.redirects;
  op.asks = r.asks;
  op.retries = r.retries;
  if (op.kind == ClientOp::Kind::kGet && r.outcome == ClientOp::Outcome::kOk) {
    op.found = r.reply.kind() == model::Reply::Kind::kBulk;
    op.value = op.found ? r.reply.str() : "";
  }
  const bool wait = op.acked_write() && options_.wait.has_value() &&
                    ctx.rng().Chance(options_.wait->ppm, 1000000);
  if (!wait) {
    Next(ctx);
    return;
  }
  const WorkloadOptions::Wait& w = *options_.wait;
  // The node blocks up to timeout_ms; the client waits that long plus its
  // usual request timeout.
  const sim::Duration timeout =
      sim::Duration::Millis(w.timeout_ms) + options_.client.request_timeout;
  client_.SendTo(
      ctx, r.node, {"WAIT", std::to_string(w.numreplicas), std::to_string(w.timeout_ms)},
      timeout, [this, &ctx, id](CallResult wr) {
        if (wr.replied() && wr.reply.kind() == model::Reply::Kind::kInteger) {
          history_->at(id).wait_replicas = static_cast<int>(wr.reply.integer());
        }
        Next(ctx);
      });
}

void WorkloadClient::Next(ActorContext& ctx) {
  planned_ = planned_ + Gap(ctx);
  ScheduleAt(ctx, std::max(planned_, ctx.Now()));
}

void WorkloadClient::OnConnected(ActorContext& ctx, sim::ConnId conn) {
  client_.OnConnected(ctx, conn);
}
void WorkloadClient::OnConnectFailed(ActorContext& ctx, sim::ConnId conn) {
  client_.OnConnectFailed(ctx, conn);
}
void WorkloadClient::OnClosed(ActorContext& ctx, sim::ConnId conn) {
  client_.OnClosed(ctx, conn);
}
void WorkloadClient::OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) {
  client_.OnMessage(ctx, conn, std::move(msg));
}

std::vector<WorkloadClient*> AddWorkload(World& world, const WorkloadOptions& options,
                                         const std::vector<NodeAddress>& seeds,
                                         History* history) {
  std::vector<WorkloadClient*> out;
  for (int i = 1; i <= options.clients; ++i) {
    const std::string name = absl::StrCat(options.name_prefix, i);
    auto actor = std::make_unique<WorkloadClient>(name, options, seeds, history);
    out.push_back(actor.get());
    world.AddActor(name, options.client_ip, std::move(actor));
  }
  return out;
}

}  // namespace slotsim::scenarios
