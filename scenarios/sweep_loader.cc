#include "scenarios/sweep_loader.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "scenarios/cursor.h"
#include "scenarios/loader.h"
#include "scenarios/override.h"
#include "scenarios/scenario.pb.h"
#include "scenarios/sv.h"
#include "scenarios/text_parser.h"

namespace slotsim::scenarios {
namespace {

// REQUIRES: step >= 1, from <= to, fewer than kMaxSweepPoints values.
int64_t RangeCount(const Range& r) {
  const uint64_t span = static_cast<uint64_t>(r.to()) - static_cast<uint64_t>(r.from());
  return static_cast<int64_t>(span / static_cast<uint64_t>(r.step())) + 1;
}

void ValidateAxis(const Cursor& c, Diagnostics* diags, int64_t* points) {
  const Axis& a = c.Get<Axis>();
  auto error = [&](const Site& s, absl::string_view m) {
    diags->Error(s.pos, absl::StrCat(s.path, ": ", m));
  };
  *points = 0;
  if (!a.has_path()) {
    error(c.Here(), "path is required");
    return;
  }
  if (absl::Status st = CheckOverridePath(Scenario::descriptor(), a.path()); !st.ok()) {
    error(c.At("path"), st.message());
    return;
  }
  const bool has_values = a.values_size() > 0;
  if (has_values == a.has_range()) {
    error(c.Here(), "give exactly one of values and range");
    return;
  }
  if (has_values) {
    for (int i = 0; i < a.values_size(); ++i) {
      const absl::Status st =
          CheckOverride(Scenario::descriptor(), a.path() + "=" + a.values(i));
      if (!st.ok()) error(c.At("values", i), st.message());
    }
    *points = a.values_size();
    return;
  }
  const Cursor r = c.Child("range");
  const Range& range = a.range();
  if (!range.has_from() || !range.has_to()) {
    error(r.Here(), "range needs from and to");
    return;
  }
  if (range.step() < 1) {
    error(r.At("step"), absl::StrCat("must be >= 1, got ", range.step()));
    return;
  }
  if (range.from() > range.to()) {
    error(r.At("to"),
          absl::StrCat("to (", range.to(), ") is below from (", range.from(), ")"));
    return;
  }
  // to >= from, so the unsigned difference is exact.
  const uint64_t span =
      static_cast<uint64_t>(range.to()) - static_cast<uint64_t>(range.from());
  if (span / static_cast<uint64_t>(range.step()) >= kMaxSweepPoints) {
    error(r.Here(), absl::StrCat("more than ", kMaxSweepPoints, " values"));
    return;
  }
  for (int64_t v : {range.from(), range.to()}) {
    const absl::Status st =
        CheckOverride(Scenario::descriptor(), absl::StrCat(a.path(), "=", v));
    if (!st.ok()) {
      error(r.At(v == range.from() ? "from" : "to"), st.message());
      return;
    }
  }
  *points = RangeCount(range);
}

void ValidateSweep(const Cursor& root, Diagnostics* diags) {
  const Sweep& s = root.Get<Sweep>();
  auto error = [&](const Site& site, absl::string_view m) {
    diags->Error(site.pos, absl::StrCat(site.path, ": ", m));
  };
  if (s.base().empty()) error(root.At("base"), "base (the scenario file) is required");
  for (int i = 0; i < s.set_size(); ++i) {
    const absl::Status st = CheckOverride(Scenario::descriptor(), s.set(i));
    if (!st.ok()) error(root.At("set", i), st.message());
  }
  std::set<std::string> labels;
  int64_t total = 1;
  int64_t first_len = -1;
  for (int i = 0; i < s.axis_size(); ++i) {
    const Cursor c = root.Child("axis", i);
    int64_t points = 0;
    ValidateAxis(c, diags, &points);
    const std::string label =
        s.axis(i).has_label() ? s.axis(i).label() : s.axis(i).path();
    if (!labels.insert(label).second) {
      error(c.At(s.axis(i).has_label() ? "label" : "path"),
            absl::StrCat("label \"", label, "\" is used by an earlier axis"));
    }
    if (points == 0) continue;
    if (s.combine() == Sweep::ZIP) {
      if (first_len < 0) {
        first_len = points;
      } else if (points != first_len) {
        error(c.Here(), absl::StrCat("has ", points, " values but axis[0] has ",
                                     first_len, "; ZIP needs equal lengths"));
      }
      total = first_len;
    } else {
      total = std::min<int64_t>(total * points, int64_t{kMaxSweepPoints} + 1);
    }
  }
  if (total > kMaxSweepPoints) {
    error(root.At("axis", 0),
          absl::StrCat("the grid has more than ", kMaxSweepPoints, " points"));
  }
  if (s.seeds_per_point() < 1 || s.seeds_per_point() > 1000000) {
    error(root.At("seeds_per_point"),
          absl::StrCat("must be in 1..1000000, got ", s.seeds_per_point()));
  }
}

std::string Dirname(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == path.npos ? "" : std::string(path.substr(0, slash + 1));
}

}  // namespace

absl::StatusOr<LoadedSweep> LoadSweepText(std::string_view text,
                                          std::string_view file_name) {
  LoadedSweep loaded;
  Diagnostics diags{std::string(file_name)};
  ParsedText parsed(text, &loaded.sweep, &diags);
  if (parsed.complete()) ValidateSweep(parsed.Root(), &diags);
  if (diags.has_errors()) return diags.ToStatus();
  const std::string& base = loaded.sweep.base();
  loaded.base_path = !base.empty() && base[0] == '/' ? base : Dirname(file_name) + base;
  loaded.warnings = diags.Warnings();
  return loaded;
}

absl::StatusOr<LoadedSweep> LoadSweepFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadTextFile(path);
  if (!text.ok()) return text.status();
  return LoadSweepText(*text, path);
}

std::vector<std::string> AxisValues(const Axis& axis) {
  std::vector<std::string> out(axis.values().begin(), axis.values().end());
  if (axis.has_range()) {
    for (int64_t v = axis.range().from(); v <= axis.range().to();
         v += axis.range().step()) {
      out.push_back(absl::StrCat(v));
      if (axis.range().to() - v < axis.range().step()) break;  // no overflow past `to`
    }
  }
  return out;
}

std::vector<std::vector<std::string>> SweepPoints(const Sweep& sweep) {
  std::vector<std::vector<std::string>> values;
  for (const Axis& a : sweep.axis()) values.push_back(AxisValues(a));
  const std::vector<std::string> fixed(sweep.set().begin(), sweep.set().end());
  std::vector<std::vector<std::string>> points;
  auto assignment = [&](int axis, int value) {
    return absl::StrCat(sweep.axis(axis).path(), "=", values[axis][value]);
  };
  if (sweep.combine() == Sweep::ZIP) {
    const size_t n = values.empty() ? 1 : values[0].size();
    for (size_t i = 0; i < n; ++i) {
      std::vector<std::string> p = fixed;
      for (int a = 0; a < static_cast<int>(values.size()); ++a) {
        p.push_back(assignment(a, static_cast<int>(i)));
      }
      points.push_back(std::move(p));
    }
    return points;
  }
  // CROSS: an odometer over the axes, last axis fastest.
  std::vector<int> at(values.size(), 0);
  for (const auto& v : values) {
    if (v.empty()) return points;
  }
  while (true) {
    std::vector<std::string> p = fixed;
    for (int a = 0; a < static_cast<int>(values.size()); ++a)
      p.push_back(assignment(a, at[a]));
    points.push_back(std::move(p));
    int a = static_cast<int>(values.size()) - 1;
    while (a >= 0 && ++at[a] == static_cast<int>(values[a].size())) at[a--] = 0;
    if (a < 0) break;
  }
  return points;
}

}  // namespace slotsim::scenarios
