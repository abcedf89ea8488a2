#include "model/replication.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/marks.h"
#include "model/reply.h"

namespace slotsim::model {
namespace {

ReplFramePtr StreamFrame(std::vector<std::string> argv) {
  auto f = std::make_shared<ReplFrame>();
  f->kind = ReplFrame::Kind::kStream;
  f->bytes = static_cast<int64_t>(EncodeCommand(argv).size());
  f->argv = std::make_shared<const std::vector<std::string>>(std::move(argv));
  return f;
}

const ReplFramePtr& PingFrame() {
  static const ReplFramePtr kPing = StreamFrame({"PING"});  // 14 bytes
  return kPing;
}

const ReplFramePtr& SelectZeroFrame() {
  static const ReplFramePtr kSelect = StreamFrame({"SELECT", "0"});  // 23 bytes
  return kSelect;
}

}  // namespace

const char* ReplStateName(ReplState s) {
  switch (s) {
    case ReplState::kNone: return "none";
    case ReplState::kConnect: return "connect";
    case ReplState::kConnecting: return "connecting";
    case ReplState::kHandshake: return "handshake";
    case ReplState::kTransfer: return "transfer";
    case ReplState::kConnected: return "connected";
  }
  return "?";
}

Replication::Replication(const NodeConfig* config, sim::Rng* rng,
                         Keyspace* keyspace, uint64_t* next_link_id, ApplyFn apply)
    : config_(config),
      rng_(rng),
      keyspace_(keyspace),
      next_link_id_(next_link_id),
      apply_(std::move(apply)) {}

void Replication::Init(int64_t now_ms) {
  replid_ = RandomReplId();
  no_replicas_since_s_ = now_ms / 1000;
}

const std::string& Replication::master_host() const {
  static const std::string kNone;
  return masterhost_ ? *masterhost_ : kNone;
}

int64_t Replication::SlaveOffset() const {
  int64_t offset = 0;
  if (masterhost_) {
    if (master_) {
      offset = master_->reploff;
    } else if (cached_master_) {
      offset = cached_master_->reploff;
    }
  }
  return offset < 0 ? 0 : offset;
}

int64_t Replication::master_last_interaction_s() const {
  return master_ ? master_->lastinteraction_s : 0;
}

bool Replication::IsReplicationLink(LinkId link) const {
  return link == transfer_link_ || (master_ && master_->link == link) ||
         replicas_.count(link) > 0;
}

void Replication::Send(LinkId link, ReplFramePtr frame, Effects* out) {
  out->actions.emplace_back(Effects::Send{link, Wire(std::move(frame))});
}

void Replication::Close(LinkId link, Effects* out) {
  out->actions.emplace_back(Effects::Close{link});
}

void Replication::Note(Effects* out, std::string detail) const {
  NodeEvent e;
  e.kind = EventKind::kReplication;
  e.subject = self_;
  e.detail = std::move(detail);
  out->events.push_back(std::move(e));
}

// --- Replica side. ---

void Replication::ConnectWithMaster(int64_t now_ms, Effects* out) {
  transfer_link_ = NewLinkId();
  out->actions.emplace_back(
      Effects::Connect{transfer_link_, PortKind::kClient, *masterhost_, masterport_});
  state_ = ReplState::kConnecting;
  transfer_lastio_s_ = now_ms / 1000;
}

void Replication::CancelHandshake(Effects* out) {
  if (transfer_link_.valid()) Close(transfer_link_, out);
  transfer_link_ = LinkId();
  transfer_.reset();
  if (state_ == ReplState::kConnecting || state_ == ReplState::kHandshake ||
      state_ == ReplState::kTransfer) {
    state_ = ReplState::kConnect;
  }
}

void Replication::HandleMasterDisconnection(int64_t now_ms, Effects* out) {
  // replicationCacheMaster + replicationHandleMasterDisconnection.
  cached_master_ = master_;
  cached_master_->link = LinkId();
  master_.reset();
  state_ = ReplState::kConnect;
  repl_down_since_s_ = now_ms / 1000;
  Note(out, "master link down");
  if (masterhost_) ConnectWithMaster(now_ms, out);
}

void Replication::FreeMasterClient(int64_t now_ms, Effects* out) {
  Close(master_->link, out);
  HandleMasterDisconnection(now_ms, out);
}

void Replication::SetMaster(const std::string& ip, int port, int64_t now_ms,
                            Effects* out) {
  const bool was_master = !masterhost_.has_value();
  masterhost_.reset();
  if (master_) FreeMasterClient(now_ms, out);
  masterhost_ = ip;
  masterport_ = port;
  CancelHandshake(out);
  if (was_master) {
    // replicationCacheMasterUsingMyself: PSYNC from our own history.
    cached_master_ = MasterClient{LinkId(), replid_, master_repl_offset_, 0};
  }
  state_ = ReplState::kConnect;
  Note(out, absl::StrCat("replicating from ", ip, ":", port));
  ConnectWithMaster(now_ms, out);
}

void Replication::UnsetMaster(int64_t now_ms, Effects* out) {
  if (!masterhost_) return;
  masterhost_.reset();
  if (master_) {
    Close(master_->link, out);
    master_.reset();
  }
  cached_master_.reset();
  CancelHandshake(out);
  // shiftReplicationId.
  replid2_ = replid_;
  second_replid_offset_ = master_repl_offset_ + 1;
  replid_ = RandomReplId();
  DisconnectReplicas(out);
  state_ = ReplState::kNone;
  slaveseldb_ = -1;
  no_replicas_since_s_ = now_ms / 1000;
  repl_down_since_s_ = 0;
  Note(out, "replication stopped: now a master");
}

void Replication::DisconnectReplicas(Effects* out) {
  for (const auto& [link, client] : replicas_) Close(link, out);
  replicas_.clear();
}

bool Replication::OnLinkConnected(LinkId link, int64_t now_ms, Effects* out) {
  if (link != transfer_link_) return false;
  if (state_ != ReplState::kConnecting) return true;
  auto f = std::make_shared<ReplFrame>();
  f->kind = ReplFrame::Kind::kPsync;
  if (cached_master_) {
    f->replid = cached_master_->replid;
    f->offset = cached_master_->reploff + 1;
  } else {
    f->replid = "?";
    f->offset = -1;
  }
  f->ip = config_->ip;
  f->listening_port = config_->port;
  Send(link, std::move(f), out);
  state_ = ReplState::kHandshake;
  transfer_lastio_s_ = now_ms / 1000;
  return true;
}

bool Replication::OnLinkClosed(LinkId link, int64_t now_ms, Effects* out) {
  if (master_ && master_->link == link) {
    HandleMasterDisconnection(now_ms, out);
    return true;
  }
  if (link == transfer_link_) {
    if (transfer_) MARK("replication: full sync transfer aborted");
    transfer_link_ = LinkId();
    transfer_.reset();
    if (masterhost_) state_ = ReplState::kConnect;
    return true;
  }
  auto it = replicas_.find(link);
  if (it != replicas_.end()) {
    replicas_.erase(it);
    if (replicas_.empty()) no_replicas_since_s_ = now_ms / 1000;
    return true;
  }
  return false;
}

void Replication::OnFrame(LinkId link, const ReplFramePtr& frame, int64_t now_ms,
                          Effects* out) {
  switch (frame->kind) {
    case ReplFrame::Kind::kPsync:
      OnPsync(link, *frame, now_ms, out);
      return;
    case ReplFrame::Kind::kAck: {
      auto it = replicas_.find(link);
      if (it != replicas_.end()) {
        it->second.ack_off = frame->offset;
        it->second.ack_time_s = now_ms / 1000;
      }
      return;
    }
    case ReplFrame::Kind::kFullResync:
    case ReplFrame::Kind::kContinue:
    case ReplFrame::Kind::kError:
      if (link == transfer_link_ && state_ == ReplState::kHandshake) {
        OnHandshakeReply(link, *frame, now_ms, out);
      }
      return;
    case ReplFrame::Kind::kStream:
      if (master_ && master_->link == link) {
        OnStreamFrame(frame, now_ms, out);
      } else if (transfer_ && transfer_->link == link) {
        transfer_->buffered.push_back(frame);
      }
      return;
  }
}

void Replication::OnHandshakeReply(LinkId link, const ReplFrame& frame,
                                   int64_t now_ms, Effects* out) {
  const int64_t now_s = now_ms / 1000;
  if (frame.kind == ReplFrame::Kind::kError ||
      (frame.kind == ReplFrame::Kind::kContinue && !cached_master_)) {
    MARK("replication: psync refused");
    CancelHandshake(out);
    return;
  }
  if (frame.kind == ReplFrame::Kind::kContinue && cached_master_) {
    // replicationResurrectCachedMaster.
    MARK("replication: partial resync");
    master_ = cached_master_;
    cached_master_.reset();
    master_->link = link;
    master_->lastinteraction_s = now_s;
    if (frame.replid != master_->replid) {
      replid2_ = master_->replid;
      second_replid_offset_ = master_repl_offset_ + 1;
      replid_ = frame.replid;
      master_->replid = frame.replid;
      DisconnectReplicas(out);
    }
    if (!backlog_) CreateBacklog();
    Note(out, "partial resync");
  } else {
    // +FULLRESYNC: the cached master is discarded at once; the snapshot is
    // transferred and loaded for FullSyncCostMs (readSyncBulkPayload).
    MARK("replication: full resync");
    cached_master_.reset();
    transfer_ = Transfer{link, nullptr, now_ms + FullSyncCostMs(frame), {}};
    auto copy = std::make_shared<ReplFrame>(frame);
    transfer_->frame = std::move(copy);
    state_ = ReplState::kTransfer;
    if (transfer_->done_ms > now_ms) {
      MARK("replication: full sync takes time");
      Note(out, absl::StrCat("full sync transfer until +", transfer_->done_ms - now_ms,
                             " ms"));
      return;
    }
    LoadTransfer(now_ms, out);
    return;
  }
  transfer_link_ = LinkId();
  state_ = ReplState::kConnected;
  repl_down_since_s_ = 0;
}

void Replication::LoadTransfer(int64_t now_ms, Effects* out) {
  // replicationAttachToNewMaster, emptyData, rdbLoad, replicationCreateMasterClient.
  const int64_t now_s = now_ms / 1000;
  Transfer t = std::move(*transfer_);
  transfer_.reset();
  const ReplFrame& frame = *t.frame;
  const LinkId link = t.link;
  {
    DisconnectReplicas(out);
    backlog_.reset();
    if (frame.snapshot) {
      *keyspace_ = *frame.snapshot;
    } else {
      keyspace_->Clear();
    }
    master_ = MasterClient{link, frame.replid, frame.offset, now_s};
    replid_ = frame.replid;
    replid2_ = std::string(40, '0');
    second_replid_offset_ = -1;
    master_repl_offset_ = frame.offset;
    CreateBacklog();
    Note(out, absl::StrCat("full resync at offset ", frame.offset));
  }
  transfer_link_ = LinkId();
  state_ = ReplState::kConnected;
  repl_down_since_s_ = 0;
  for (const ReplFramePtr& f : t.buffered) {
    if (!master_) break;
    OnStreamFrame(f, now_ms, out);
  }
}

void Replication::Poll(int64_t now_ms, Effects* out) {
  if (transfer_ && now_ms >= transfer_->done_ms) LoadTransfer(now_ms, out);
}

int64_t Replication::FullSyncCostMs(const ReplFrame& frame) const {
  const int64_t rate = config_->repl_full_sync_bytes_per_ms;
  const int64_t bytes = frame.WireSize();
  return config_->repl_full_sync_fixed_ms + (rate > 0 ? bytes / rate : 0);
}

void Replication::FeedGetAck(Effects* out) {
  if (masterhost_ || replicas_.empty()) return;
  static const ReplFramePtr kGetAck = StreamFrame({"REPLCONF", "GETACK", "*"});
  FeedFrame(kGetAck, out);
}

int Replication::CountAcksByOffset(int64_t offset) const {
  int count = 0;
  for (const auto& [link, r] : replicas_) count += r.ack_off >= offset;
  return count;
}

int Replication::CountGoodReplicas(int64_t now_s, int64_t max_lag_s) const {
  int count = 0;
  for (const auto& [link, r] : replicas_) count += now_s - r.ack_time_s <= max_lag_s;
  return count;
}

void Replication::OnStreamFrame(const ReplFramePtr& frame, int64_t now_ms,
                                Effects* out) {
  master_->lastinteraction_s = now_ms / 1000;
  apply_(*frame->argv);
  const std::vector<std::string>& argv = *frame->argv;
  if (argv.size() >= 2 && (argv[0] == "REPLCONF" || argv[0] == "replconf") &&
      (argv[1] == "GETACK" || argv[1] == "getack")) {
    // replconfCommand GETACK: replicationSendAck with the offset processed
    // before this command.
    auto ack = std::make_shared<ReplFrame>();
    ack->kind = ReplFrame::Kind::kAck;
    ack->offset = master_->reploff;
    Send(master_->link, std::move(ack), out);
  }
  master_->reploff += frame->bytes;
  // replicationFeedStreamFromMasterStream: proxy the identical bytes.
  FeedFrame(frame, out);
}

// --- Source side. ---

void Replication::CreateBacklog() {
  backlog_ = Backlog{master_repl_offset_ + 1, 0, {}};
}

void Replication::AppendToBacklog(const ReplFramePtr& frame) {
  if (!backlog_) return;
  backlog_->frames.push_back(frame);
  backlog_->histlen += frame->bytes;
  while (backlog_->histlen > config_->repl_backlog_size_bytes &&
         backlog_->frames.size() > 1) {
    const int64_t b = backlog_->frames.front()->bytes;
    backlog_->frames.pop_front();
    backlog_->histlen -= b;
    backlog_->offset += b;
  }
}

void Replication::FeedFrame(const ReplFramePtr& frame, Effects* out) {
  master_repl_offset_ += frame->bytes;
  AppendToBacklog(frame);
  for (const auto& [link, client] : replicas_) Send(link, frame, out);
}

void Replication::Propagate(const std::vector<std::string>& argv, Effects* out) {
  if (masterhost_) return;  // replicas only proxy their master's stream
  if (exec_batch_) {
    exec_batch_->push_back(argv);
    return;
  }
  PropagateNow(argv, out);
}

void Replication::BeginExec() { exec_batch_.emplace(); }

void Replication::EndExec(Effects* out) {
  if (!exec_batch_) return;
  std::vector<std::vector<std::string>> batch = std::move(*exec_batch_);
  exec_batch_.reset();
  if (batch.size() > 1) PropagateNow({"MULTI"}, out);
  for (const auto& argv : batch) PropagateNow(argv, out);
  if (batch.size() > 1) PropagateNow({"EXEC"}, out);
}

void Replication::PropagateNow(const std::vector<std::string>& argv, Effects* out) {
  if (!backlog_ && replicas_.empty()) return;
  if (slaveseldb_ != 0) {
    FeedFrame(SelectZeroFrame(), out);
    slaveseldb_ = 0;
  }
  FeedFrame(StreamFrame(argv), out);
}

void Replication::OnPsync(LinkId link, const ReplFrame& frame, int64_t now_ms,
                          Effects* out) {
  const int64_t now_s = now_ms / 1000;
  if (masterhost_ && state_ != ReplState::kConnected) {
    auto f = std::make_shared<ReplFrame>();
    f->kind = ReplFrame::Kind::kError;
    f->error = "NOMASTERLINK Can't SYNC while not connected with my master";
    Send(link, std::move(f), out);
    return;
  }
  const bool id_ok =
      frame.replid == replid_ ||
      (frame.replid == replid2_ && frame.offset <= second_replid_offset_);
  const bool in_backlog = backlog_ && frame.offset >= backlog_->offset &&
                          frame.offset <= backlog_->offset + backlog_->histlen;
  replicas_[link] = ReplicaClient{frame.ip, frame.listening_port, 0, now_s};
  if (id_ok && in_backlog) {
    auto f = std::make_shared<ReplFrame>();
    f->kind = ReplFrame::Kind::kContinue;
    f->replid = replid_;
    Send(link, std::move(f), out);
    int64_t at = backlog_->offset;
    for (const ReplFramePtr& b : backlog_->frames) {
      if (at >= frame.offset) Send(link, b, out);
      at += b->bytes;
    }
    return;
  }
  if (id_ok) MARK("replication: backlog cannot serve psync");
  if (replicas_.size() == 1 && !backlog_) {
    replid_ = RandomReplId();
    replid2_ = std::string(40, '0');
    second_replid_offset_ = -1;
    CreateBacklog();
  }
  auto f = std::make_shared<ReplFrame>();
  f->kind = ReplFrame::Kind::kFullResync;
  f->replid = replid_;
  f->offset = master_repl_offset_;
  f->snapshot = std::make_shared<const Keyspace>(*keyspace_);
  // The replica acks only after its load: start its ack clock then.
  replicas_[link].ack_time_s = (now_ms + FullSyncCostMs(*f)) / 1000;
  Send(link, std::move(f), out);
  slaveseldb_ = -1;
}

void Replication::Cron(int64_t now_ms, bool pause_ping, Effects* out) {
  const int64_t now_s = now_ms / 1000;
  const int64_t timeout_s = config_->repl_timeout_s;
  if (masterhost_ &&
      (state_ == ReplState::kConnecting || state_ == ReplState::kHandshake) &&
      now_s - transfer_lastio_s_ > timeout_s) {
    MARK("replication: handshake timeout");
    CancelHandshake(out);
    ConnectWithMaster(now_ms, out);
  }
  if (masterhost_ && state_ == ReplState::kConnected &&
      now_s - master_->lastinteraction_s > timeout_s) {
    MARK("replication: master timeout");
    FreeMasterClient(now_ms, out);
  }
  if (masterhost_ && state_ == ReplState::kConnect) ConnectWithMaster(now_ms, out);
  if (masterhost_ && master_) {
    auto f = std::make_shared<ReplFrame>();
    f->kind = ReplFrame::Kind::kAck;
    f->offset = master_->reploff;
    Send(master_->link, std::move(f), out);
  }
  const int64_t period = config_->repl_ping_replica_period_s;
  if (period > 0 && cron_loops_ % static_cast<uint64_t>(period) == 0 &&
      !replicas_.empty()) {
    if (pause_ping) {
      MARK("replication: ping suppressed by manual failover pause");
    } else if (!masterhost_) {
      FeedFrame(PingFrame(), out);
    }
  }
  for (auto it = replicas_.begin(); it != replicas_.end();) {
    if (now_s - it->second.ack_time_s > timeout_s) {
      MARK("replication: replica timed out");
      Close(it->first, out);
      it = replicas_.erase(it);
      if (replicas_.empty()) no_replicas_since_s_ = now_s;
    } else {
      ++it;
    }
  }
  // Free the backlog of a master left without replicas for an hour
  // (repl-backlog-ttl 3600).
  if (replicas_.empty() && backlog_ && !masterhost_ &&
      now_s - no_replicas_since_s_ > 3600) {
    replid_ = RandomReplId();
    replid2_ = std::string(40, '0');
    second_replid_offset_ = -1;
    backlog_.reset();
  }
  ++cron_loops_;
}

std::string Replication::InfoText(int64_t now_ms) const {
  const int64_t now_s = now_ms / 1000;
  std::string info = absl::StrCat("# Replication\r\nrole:",
                                  masterhost_ ? "slave" : "master", "\r\n");
  if (masterhost_) {
    int64_t offset = 1;
    if (master_) {
      offset = master_->reploff;
    } else if (cached_master_) {
      offset = cached_master_->reploff;
    }
    absl::StrAppend(&info, "master_host:", *masterhost_, "\r\nmaster_port:",
                    masterport_, "\r\nmaster_link_status:",
                    state_ == ReplState::kConnected ? "up" : "down",
                    "\r\nmaster_last_io_seconds_ago:",
                    master_ ? now_s - master_->lastinteraction_s : -1,
                    "\r\nmaster_sync_in_progress:", state_ == ReplState::kTransfer ? 1 : 0,
                    "\r\nslave_read_repl_offset:",
                    offset, "\r\nslave_repl_offset:", offset, "\r\n");
    if (state_ != ReplState::kConnected) {
      absl::StrAppend(&info, "master_link_down_since_seconds:",
                      repl_down_since_s_ ? now_s - repl_down_since_s_ : -1, "\r\n");
    }
    absl::StrAppend(&info,
                    "slave_priority:100\r\nslave_read_only:1\r\nreplica_announced:1\r\n");
  }
  absl::StrAppend(&info, "connected_slaves:", replicas_.size(), "\r\n");
  int id = 0;
  for (const auto& [link, r] : replicas_) {
    absl::StrAppend(&info, "slave", id++, ":ip=", r.ip, ",port=", r.listening_port,
                    ",state=online,offset=", r.ack_off,
                    ",lag=", now_s - r.ack_time_s, "\r\n");
  }
  absl::StrAppend(&info, "master_failover_state:no-failover\r\nmaster_replid:",
                  replid_, "\r\nmaster_replid2:", replid2_,
                  "\r\nmaster_repl_offset:", master_repl_offset_,
                  "\r\nsecond_repl_offset:", second_replid_offset_,
                  "\r\nrepl_backlog_active:", backlog_ ? 1 : 0,
                  "\r\nrepl_backlog_size:", config_->repl_backlog_size_bytes,
                  "\r\nrepl_backlog_first_byte_offset:",
                  backlog_ ? backlog_->offset : 0,
                  "\r\nrepl_backlog_histlen:", backlog_ ? backlog_->histlen : 0,
                  "\r\n");
  return info;
}

}  // namespace slotsim::model
