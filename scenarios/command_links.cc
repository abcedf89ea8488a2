#include "scenarios/command_links.h"

#include <memory>
#include <utility>

#include "model/node_io.h"
#include "sim/check.h"

namespace slotsim::scenarios {

const char* CallStatusName(CallResult::Status s) {
  switch (s) {
    case CallResult::Status::kReply:
      return "reply";
    case CallResult::Status::kTimeout:
      return "timeout";
    case CallResult::Status::kClosed:
      return "closed";
    case CallResult::Status::kRefused:
      return "refused";
  }
  return "?";
}

void CommandLinks::FailSoon(ActorContext& ctx, CallResult::Status status, Done done) {
  ctx.After(sim::Duration::Zero(), [status, done = std::move(done)] {
    CallResult r;
    r.status = status;
    r.established = status == CallResult::Status::kClosed;
    done(std::move(r));
  });
}

void CommandLinks::Call(ActorContext& ctx, const NodeAddress& addr,
                        std::vector<std::string> argv, sim::Duration timeout, Done done) {
  CHECK(done != nullptr);
  sim::ConnId conn;
  auto it = by_addr_.find(addr);
  if (it != by_addr_.end()) {
    conn = it->second;
  } else {
    conn = ctx.Connect(addr.ip, addr.port);
    if (!conn.valid()) {
      FailSoon(ctx, CallResult::Status::kRefused, std::move(done));
      return;
    }
    ++connects_;
    by_addr_[addr] = conn;
    links_[conn].addr = addr;
  }
  const uint64_t id = next_request_id_++;
  auto frame = std::make_shared<const model::CommandFrame>(
      model::CommandFrame{id, std::move(argv)});
  if (!ctx.Send(conn, model::Wire(std::move(frame)))) {
    // Refused at once (queue full or a connection the network already
    // dropped): the link is unusable.
    Link& link = links_[conn];
    const bool established = link.established;
    Fail(ctx, conn, CallResult::Status::kClosed);
    ctx.Close(conn);
    FailSoon(ctx,
             established ? CallResult::Status::kClosed : CallResult::Status::kRefused,
             std::move(done));
    return;
  }
  Pending p;
  p.done = std::move(done);
  if (timeout > sim::Duration::Zero()) {
    p.timer = ctx.After(timeout, [this, &ctx, conn, id] { OnTimeout(ctx, conn, id); });
    p.has_timer = true;
  }
  links_[conn].pending.emplace(id, std::move(p));
}

void CommandLinks::OnTimeout(ActorContext& ctx, sim::ConnId conn, uint64_t request_id) {
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  auto pit = it->second.pending.find(request_id);
  if (pit == it->second.pending.end()) return;
  Done done = std::move(pit->second.done);
  pit->second.has_timer = false;  // this timer is the one firing
  it->second.pending.erase(pit);
  const bool established = it->second.established;
  Fail(ctx, conn, CallResult::Status::kClosed);
  ctx.Close(conn);
  CallResult r;
  r.status = CallResult::Status::kTimeout;
  r.established = established;
  done(std::move(r));
}

void CommandLinks::Fail(ActorContext& ctx, sim::ConnId conn, CallResult::Status status) {
  auto it = links_.find(conn);
  if (it == links_.end()) return;
  Link link = std::move(it->second);
  links_.erase(it);
  auto ait = by_addr_.find(link.addr);
  if (ait != by_addr_.end() && ait->second == conn) by_addr_.erase(ait);
  // Callbacks may call back into us: the link is gone from the maps first.
  for (auto& [id, p] : link.pending) {
    if (p.has_timer) ctx.Cancel(p.timer);
  }
  for (auto& [id, p] : link.pending) {
    CallResult r;
    r.status = status;
    r.established = link.established;
    p.done(std::move(r));
  }
}

void CommandLinks::CloseAddress(ActorContext& ctx, const NodeAddress& addr) {
  auto it = by_addr_.find(addr);
  if (it == by_addr_.end()) return;
  const sim::ConnId conn = it->second;
  ctx.Close(conn);
  Fail(ctx, conn, CallResult::Status::kClosed);
}

void CommandLinks::CloseAll(ActorContext& ctx) {
  while (!links_.empty()) {
    const sim::ConnId conn = links_.begin()->first;
    ctx.Close(conn);
    Fail(ctx, conn, CallResult::Status::kClosed);
  }
}

bool CommandLinks::OnConnected(ActorContext& ctx, sim::ConnId conn) {
  (void)ctx;
  auto it = links_.find(conn);
  if (it == links_.end()) return false;
  it->second.established = true;
  return true;
}

bool CommandLinks::OnConnectFailed(ActorContext& ctx, sim::ConnId conn) {
  if (links_.count(conn) == 0) return false;
  Fail(ctx, conn, CallResult::Status::kRefused);
  return true;
}

bool CommandLinks::OnClosed(ActorContext& ctx, sim::ConnId conn) {
  if (links_.count(conn) == 0) return false;
  ctx.Close(conn);
  Fail(ctx, conn, CallResult::Status::kClosed);
  return true;
}

bool CommandLinks::OnMessage(ActorContext& ctx, sim::ConnId conn, model::Wire&& msg) {
  auto it = links_.find(conn);
  if (it == links_.end()) return false;
  const auto* frame = std::get_if<std::shared_ptr<const model::ReplyFrame>>(&msg);
  if (frame == nullptr || *frame == nullptr) return true;  // not for a client
  auto pit = it->second.pending.find((*frame)->request_id);
  if (pit == it->second.pending.end()) return true;  // a request we gave up on
  Pending p = std::move(pit->second);
  it->second.pending.erase(pit);
  if (p.has_timer) ctx.Cancel(p.timer);
  CallResult r;
  r.status = CallResult::Status::kReply;
  r.established = true;
  r.reply = (*frame)->reply;
  p.done(std::move(r));
  return true;
}

int CommandLinks::pending() const {
  int n = 0;
  for (const auto& [conn, link] : links_) n += static_cast<int>(link.pending.size());
  return n;
}

bool CommandLinks::connected(const NodeAddress& addr) const {
  auto it = by_addr_.find(addr);
  if (it == by_addr_.end()) return false;
  auto lit = links_.find(it->second);
  return lit != links_.end() && lit->second.established;
}

}  // namespace slotsim::scenarios
