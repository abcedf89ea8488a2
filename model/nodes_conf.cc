#include "model/nodes_conf.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace slotsim::model {
namespace {

// Debian's Abseil has its own absl::string_view, not an alias of
// std::string_view; StrCat and friends take that type.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

constexpr size_t kMaxIpLen = 45;  // NET_IP_STR_LEN - 1

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// sdssplitargs: nullopt for unbalanced quotes or a closing quote not followed
// by a blank. `line` holds no NUL (the caller cuts at the first one).
std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::vector<std::string> args;
  size_t i = 0;
  const size_t n = line.size();
  auto at = [&](size_t k) { return k < n ? line[k] : '\0'; };
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return args;
    std::string current;
    bool in_double = false, in_single = false, done = false;
    while (!done) {
      char c = at(i);
      if (in_double) {
        if (c == '\\' && at(i + 1) == 'x' && HexValue(at(i + 2)) >= 0 &&
            HexValue(at(i + 3)) >= 0) {
          current.push_back(
              static_cast<char>(HexValue(at(i + 2)) * 16 + HexValue(at(i + 3))));
          i += 3;
        } else if (c == '\\' && at(i + 1) != '\0') {
          ++i;
          switch (at(i)) {
            case 'n':
              current.push_back('\n');
              break;
            case 'r':
              current.push_back('\r');
              break;
            case 't':
              current.push_back('\t');
              break;
            case 'b':
              current.push_back('\b');
              break;
            case 'a':
              current.push_back('\a');
              break;
            default:
              current.push_back(at(i));
              break;
          }
        } else if (c == '"') {
          if (at(i + 1) != '\0' && !IsSpace(at(i + 1))) return std::nullopt;
          done = true;
        } else if (c == '\0') {
          return std::nullopt;
        } else {
          current.push_back(c);
        }
      } else if (in_single) {
        if (c == '\\' && at(i + 1) == '\'') {
          ++i;
          current.push_back('\'');
        } else if (c == '\'') {
          if (at(i + 1) != '\0' && !IsSpace(at(i + 1))) return std::nullopt;
          done = true;
        } else if (c == '\0') {
          return std::nullopt;
        } else {
          current.push_back(c);
        }
      } else {
        switch (c) {
          case ' ':
          case '\n':
          case '\r':
          case '\t':
          case '\0':
            done = true;
            break;
          case '"':
            in_double = true;
            break;
          case '\'':
            in_single = true;
            break;
          default:
            current.push_back(c);
            break;
        }
      }
      if (i < n) ++i;
    }
    args.push_back(std::move(current));
  }
}

// Leading blanks and an optional sign, as strtol / strtoull skip them.
// Returns the magnitude saturated at UINT64_MAX and whether it overflowed.
struct Digits {
  bool negative = false;
  uint64_t magnitude = 0;
  bool overflow = false;
};
Digits ScanDigits(std::string_view s) {
  Digits d;
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    uint64_t digit = static_cast<uint64_t>(s[i] - '0');
    if (d.magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      d.overflow = true;
      d.magnitude = std::numeric_limits<uint64_t>::max();
    } else if (!d.overflow) {
      d.magnitude = d.magnitude * 10 + digit;
    }
  }
  return d;
}

// strtol(s, NULL, 10) on LP64: saturates at the long range.
int64_t Strtol(std::string_view s) {
  Digits d = ScanDigits(s);
  constexpr uint64_t kMaxPos = std::numeric_limits<int64_t>::max();
  if (!d.negative) {
    return d.magnitude > kMaxPos ? std::numeric_limits<int64_t>::max()
                                 : static_cast<int64_t>(d.magnitude);
  }
  if (d.magnitude > kMaxPos + 1) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(~d.magnitude + 1);  // -magnitude, two's complement
}

// atoi: glibc's (int) strtol(s, NULL, 10), i.e. the low 32 bits.
int Atoi(std::string_view s) { return static_cast<int32_t>(Strtol(s)); }

// strtoull(s, NULL, 10): ULLONG_MAX on overflow, a '-' negates modulo 2^64.
uint64_t Strtoull(std::string_view s) {
  Digits d = ScanDigits(s);
  if (d.overflow) return std::numeric_limits<uint64_t>::max();
  return d.negative ? ~d.magnitude + 1 : d.magnitude;
}

// verifyClusterNodeId.
bool ValidNodeId(std::string_view id) {
  if (id.size() != static_cast<size_t>(kNameLen)) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

absl::Status LineError(int line, std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("nodes.conf line ", line, ": ", Sv(what)));
}

std::optional<uint16_t> FlagBit(std::string_view token) {
  static constexpr struct {
    const char* name;
    uint16_t bit;
  } kFlags[] = {
      {"myself", flags::kMyself},
      {"master", flags::kMaster},
      {"slave", flags::kSlave},
      {"fail?", flags::kPFail},
      {"fail", flags::kFail},
      {"handshake", flags::kHandshake},
      {"noaddr", flags::kNoAddr},
      {"nofailover", flags::kNoFailover},
      {"noflags", 0},
  };
  for (const auto& f : kFlags) {
    if (absl::EqualsIgnoreCase(Sv(token), f.name)) return f.bit;
  }
  return std::nullopt;
}

class Parser {
 public:
  Parser() { owner_.fill(-1); }

  absl::Status Line(int line_no, const std::vector<std::string>& argv);
  absl::StatusOr<LoadedNodesConf> Finish();

 private:
  // The index of the node named `id` (valid), creating it if new.
  size_t Lookup(std::string_view id);
  absl::Status Vars(int line_no, const std::vector<std::string>& argv);
  absl::Status Slot(int line_no, size_t node, const std::string& token);

  LoadedNodesConf conf_;
  std::map<NodeName, size_t> index_;
  std::vector<int> first_line_;  // per node; 0 = no line of its own
  std::array<int, kClusterSlots> owner_;
  bool have_myself_ = false;
};

size_t Parser::Lookup(std::string_view id) {
  NodeName name = NodeName::FromString(id);
  auto [it, inserted] = index_.emplace(name, conf_.nodes.size());
  if (inserted) {
    LoadedNode node;
    node.name = name;
    conf_.nodes.push_back(std::move(node));
    first_line_.push_back(0);
  }
  return it->second;
}

absl::Status Parser::Vars(int line_no, const std::vector<std::string>& argv) {
  if (argv.size() % 2 == 0) {
    return LineError(line_no, "vars needs name value pairs");
  }
  for (size_t j = 1; j < argv.size(); j += 2) {
    if (absl::EqualsIgnoreCase(argv[j], "currentEpoch")) {
      conf_.current_epoch = Epoch(Strtoull(argv[j + 1]));
    } else if (absl::EqualsIgnoreCase(argv[j], "lastVoteEpoch")) {
      conf_.last_vote_epoch = Epoch(Strtoull(argv[j + 1]));
    }  // Redis logs and skips unknown variables.
  }
  return absl::OkStatus();
}

absl::Status Parser::Slot(int line_no, size_t node, const std::string& token) {
  std::string_view t = token;
  if (!t.empty() && t[0] == '[') {
    size_t dash = t.find('-');
    if (dash == std::string_view::npos) {
      return LineError(line_no, absl::StrCat("bad open slot '", Sv(t), "'"));
    }
    if (dash + 2 >= t.size()) {
      return LineError(line_no, absl::StrCat("truncated open slot '", Sv(t), "'"));
    }
    char direction = t[dash + 1];
    int slot = Atoi(t.substr(1, dash - 1));
    if (slot < 0 || slot >= kClusterSlots) {
      return LineError(line_no, absl::StrCat("slot out of range in '", Sv(t), "'"));
    }
    std::string_view rest = t.substr(dash + 3);
    size_t close = rest.find(']');
    if (close == std::string_view::npos || !ValidNodeId(rest.substr(0, close))) {
      return LineError(line_no, absl::StrCat("bad node id in '", Sv(t), "'"));
    }
    NodeName peer = conf_.nodes[Lookup(rest.substr(0, close))].name;
    if (direction == '>') {
      conf_.migrating_to[slot] = peer;
    } else {
      conf_.importing_from[slot] = peer;
    }
    return absl::OkStatus();
  }
  int start, stop;
  size_t dash = t.find('-');
  if (dash != std::string_view::npos) {
    start = Atoi(t.substr(0, dash));
    stop = Atoi(t.substr(dash + 1));
  } else {
    start = stop = Atoi(t);
  }
  if (start < 0 || start >= kClusterSlots || stop < 0 || stop >= kClusterSlots) {
    return LineError(line_no, absl::StrCat("slot out of range in '", Sv(t), "'"));
  }
  for (int s = start; s <= stop; ++s) {
    if (owner_[s] < 0) owner_[s] = static_cast<int>(node);
  }
  return absl::OkStatus();
}

absl::Status Parser::Line(int line_no, const std::vector<std::string>& argv) {
  if (argv.empty()) return LineError(line_no, "blank line with spaces");
  if (absl::EqualsIgnoreCase(argv[0], "vars")) return Vars(line_no, argv);
  if (argv.size() < 8) {
    return LineError(line_no,
                     absl::StrCat("expected at least 8 fields, got ", argv.size()));
  }
  if (!ValidNodeId(argv[0])) {
    return LineError(line_no, absl::StrCat("bad node id '", argv[0], "'"));
  }
  size_t me = Lookup(argv[0]);
  if (first_line_[me] == 0) first_line_[me] = line_no;

  // Address: ip:port[@cport][,hostname].
  std::string_view addr = argv[1];
  std::string hostname;
  size_t comma = addr.find(',');
  if (comma != std::string_view::npos) {
    hostname = std::string(addr.substr(comma + 1));
    addr = addr.substr(0, comma);
  }
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) {
    return LineError(line_no, absl::StrCat("address without ':' '", argv[1], "'"));
  }
  if (colon > kMaxIpLen) {
    return LineError(line_no, "ip longer than 45 characters");
  }
  std::string_view port_text = addr.substr(colon + 1);
  std::optional<std::string_view> cport_text;
  size_t at = port_text.find('@');
  if (at != std::string_view::npos) {
    cport_text = port_text.substr(at + 1);
    port_text = port_text.substr(0, at);
  }

  // Flags.
  uint16_t node_flags = 0;
  for (absl::string_view piece : absl::StrSplit(argv[2], ',')) {
    std::string_view flag(piece.data(), piece.size());
    std::optional<uint16_t> bit = FlagBit(flag);
    if (!bit) return LineError(line_no, absl::StrCat("unknown flag '", Sv(flag), "'"));
    if (*bit == flags::kMyself) {
      if (have_myself_) return LineError(line_no, "a second node is myself");
      have_myself_ = true;
    }
    node_flags |= *bit;
  }

  // Master.
  std::optional<size_t> master;
  if (argv[3].empty() || argv[3][0] != '-') {
    if (!ValidNodeId(argv[3])) {
      return LineError(line_no, absl::StrCat("bad master id '", argv[3], "'"));
    }
    master = Lookup(argv[3]);
  }

  LoadedNode& n = conf_.nodes[me];
  n.has_line = true;
  n.hostname = std::move(hostname);
  n.ip = std::string(addr.substr(0, colon));
  n.port = Atoi(port_text);
  n.cport = cport_text ? Atoi(*cport_text) : n.port + 10000;
  n.flags |= node_flags;
  if (node_flags & flags::kMyself) conf_.myself = n.name;
  if (master) n.master = conf_.nodes[*master].name;
  int64_t ping = Strtol(argv[4]);
  int64_t pong = Strtol(argv[5]);
  if (static_cast<int32_t>(ping) != 0) n.ping_sent_ms = ping;
  if (static_cast<int32_t>(pong) != 0) n.pong_received_ms = pong;
  n.config_epoch = Epoch(Strtoull(argv[6]));
  n.link_state = argv[7];

  for (size_t j = 8; j < argv.size(); ++j) {
    absl::Status s = Slot(line_no, me, argv[j]);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<LoadedNodesConf> Parser::Finish() {
  if (!have_myself_) {
    return absl::InvalidArgumentError("nodes.conf: no node is flagged myself");
  }
  // Slot runs per node from the owner table.
  for (int s = 0; s < kClusterSlots;) {
    int o = owner_[s];
    int last = s;
    while (last + 1 < kClusterSlots && owner_[last + 1] == o) ++last;
    if (o >= 0) conf_.nodes[static_cast<size_t>(o)].slots.emplace_back(s, last);
    s = last + 1;
  }
  // Nodes with a line in line order, then the others in mention order.
  std::vector<size_t> order(conf_.nodes.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    int la = first_line_[a] == 0 ? std::numeric_limits<int>::max() : first_line_[a];
    int lb = first_line_[b] == 0 ? std::numeric_limits<int>::max() : first_line_[b];
    return la < lb;
  });
  std::vector<LoadedNode> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.push_back(std::move(conf_.nodes[i]));
  conf_.nodes = std::move(sorted);
  return std::move(conf_);
}

void AppendLoadedLine(const LoadedNodesConf& conf, const LoadedNode& n,
                      std::string* out) {
  absl::StrAppend(out, Sv(n.name.view()), " ", n.ip, ":", n.port, "@", n.cport);
  if (!n.hostname.empty()) absl::StrAppend(out, ",", n.hostname);
  absl::StrAppend(out, " ", FlagsToString(n.flags), " ",
                  n.master.empty() ? absl::string_view("-") : Sv(n.master.view()), " ",
                  n.ping_sent_ms, " ", n.pong_received_ms, " ", n.config_epoch.value(),
                  " ",
                  n.link_state.empty() ? absl::string_view("disconnected")
                                       : absl::string_view(n.link_state));
  for (const auto& [first, last] : n.slots) {
    if (first == last) {
      absl::StrAppend(out, " ", first);
    } else {
      absl::StrAppend(out, " ", first, "-", last);
    }
  }
  if (!(n.flags & flags::kMyself)) return;
  for (int s = 0; s < kClusterSlots; ++s) {
    auto mig = conf.migrating_to.find(s);
    if (mig != conf.migrating_to.end()) {
      absl::StrAppend(out, " [", s, "->-", Sv(mig->second.view()), "]");
      continue;
    }
    auto imp = conf.importing_from.find(s);
    if (imp != conf.importing_from.end()) {
      absl::StrAppend(out, " [", s, "-<-", Sv(imp->second.view()), "]");
    }
  }
}

}  // namespace

const LoadedNode* LoadedNodesConf::Find(const NodeName& name) const {
  for (const LoadedNode& n : nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

std::string NodesConfText(const ClusterState& state) {
  return absl::StrCat(ClusterNodesText(state, flags::kHandshake), "vars currentEpoch ",
                      state.current_epoch.value(), " lastVoteEpoch ",
                      state.last_vote_epoch.value(), "\n");
}

absl::StatusOr<LoadedNodesConf> ParseNodesConf(std::string_view text) {
  if (text.empty()) {
    return absl::NotFoundError("nodes.conf is empty: no saved config");
  }
  Parser parser;
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    line = line.substr(0, line.find('\0'));
    if (line.empty()) continue;
    std::optional<std::vector<std::string>> argv = SplitArgs(line);
    if (!argv) return LineError(line_no, "unbalanced quotes");
    absl::Status s = parser.Line(line_no, *argv);
    if (!s.ok()) return s;
  }
  return parser.Finish();
}

std::string RenderNodesConf(const LoadedNodesConf& conf) {
  std::string out;
  for (const LoadedNode& n : conf.nodes) {
    AppendLoadedLine(conf, n, &out);
    out.push_back('\n');
  }
  absl::StrAppend(&out, "vars currentEpoch ", conf.current_epoch.value(),
                  " lastVoteEpoch ", conf.last_vote_epoch.value(), "\n");
  return out;
}

}  // namespace slotsim::model
