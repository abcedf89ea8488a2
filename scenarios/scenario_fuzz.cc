#include "scenarios/scenario_fuzz.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace slotsim::scenarios {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

constexpr int kMaxDepth = 3;

int64_t RandomInt(sim::Rng& rng, FuzzMode mode) {
  if (mode == FuzzMode::kWild) return static_cast<int64_t>(rng.Next());
  // Mostly small, sometimes times within a minute, sometimes negative.
  switch (rng.Uniform(4)) {
    case 0:
      return rng.UniformRange(-2, 8);
    case 1:
      return rng.UniformRange(0, 60000);
    case 2:
      return rng.UniformRange(0, 40);
    default:
      return rng.UniformRange(-1, 20000);
  }
}

std::string RandomString(sim::Rng& rng, FuzzMode mode) {
  static const std::vector<std::string> wild = {
      "m1", "\"", "\\", "\n", "'", "${m2}", "\xc3\xa9", "\x01", "#", "}", " ", "0-5460"};
  static const std::vector<std::string> plausible = {
      "m1", "m2", "m3",     "r1",         "r2", "r3", "s1",      "c1",    "c2",
      "m9", "",   "0-5460", "5461-10922", "42", "x",  "CLUSTER", "${m1}", "p"};
  if (mode == FuzzMode::kPlausible) return rng.Pick(plausible);
  std::string s;
  for (uint64_t n = rng.Uniform(5); n > 0; --n) s += rng.Pick(wild);
  return s;
}

void SetRandomScalar(Message* m, const FieldDescriptor* f, sim::Rng& rng, FuzzMode mode) {
  const auto* r = m->GetReflection();
  const bool rep = f->is_repeated();
  const int64_t v = RandomInt(rng, mode);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      rep ? r->AddInt32(m, f, static_cast<int32_t>(v))
          : r->SetInt32(m, f, static_cast<int32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      rep ? r->AddInt64(m, f, v) : r->SetInt64(m, f, v);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      rep ? r->AddUInt32(m, f, static_cast<uint32_t>(v))
          : r->SetUInt32(m, f, static_cast<uint32_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      rep ? r->AddUInt64(m, f, static_cast<uint64_t>(v))
          : r->SetUInt64(m, f, static_cast<uint64_t>(v));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      rep ? r->AddBool(m, f, v & 1) : r->SetBool(m, f, v & 1);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT: {
      // Any finite float, from random bits.
      const uint32_t bits = static_cast<uint32_t>(rng.Next());
      float x;
      std::memcpy(&x, &bits, sizeof x);
      if (!std::isfinite(x) || mode == FuzzMode::kPlausible)
        x = static_cast<float>(v % 1000) / 8;
      rep ? r->AddFloat(m, f, x) : r->SetFloat(m, f, x);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const uint64_t bits = rng.Next();
      double x;
      std::memcpy(&x, &bits, sizeof x);
      if (!std::isfinite(x) || mode == FuzzMode::kPlausible)
        x = static_cast<double>(v % 1000) / 8;
      rep ? r->AddDouble(m, f, x) : r->SetDouble(m, f, x);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const auto* e = f->enum_type();
      const int n = e->value(static_cast<int>(rng.Uniform(e->value_count())))->number();
      rep ? r->AddEnumValue(m, f, n) : r->SetEnumValue(m, f, n);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string s = RandomString(rng, mode);
      rep ? r->AddString(m, f, s) : r->SetString(m, f, s);
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;  // handled by Fill
  }
}

void Fill(Message* m, sim::Rng& rng, FuzzMode mode, int depth) {
  const auto* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!rng.Chance(1, 3)) continue;
    const bool message = f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (message && depth >= kMaxDepth) continue;
    const int n = f->is_repeated() ? static_cast<int>(rng.Uniform(3)) + 1 : 1;
    for (int k = 0; k < n; ++k) {
      if (message) {
        Fill(f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f), rng, mode,
             depth + 1);
      } else {
        SetRandomScalar(m, f, rng, mode);
      }
    }
  }
}

}  // namespace

void FillRandomly(Message* message, sim::Rng& rng, FuzzMode mode) {
  Fill(message, rng, mode, 0);
}

}  // namespace slotsim::scenarios
