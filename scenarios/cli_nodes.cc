#include "scenarios/cli_nodes.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

namespace slotsim::scenarios {
namespace {

// atoi/atoll on a string_view: optional sign, digits, stops at the first
// non-digit; 0 when there are none.
int64_t AtoLL(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    neg = s[i] == '-';
    ++i;
  }
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (v < INT64_MAX / 10) v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

int AtoI(std::string_view s) { return static_cast<int>(AtoLL(s)); }

void ParseSlotPart(std::string_view part, CliNodesLine* out) {
  size_t pos = 0;
  while (pos <= part.size()) {
    size_t sp = part.find(' ', pos);
    if (sp == std::string_view::npos) sp = part.size();
    std::string_view tok = part.substr(pos, sp - pos);
    pos = sp + 1;
    if (tok.empty()) {
      if (sp == part.size()) break;
      continue;
    }
    if (tok[0] == '[') {
      tok.remove_prefix(1);
      size_t arrow = tok.find("->-");
      const bool migrating = arrow != std::string_view::npos;
      if (!migrating) arrow = tok.find("-<-");
      if (arrow == std::string_view::npos) continue;
      const int slot = AtoI(tok.substr(0, arrow));
      std::string_view id = tok.substr(arrow + 3);
      const size_t close = id.find(']');
      if (close != std::string_view::npos) id = id.substr(0, close);
      std::optional<model::NodeName> name = model::NodeName::Parse(id);
      if (!name.has_value() || slot < 0 || slot >= model::kClusterSlots) continue;
      (migrating ? out->migrating : out->importing).emplace_back(slot, *name);
    } else if (const size_t dash = tok.find('-'); dash != std::string_view::npos) {
      int start = AtoI(tok.substr(0, dash));
      const int stop = AtoI(tok.substr(dash + 1));
      out->slots_count += stop - (start - 1);
      for (; start <= stop; ++start) {
        if (start >= 0 && start < model::kClusterSlots) out->slots.Set(start);
      }
    } else {
      const int slot = AtoI(tok);
      if (slot >= 0 && slot < model::kClusterSlots) out->slots.Set(slot);
      ++out->slots_count;
    }
    if (sp == part.size()) break;
  }
}

}  // namespace

bool ParseCliAddress(std::string_view addr, std::string* ip, int* port, int* bus_port) {
  const size_t at = addr.rfind('@');
  if (at != std::string_view::npos) {
    if (bus_port != nullptr) *bus_port = AtoI(addr.substr(at + 1));
    addr = addr.substr(0, at);
  }
  const size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) return false;
  *ip = std::string(addr.substr(0, colon));
  *port = AtoI(addr.substr(colon + 1));
  return true;
}

std::optional<std::vector<CliNodesLine>> ParseCliNodes(std::string_view text,
                                                       std::string* error) {
  std::vector<CliNodesLine> out;
  size_t nl;
  while ((nl = text.find('\n')) != std::string_view::npos) {
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl + 1);
    std::string_view fields[8];
    int i = 0;
    size_t sp;
    while (i < 8 && (sp = line.find(' ')) != std::string_view::npos) {
      fields[i++] = line.substr(0, sp);
      line.remove_prefix(sp + 1);
    }
    if (i < 3) {
      if (error != nullptr) error->clear();  // redis-cli fails without a message
      return std::nullopt;
    }
    CliNodesLine n;
    if (!ParseCliAddress(fields[1], &n.ip, &n.port, &n.bus_port)) {
      if (error != nullptr) *error = "Error: invalid CLUSTER NODES reply";
      return std::nullopt;
    }
    n.name = std::string(fields[0]);
    n.addr = std::string(fields[1]);
    n.flags_text = std::string(fields[2]);
    std::string_view flags = fields[2];
    while (!flags.empty()) {
      const size_t comma = flags.find(',');
      std::string_view f = flags.substr(0, comma);
      flags =
          comma == std::string_view::npos ? std::string_view() : flags.substr(comma + 1);
      n.flags.emplace_back(f);
      if (f == "noaddr") n.flag_bits |= kCliFlagNoAddr;
      if (f == "disconnected") n.flag_bits |= kCliFlagDisconnect;
      if (f == "fail") n.flag_bits |= kCliFlagFail;
      if (f == "slave") n.flag_bits |= kCliFlagSlave;
    }
    n.myself = fields[2].find("myself") != std::string_view::npos;
    if (n.myself) n.flag_bits |= kCliFlagMyself;
    if (i > 3) n.master_id = std::string(fields[3]);
    if ((n.flag_bits & kCliFlagSlave) && i > 3) n.replicate = n.master_id;
    if (i > 6) n.config_epoch = AtoLL(fields[6]);
    if (i > 7) {
      n.link_state = std::string(fields[7]);
    } else if (i == 7) {
      n.link_state = std::string(line);
    }
    if (i == 8) {
      n.has_slot_part = true;
      ParseSlotPart(line, &n);
    }
    out.push_back(std::move(n));
  }
  return out;
}

int64_t InfoLongField(std::string_view info, std::string_view field) {
  const size_t p = info.find(field);
  if (p == std::string_view::npos) return INT64_MIN;
  std::string_view rest = info.substr(std::min(info.size(), p + field.size() + 1));
  size_t end = rest.find('\r');
  const size_t comma = rest.find(',');
  if (comma != std::string_view::npos && comma < end) end = comma;
  return AtoLL(rest.substr(0, end));
}

std::vector<SlotOwnerRef> SlotOwnersFromClusterSlots(const model::Reply& reply,
                                                     int slot) {
  using Kind = model::Reply::Kind;
  std::vector<SlotOwnerRef> out;
  if (reply.kind() != Kind::kArray) return out;
  for (const model::Reply& r : reply.items()) {
    if (r.kind() != Kind::kArray || r.items().size() < 3) continue;
    const int64_t from = r.items()[0].integer();
    const int64_t to = r.items()[1].integer();
    if (slot < from || slot > to) continue;
    const model::Reply& nr = r.items()[2];
    if (nr.kind() != Kind::kArray || nr.items().size() < 2) continue;
    SlotOwnerRef ref;
    if (nr.items().size() >= 3 && nr.items()[2].kind() == Kind::kBulk) {
      ref.id = nr.items()[2].str();
    }
    ref.ip = nr.items()[0].str();
    ref.port = static_cast<int>(nr.items()[1].integer());
    out.push_back(std::move(ref));
  }
  return out;
}

}  // namespace slotsim::scenarios
