#include "model/node_command_table.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace slotsim::model {
namespace {

using K = CommandSpec::Keys;

constexpr CommandSpec kCommands[] = {
    {"cluster", -2, false, K::kNone, 0, false},
    {"get", 2, false, K::kFirst, 1, false},
    {"set", -3, true, K::kFirst, 1, false},
    {"del", -2, true, K::kAllFrom, 1, false},
    {"exists", -2, false, K::kAllFrom, 1, false},
    {"ping", -1, false, K::kNone, 0, false},
    {"echo", 2, false, K::kNone, 0, false},
    {"dbsize", 1, false, K::kNone, 0, false},
    {"info", -1, false, K::kNone, 0, false},
    {"select", 2, false, K::kNone, 0, false},
    {"asking", 1, false, K::kNone, 0, false},
    {"readonly", 1, false, K::kNone, 0, false},
    {"readwrite", 1, false, K::kNone, 0, false},
    {"multi", 1, false, K::kNone, 0, false},
    {"exec", 1, false, K::kNone, 0, false},
    {"discard", 1, false, K::kNone, 0, false},
    {"wait", 3, false, K::kNone, 0, false},
    {"debug", -2, false, K::kNone, 0, false},
    {"function", -2, false, K::kNone, 0, false},
    {"dump", 2, false, K::kFirst, 1, false},
    {"restore", -4, true, K::kFirst, 1, false},
    {"restore-asking", -4, true, K::kFirst, 1, true},
    {"migrate", -6, true, K::kMigrate, 0, false},
};

bool ArityOk(int arity, size_t argc) {
  return arity > 0 ? argc == static_cast<size_t>(arity)
                   : argc >= static_cast<size_t>(-arity);
}

}  // namespace

const CommandSpec* FindCommand(const std::string& lower) {
  for (const CommandSpec& c : kCommands) {
    if (lower == c.name) return &c;
  }
  return nullptr;
}

std::vector<size_t> KeyPositions(const CommandSpec& spec,
                                 const std::vector<std::string>& argv) {
  std::vector<size_t> pos;
  switch (spec.keys) {
    case K::kNone:
      break;
    case K::kFirst:
      pos.push_back(static_cast<size_t>(spec.first_key));
      break;
    case K::kAllFrom:
      for (size_t i = static_cast<size_t>(spec.first_key); i < argv.size(); ++i) {
        pos.push_back(i);
      }
      break;
    case K::kMigrate: {
      // migrateGetKeys: the keys after KEYS when the key argument is empty,
      // else argv[3].
      for (size_t i = 6; i < argv.size(); ++i) {
        if (absl::AsciiStrToLower(argv[i]) == "keys") {
          if (argv[3].empty()) {
            for (size_t j = i + 1; j < argv.size(); ++j) pos.push_back(j);
            return pos;
          }
          break;
        }
      }
      pos.push_back(3);
      break;
    }
  }
  return pos;
}

std::optional<Reply> LookupError(const std::vector<std::string>& argv) {
  if (argv.empty()) return Reply::Error("ERR unknown command '', with args beginning with: ");
  const CommandSpec* spec = FindCommand(absl::AsciiStrToLower(argv[0]));
  if (spec == nullptr) {
    std::string args;
    for (size_t i = 1; i < argv.size() && args.size() < 128; ++i) {
      absl::StrAppend(&args, "'", argv[i].substr(0, 128 - args.size()), "' ");
    }
    return Reply::Error(absl::StrCat("ERR unknown command '", argv[0].substr(0, 128),
                                     "', with args beginning with: ", args));
  }
  if (!ArityOk(spec->arity, argv.size())) {
    return Reply::Error(
        absl::StrCat("ERR wrong number of arguments for '", spec->name, "' command"));
  }
  return std::nullopt;
}

}  // namespace slotsim::model
