// The node's command table: what processCommand looks up for every command
// (name, arity, flags, key positions), as in Redis 7.0.15's command table
// (commands.def / the JSON command docs) for the commands the model serves.
//
// Key positions are what getKeysFromCommand returns: the first key only
// (GET), every argument from the first key (DEL, EXISTS), or MIGRATE's
// (argv[3], or every argument after KEYS).

#ifndef SLOTSIM_MODEL_NODE_COMMAND_TABLE_H_
#define SLOTSIM_MODEL_NODE_COMMAND_TABLE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "model/reply.h"

namespace slotsim::model {

struct CommandSpec {
  enum class Keys { kNone, kFirst, kAllFrom, kMigrate };
  const char* name;
  int arity;      // Redis arity: n exact, -n at least n
  bool write;     // CMD_WRITE: paused during a manual failover, refused when
                  // the cluster is down with allow-reads-when-down
  Keys keys;
  int first_key;  // kFirst / kAllFrom
  bool asking;    // CMD_ASKING (RESTORE-ASKING)
};

// The spec of a lower-case command name, or nullptr.
const CommandSpec* FindCommand(const std::string& lower);

// Argument indexes of the keys of `argv` (a valid command of `spec`).
std::vector<size_t> KeyPositions(const CommandSpec& spec,
                                 const std::vector<std::string>& argv);

// processCommand's lookup and arity errors ("ERR unknown command ...",
// "ERR wrong number of arguments for ..."), or nullopt if the command is
// known and its arity is right.
std::optional<Reply> LookupError(const std::vector<std::string>& argv);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_NODE_COMMAND_TABLE_H_
