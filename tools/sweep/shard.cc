#include "tools/sweep/shard.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace slotsim::tools::sweep {

std::vector<int64_t> Shard::Runs(int64_t total) const {
  std::vector<int64_t> out;
  for (int64_t k = index; k < total; k += count) out.push_back(k);
  return out;
}

std::string Shard::ToString() const { return absl::StrCat(index, "/", count); }

absl::StatusOr<Shard> ParseShard(std::string_view text_in) {
  const absl::string_view text(text_in.data(), text_in.size());  // absl's own type here
  const std::vector<absl::string_view> parts = absl::StrSplit(text, '/');
  Shard s;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &s.index) ||
      !absl::SimpleAtoi(parts[1], &s.count)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard expects I/N (e.g. 0/4), got '", text, "'"));
  }
  if (s.count < 1 || s.count > 1000000) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard ", text, ": N must be between 1 and 1000000"));
  }
  if (s.index < 0 || s.index >= s.count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--shard ", text, ": I is 0-based and must be below N (0..", s.count - 1, ")"));
  }
  return s;
}

}  // namespace slotsim::tools::sweep
