#include "scenarios/suggest.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slotsim::scenarios {

int EditDistance(std::string_view a, std::string_view b) {
  std::vector<int> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    int diag = row[0];
    row[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const int up = row[j];
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + cost});
      diag = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> ClosestNames(std::string_view word,
                                      const std::vector<std::string>& candidates,
                                      int max_results) {
  std::vector<std::pair<int, size_t>> scored;  // (distance, candidate index)
  // A word of 4+ characters inside a candidate ("node_timeout" in
  // "cluster_node_timeout") is the best hint: it ranks before any typo.
  constexpr size_t kMinSubstring = 4;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (word.size() >= kMinSubstring && candidates[i] != word &&
        candidates[i].find(word) != std::string::npos) {
      scored.emplace_back(-1, i);
      continue;
    }
    const int longer = static_cast<int>(std::max(word.size(), candidates[i].size()));
    const int limit = std::max(1, longer / 3);
    const int d = EditDistance(word, candidates[i]);
    if (d <= limit && candidates[i] != word) scored.emplace_back(d, i);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [d, i] : scored) {
    if (static_cast<int>(out.size()) == max_results) break;
    out.push_back(candidates[i]);
  }
  return out;
}

std::string DidYouMean(std::string_view word,
                       const std::vector<std::string>& candidates) {
  std::vector<std::string> close = ClosestNames(word, candidates);
  if (close.empty()) return "";
  std::vector<std::string> quoted;
  for (const std::string& c : close) quoted.push_back(absl::StrCat("\"", c, "\""));
  return absl::StrCat("did you mean ", absl::StrJoin(quoted, " or "), "?");
}

std::string QuotedList(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& n : names) quoted.push_back(absl::StrCat("\"", n, "\""));
  return absl::StrJoin(quoted, ", ");
}

}  // namespace slotsim::scenarios
