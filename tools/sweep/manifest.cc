#include "tools/sweep/manifest.h"

#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tools/report/json.h"

namespace slotsim::tools::sweep {
namespace {

constexpr char kFormat[] = "slotsim-sweep/1";

std::string Hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

Json Strings(const std::vector<std::string>& v) {
  Json a = Json::Array();
  for (const std::string& s : v) a.Append(s);
  return a;
}

absl::Status Missing(const std::string& key) {
  return absl::InvalidArgumentError(absl::StrCat("sweep.json: missing or bad \"", key, "\""));
}

absl::Status GetString(const Json& j, const std::string& key, std::string* out) {
  const Json* v = j.Find(key);
  if (v == nullptr || !v->is_string()) return Missing(key);
  *out = v->as_string();
  return absl::OkStatus();
}

absl::Status GetStrings(const Json& j, const std::string& key, std::vector<std::string>* out) {
  const Json* v = j.Find(key);
  if (v == nullptr || !v->is_array()) return Missing(key);
  out->clear();
  for (const Json& e : v->elements()) {
    if (!e.is_string()) return Missing(key);
    out->push_back(e.as_string());
  }
  return absl::OkStatus();
}

template <typename T>
absl::Status GetInt(const Json& j, const std::string& key, T* out) {
  const Json* v = j.Find(key);
  if (v == nullptr || (v->type() != Json::Type::kInt && v->type() != Json::Type::kUint)) {
    return Missing(key);
  }
  if constexpr (std::is_signed_v<T>) {
    *out = static_cast<T>(v->as_int());
  } else {
    *out = static_cast<T>(v->as_uint());
  }
  return absl::OkStatus();
}

}  // namespace

std::string Manifest::ToJson() const {
  Json j = Json::Object();
  j.Set("format", kFormat).Set("name", name).Set("build", build);
  j.Set("fingerprint", Hex(fingerprint));
  Json axes_json = Json::Array();
  for (const AxisInfo& a : axes) {
    Json o = Json::Object();
    o.Set("label", a.label).Set("path", a.path).Set("values", Strings(a.values));
    axes_json.Append(std::move(o));
  }
  j.Set("axes", std::move(axes_json)).Set("main_axis", main_axis);
  j.Set("points", points).Set("seeds_per_point", seeds_per_point);
  j.Set("first_seed", first_seed).Set("runs", runs);
  j.Set("columns", Strings(columns)).Set("outcomes", Strings(outcomes));
  j.Set("shard", shard.ToString());
  return j.Pretty() + "\n";
}

std::string Manifest::Mismatch(const Manifest& o) const {
  if (name != o.name) return "name";
  if (build != o.build) return "build";
  if (fingerprint != o.fingerprint) return "fingerprint (the sweep file or base scenario changed)";
  if (main_axis != o.main_axis) return "main_axis";
  if (points != o.points || seeds_per_point != o.seeds_per_point ||
      first_seed != o.first_seed || runs != o.runs) {
    return "points, seeds or runs";
  }
  if (columns != o.columns || outcomes != o.outcomes) return "columns";
  if (axes.size() != o.axes.size()) return "axes";
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i].label != o.axes[i].label || axes[i].path != o.axes[i].path ||
        axes[i].values != o.axes[i].values) {
      return "axes";
    }
  }
  return "";
}

absl::StatusOr<Manifest> ParseManifest(std::string_view text) {
  absl::StatusOr<Json> parsed = ParseJson(text);  // std::string_view API
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("sweep.json: ", parsed.status().message()));
  }
  const Json& j = *parsed;
  if (!j.is_object()) return Missing("format");
  Manifest m;
  std::string format, fingerprint, shard;
  if (absl::Status s = GetString(j, "format", &format); !s.ok()) return s;
  if (format != kFormat) {
    return absl::InvalidArgumentError(
        absl::StrCat("sweep.json: format \"", format, "\", expected \"", kFormat, "\""));
  }
  for (absl::Status s : {GetString(j, "name", &m.name), GetString(j, "build", &m.build),
                         GetString(j, "fingerprint", &fingerprint),
                         GetString(j, "main_axis", &m.main_axis),
                         GetString(j, "shard", &shard), GetInt(j, "points", &m.points),
                         GetInt(j, "seeds_per_point", &m.seeds_per_point),
                         GetInt(j, "first_seed", &m.first_seed), GetInt(j, "runs", &m.runs),
                         GetStrings(j, "columns", &m.columns),
                         GetStrings(j, "outcomes", &m.outcomes)}) {
    if (!s.ok()) return s;
  }
  if (!absl::SimpleHexAtoi(fingerprint, &m.fingerprint)) return Missing("fingerprint");
  absl::StatusOr<Shard> sh = ParseShard(shard);
  if (!sh.ok()) return Missing("shard");
  m.shard = *sh;
  const Json* axes = j.Find("axes");
  if (axes == nullptr || !axes->is_array()) return Missing("axes");
  for (const Json& a : axes->elements()) {
    if (!a.is_object()) return Missing("axes");
    AxisInfo info;
    for (absl::Status s : {GetString(a, "label", &info.label), GetString(a, "path", &info.path),
                           GetStrings(a, "values", &info.values)}) {
      if (!s.ok()) return s;
    }
    m.axes.push_back(std::move(info));
  }
  return m;
}

}  // namespace slotsim::tools::sweep
