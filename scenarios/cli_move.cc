// ClusterManager: moving one slot (clusterManagerMoveSlot,
// clusterManagerMigrateKeysInSlot, clusterManagerMigrateKeysInReply,
// clusterManagerCompareKeysValues, clusterManagerSetSlot).
//
// Move s from SRC to DST (unless cold): DST SETSLOT s IMPORTING SRC, SRC
// SETSLOT s MIGRATING DST; then GETKEYSINSLOT s <pipeline> / MIGRATE ... KEYS
// batches on SRC until none are left; then SETSLOT s NODE DST on DST, on SRC
// (tolerating "ERR Please use SETSLOT only with masters.") and on every other
// master. With `want_err` (reshard, rebalance) errors are handed back to the
// caller instead of being printed, as redis-cli's err argument does.

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "scenarios/cluster_manager.h"

namespace slotsim::scenarios {
namespace {

constexpr char kAcceptableSourceError[] = "ERR Please use SETSLOT only with masters.";

}  // namespace

void ClusterManager::SetSlot(int node, int other, int slot, const std::string& status,
                             bool want_err,
                             std::function<void(bool ok, std::string err)> k) {
  Send(node,
       {"CLUSTER", "SETSLOT", std::to_string(slot), status,
        nodes_[static_cast<size_t>(other)].cli.name.str()},
       [this, node, want_err, k = std::move(k)](const model::Reply* r) {
         if (r == nullptr)
           return k(false, want_err ? "CLUSTER SETSLOT failed to run" : "");
         if (r->is_error()) {
           if (!want_err) PrintReplyError(nodes_[static_cast<size_t>(node)], r->str());
           return k(false, want_err ? r->str() : "");
         }
         k(true, "");
       });
}

void ClusterManager::MoveSlot(int src, int dst, int slot, int opts, bool want_err,
                              std::function<void(bool ok, std::string err)> k) {
  const MNode& s = nodes_[static_cast<size_t>(src)];
  const MNode& d = nodes_[static_cast<size_t>(dst)];
  if (!(opts & model::kMoveQuiet)) {
    Print(absl::StrCat("Moving slot ", slot, " from ", s.cli.Addr(), " to ", d.cli.Addr(),
                       ": "));
  }
  auto migrate = [this, src, dst, slot, opts, want_err, k] {
    MigrateKeysInSlot(
        src, dst, slot, (opts & model::kMoveVerbose) != 0, want_err,
        [this, src, dst, slot, opts, want_err, k](bool ok, std::string err) {
          if (!(opts & model::kMoveQuiet)) Print("\n");
          if (!ok) return k(false, err);
          MoveSlotFinish(src, dst, slot, opts, want_err, k);
        });
  };
  if (opts & model::kMoveCold) return migrate();
  SetSlot(dst, src, slot, "importing", want_err,
          [this, src, dst, slot, want_err, migrate, k](bool ok, std::string err) {
            if (!ok) return k(false, err);
            SetSlot(src, dst, slot, "migrating", want_err,
                    [migrate, k](bool ok, std::string err) {
                      if (!ok) return k(false, err);
                      migrate();
                    });
          });
}

void ClusterManager::MoveSlotFinish(int src, int dst, int slot, int opts, bool want_err,
                                    std::function<void(bool ok, std::string err)> k) {
  auto update = [this, src, dst, slot, opts, k] {
    if (opts & model::kMoveUpdate) {
      nodes_[static_cast<size_t>(src)].cli.slots.Clear(slot);
      nodes_[static_cast<size_t>(dst)].cli.slots.Set(slot);
    }
    k(true, "");
  };
  if (opts & model::kMoveCold) return update();
  // The target first: it bumps its epoch and spreads the news (issue #7116).
  SetSlot(dst, dst, slot, "node", want_err,
          [this, src, dst, slot, want_err, update, k](bool ok, std::string err) {
            if (!ok) return k(false, err);
            SetSlot(
                src, dst, slot, "node", want_err,
                [this, src, dst, slot, want_err, update, k](bool ok, std::string err) {
                  // The source may have turned into a replica already (#9223).
                  if (!ok && want_err && err.rfind(kAcceptableSourceError, 0) != 0) {
                    return k(false, err);
                  }
                  Loop(
                      static_cast<int>(nodes_.size()),
                      [this, src, dst, slot, want_err](int i, K next) {
                        if (i == src || i == dst) return next(true);
                        if (nodes_[static_cast<size_t>(i)].flag_bits & kCliFlagSlave) {
                          return next(true);
                        }
                        SetSlot(i, dst, slot, "node", want_err,
                                [this, next](bool ok, std::string err) {
                                  if (!ok) move_error_ = err;
                                  next(ok);
                                });
                      },
                      [this, update, k](bool ok) {
                        if (!ok) return k(false, move_error_);
                        update();
                      });
                });
          });
}

void ClusterManager::MigrateKeysInSlot(int src, int dst, int slot, bool verbose,
                                       bool want_err,
                                       std::function<void(bool ok, std::string err)> k) {
  Send(
      src,
      {"CLUSTER", "GETKEYSINSLOT", std::to_string(slot),
       std::to_string(options_.pipeline)},
      [this, src, dst, slot, verbose, want_err, k = std::move(k)](const model::Reply* r) {
        if (r == nullptr) return k(false, "");
        if (r->is_error()) {
          if (!want_err) return k(false, "");
          PrintReplyError(nodes_[static_cast<size_t>(src)], r->str());
          return k(false, r->str());
        }
        if (r->items().empty()) return k(true, "");
        std::vector<std::string> keys;
        keys.reserve(r->items().size());
        for (const model::Reply& e : r->items()) keys.push_back(e.str());
        const std::string dots(keys.size(), '.');
        auto again = [this, src, dst, slot, verbose, want_err, k] {
          MigrateKeysInSlot(src, dst, slot, verbose, want_err, k);
        };
        MigrateBatch(src, dst, keys, /*replace=*/false,
                     [this, src, dst, slot, keys, verbose, dots, want_err, again,
                      k](const model::Reply* m) {
                       // No reply: redis-cli goes on to the next GETKEYSINSLOT,
                       // which then fails on the dead connection.
                       if (m == nullptr) return again();
                       if (!m->is_error()) {
                         if (verbose) Print(dots);
                         return again();
                       }
                       HandleMigrateError(
                           src, dst, slot, keys, m->str(), want_err,
                           [this, verbose, dots, again, k](bool ok, std::string err) {
                             if (!ok) return k(false, err);
                             if (verbose) Print(dots);
                             again();
                           });
                     });
      });
}

void ClusterManager::MigrateBatch(int src, int dst, std::vector<std::string> keys,
                                  bool replace, OnReply k) {
  const MNode& d = nodes_[static_cast<size_t>(dst)];
  std::vector<std::string> argv = {
      "MIGRATE", d.cli.ip, std::to_string(d.cli.port),
      "",        "0",      std::to_string(options_.migrate_timeout_ms)};
  if (replace) argv.push_back("REPLACE");
  argv.push_back("KEYS");
  for (std::string& key : keys) argv.push_back(std::move(key));
  Send(src, std::move(argv), std::move(k),
       sim::Duration::Millis(options_.migrate_timeout_ms) + options_.command_timeout);
}

void ClusterManager::HandleMigrateError(int src, int dst, int slot,
                                        std::vector<std::string> keys, std::string error,
                                        bool want_err,
                                        std::function<void(bool ok, std::string err)> k) {
  const bool is_busy = error.find("BUSYKEY") != std::string::npos;
  // The final failure: the MIGRATE error is printed after a newline.
  auto fail_with = [this, src, want_err, k](const std::string& text) {
    Print("\n");
    PrintReplyError(nodes_[static_cast<size_t>(src)], text);
    k(false, want_err ? text : "");
  };
  auto handle = [this, src, dst, slot, keys, error, is_busy, fail_with,
                 k](bool not_served) {
    if (!is_busy && !not_served) return fail_with(error);
    auto retry = [this, src, dst, keys, is_busy, fail_with, k] {
      MigrateBatch(src, dst, keys, /*replace=*/is_busy,
                   [fail_with, k](const model::Reply* m) {
                     if (m == nullptr) return k(false, "");
                     if (m->is_error()) return fail_with(m->str());
                     k(true, "");
                   });
    };
    auto busy = [this, src, dst, keys, is_busy, retry, k] {
      if (!is_busy) return retry();
      Print("\n*** Target key exists\n");
      if (options_.replace) {
        Print("*** Replacing target keys...\n");
        return retry();
      }
      Print("*** Checking key values on both nodes...\n");
      CompareKeysValues(
          src, dst, keys,
          [this, src, dst, retry, k](bool ok, std::vector<std::string> diffs) {
            if (!ok) {
              Err("*** Value check failed!\n");
              return k(false, "");
            }
            if (!diffs.empty()) {
              const MNode& s = nodes_[static_cast<size_t>(src)];
              const MNode& d = nodes_[static_cast<size_t>(dst)];
              Err(absl::StrCat("*** Found ", diffs.size(),
                               " key(s) in both source node and target node having "
                               "different values.\n    Source node: ",
                               s.cli.Addr(), "\n    Target node: ", d.cli.Addr(),
                               "\n    Keys(s):\n"));
              for (const std::string& key : diffs) Err("    - " + key + "\n");
              Err("Please fix the above key(s) manually and try again or "
                  "relaunch the command \nwith --cluster-replace option to "
                  "force key overriding.\n");
              return k(false, "");
            }
            Print("*** Replacing target keys...\n");
            retry();
          });
    };
    if (do_fix_ && not_served) {
      const MNode& d = nodes_[static_cast<size_t>(dst)];
      Print(absl::StrCat("*** Slot was not served, setting owner to node ", d.cli.Addr(),
                         ".\n"));
      return SetSlot(src, dst, slot, "node", /*want_err=*/false,
                     [busy](bool, std::string) { busy(); });
    }
    busy();
  };
  if (is_busy) return handle(false);
  // Is the slot unassigned in the source's configuration?
  GetSlotOwner(src, slot, [this, src, handle](int owner, std::string err) {
    if (owner >= 0) return handle(false);
    if (!err.empty()) {
      PrintReplyError(nodes_[static_cast<size_t>(src)], err);
      return handle(false);
    }
    handle(true);
  });
}

void ClusterManager::CompareKeysValues(
    int n1, int n2, const std::vector<std::string>& keys,
    std::function<void(bool ok, std::vector<std::string> diffs)> k) {
  std::vector<std::string> argv = {"DEBUG", "DIGEST-VALUE"};
  argv.insert(argv.end(), keys.begin(), keys.end());
  Send(n1, argv, [this, n1, n2, argv, keys, k = std::move(k)](const model::Reply* r1) {
    if (r1 == nullptr) return k(false, {});
    model::Reply first = *r1;
    Send(n2, argv, [this, n1, n2, first, keys, k](const model::Reply* r2) {
      if (r2 == nullptr) return k(false, {});
      bool ok = true;
      if (first.is_error()) {
        PrintReplyError(nodes_[static_cast<size_t>(n1)], first.str());
        ok = false;
      }
      if (r2->is_error()) {
        PrintReplyError(nodes_[static_cast<size_t>(n2)], r2->str());
        ok = false;
      }
      if (!ok || first.items().size() != keys.size() ||
          r2->items().size() != keys.size()) {
        return k(false, {});
      }
      static const std::string kZero(40, '0');
      std::vector<std::string> diffs;
      for (size_t i = 0; i < keys.size(); ++i) {
        const std::string& h1 = first.items()[i].str();
        const std::string& h2 = r2->items()[i].str();
        if (h1 == kZero || h2 == kZero) continue;
        if (h1 != h2) diffs.push_back(keys[i]);
      }
      k(true, std::move(diffs));
    });
  });
}

}  // namespace slotsim::scenarios
