#include "model/cli_signature.h"

#include <algorithm>

namespace slotsim::model {
namespace {

constexpr int kFixedFields = 8;

// One line's "<id>:<slot tokens>", or nullopt if it contributes nothing.
std::optional<std::string> LineConfig(std::string_view line) {
  std::string_view id;
  int fields = 0;
  while (fields < kFixedFields) {
    const size_t space = line.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    if (fields == 0) id = line.substr(0, space);
    line.remove_prefix(space + 1);
    ++fields;
  }
  if (line.empty()) return std::nullopt;
  std::vector<std::string_view> tokens;
  while (true) {
    const size_t space = line.find(' ');
    const std::string_view token = line.substr(0, space);
    // An empty token (two spaces in a row) is kept, as redis-cli keeps it.
    if (token.empty() || token[0] != '[') tokens.push_back(token);
    if (space == std::string_view::npos || space + 1 == line.size()) break;
    line.remove_prefix(space + 1);
  }
  if (tokens.empty()) return std::nullopt;
  std::sort(tokens.begin(), tokens.end());  // byte order, as strcmp
  std::string out(id);
  out += ':';
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) out += ',';
    out += tokens[i];
  }
  return out;
}

}  // namespace

std::optional<std::string> ConfigSignature(std::string_view cluster_nodes) {
  std::vector<std::string> configs;
  while (true) {
    const size_t newline = cluster_nodes.find('\n');
    if (newline == std::string_view::npos) break;
    if (auto config = LineConfig(cluster_nodes.substr(0, newline))) {
      configs.push_back(std::move(*config));
    }
    cluster_nodes.remove_prefix(newline + 1);
  }
  if (configs.empty()) return std::nullopt;
  std::sort(configs.begin(), configs.end());
  std::string out;
  for (size_t i = 0; i < configs.size(); ++i) {
    if (i > 0) out += '|';
    out += configs[i];
  }
  return out;
}

bool ConfigConsistent(const std::vector<std::optional<std::string>>& signatures) {
  if (signatures.size() <= 1) return true;
  for (const auto& s : signatures) {
    if (!s.has_value() || *s != *signatures.front()) return false;
  }
  return true;
}

}  // namespace slotsim::model
