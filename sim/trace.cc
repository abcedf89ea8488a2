#include "sim/trace.h"

#include "absl/strings/str_cat.h"

namespace slotsim::sim {

TraceField::TraceField(std::string k, int64_t v)
    : key(std::move(k)), value(absl::StrCat(v)) {}

TraceField::TraceField(std::string k, uint64_t v)
    : key(std::move(k)), value(absl::StrCat(v)) {}

std::string TraceRecord::ToString() const {
  std::string out = time.ToStringMicros();
  if (process.valid()) {
    absl::StrAppend(&out, " p", process.value());
  } else {
    absl::StrAppend(&out, " -");
  }
  absl::StrAppend(&out, " ", kind);
  for (const TraceField& f : fields) absl::StrAppend(&out, " ", f.key, "=", f.value);
  return out;
}

std::string_view TraceRecord::Field(std::string_view key) const {
  for (const TraceField& f : fields) {
    if (f.key == key) return f.value;
  }
  return {};
}

}  // namespace slotsim::sim
