// Suggestions for misspelt names ("did you mean ...?").
//
// A candidate is close when it contains the word (4 characters or more:
// "node_timeout" finds "cluster_node_timeout"), or when its Levenshtein edit
// distance is at most max(1, length / 3) of the longer word ("mastrs" finds
// "masters", "x" finds nothing). Containing ranks first; ties keep candidate
// order.

#ifndef SLOTSIM_SCENARIOS_SUGGEST_H_
#define SLOTSIM_SCENARIOS_SUGGEST_H_

#include <string>
#include <string_view>
#include <vector>

namespace slotsim::scenarios {

int EditDistance(std::string_view a, std::string_view b);

// Up to `max_results` close candidates, closest first.
std::vector<std::string> ClosestNames(std::string_view word,
                                      const std::vector<std::string>& candidates,
                                      int max_results = 3);

// `did you mean "a" or "b"?` for the close candidates; "" if none.
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// `"a", "b", "c"`: each name quoted, comma-separated.
std::string QuotedList(const std::vector<std::string>& names);

}  // namespace slotsim::scenarios

#endif  // SLOTSIM_SCENARIOS_SUGGEST_H_
