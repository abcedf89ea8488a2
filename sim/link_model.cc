#include "sim/link_model.h"

#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace slotsim::sim {

DelayModel DelayModel::Fixed(Duration d) {
  CHECK_GE(d, Duration::Zero());
  return DelayModel(Kind::kFixed, d, Duration::Zero());
}

DelayModel DelayModel::Uniform(Duration lo, Duration hi) {
  CHECK_GE(lo, Duration::Zero());
  CHECK_LE(lo, hi);
  return DelayModel(Kind::kUniform, lo, hi - lo);
}

DelayModel DelayModel::Exponential(Duration base, Duration mean) {
  CHECK_GE(base, Duration::Zero());
  CHECK_GE(mean, Duration::Zero());
  return DelayModel(Kind::kExponential, base, mean);
}

Duration DelayModel::Sample(Rng& rng) const {
  switch (kind_) {
    case Kind::kFixed:
      return base_;
    case Kind::kUniform:
      return base_ + Duration::Micros(static_cast<int64_t>(
                         rng.Uniform(static_cast<uint64_t>(spread_.micros()) + 1)));
    case Kind::kExponential:
      return base_ + rng.Exponential(spread_);
  }
  return base_;
}

std::string DelayModel::ToString() const {
  switch (kind_) {
    case Kind::kFixed:
      return absl::StrCat("fixed(", base_.ToStringMicros(), ")");
    case Kind::kUniform:
      return absl::StrCat("uniform(", base_.ToStringMicros(), "..",
                          (base_ + spread_).ToStringMicros(), ")");
    case Kind::kExponential:
      return absl::StrCat("exp(", base_.ToStringMicros(), "+", spread_.ToStringMicros(),
                          ")");
  }
  return "?";
}

}  // namespace slotsim::sim
