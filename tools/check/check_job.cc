#include "tools/check/check_job.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "props/explore.h"
#include "scenarios/loader.h"
#include "sim/check.h"
#include "tools/report/atomic_file.h"
#include "tools/sweep/worker_pool.h"

namespace slotsim::tools::check {
namespace {

bool HasNew(const props::ExploreOutcome& o) {
  for (const props::Hit& h : o.hits()) {
    if (h.finding().empty()) return true;
  }
  return false;
}

absl::Status MakeDirs(const std::string& dir) {
  std::string path;
  for (size_t i = 0; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      if (!path.empty() && ::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST) {
        return absl::InternalError(absl::StrCat("mkdir ", path, ": ", std::strerror(errno)));
      }
    }
    if (i < dir.size()) path += dir[i];
  }
  return absl::OkStatus();
}

std::string Seconds(int64_t ms) { return absl::StrFormat("%.1fs", ms / 1000.0); }

}  // namespace

int64_t CheckReport::errors() const {
  int64_t n = 0;
  for (const SeedResult& r : results) n += r.outcome.has_error();
  return n;
}

int64_t CheckReport::failed_runs() const {
  int64_t n = 0;
  for (const SeedResult& r : results) n += HasNew(r.outcome);
  return n;
}

int64_t CheckReport::known_runs() const {
  int64_t n = 0;
  for (const SeedResult& r : results) n += r.outcome.hits_size() > 0 && !HasNew(r.outcome);
  return n;
}

int64_t CheckReport::shrink_runs() const {
  int64_t n = 0;
  for (const SeedResult& r : results) n += r.outcome.shrink_runs();
  return n;
}

std::map<std::string, std::pair<int64_t, int64_t>> CheckReport::by_property() const {
  std::map<std::string, std::pair<int64_t, int64_t>> out;
  for (const SeedResult& r : results) {
    std::set<std::pair<std::string, bool>> seen;
    for (const props::Hit& h : r.outcome.hits()) seen.emplace(h.property(), h.finding().empty());
    for (const auto& [property, fresh] : seen) {
      auto& counts = out[property];
      (fresh ? counts.first : counts.second) += 1;
    }
  }
  return out;
}

std::map<std::string, int64_t> CheckReport::by_finding() const {
  std::map<std::string, int64_t> out;
  for (const SeedResult& r : results) {
    std::set<std::string> seen;
    for (const props::Hit& h : r.outcome.hits()) {
      if (!h.finding().empty()) seen.insert(h.finding());
    }
    for (const std::string& f : seen) out[f] += 1;
  }
  return out;
}

absl::StatusOr<CheckReport> RunCheck(const CheckOptions& options,
                                     const std::function<void(int64_t)>& progress,
                                     const std::function<bool()>& stop) {
  CHECK(options.profile != nullptr);
  CHECK_GE(options.jobs, 1);
  props::ExploreConfig config;
  config.profile = options.profile;
  config.shrink_runs = options.shrink_runs;
  config.shrink_known = options.shrink_known;
  config.build = options.build;

  CheckReport report;
  report.profile = options.profile->name;
  report.first_seed = options.first_seed;
  report.seeds = options.seeds;
  report.jobs = options.jobs;
  std::vector<int64_t> tasks;
  for (int64_t i = 0; i < options.seeds; ++i) tasks.push_back(i);
  std::vector<std::optional<props::ExploreOutcome>> outcomes(tasks.size());
  int64_t done = 0;
  const auto wall_start = std::chrono::steady_clock::now();
  absl::Status st = sweep::RunTasks(
      tasks, options.jobs,
      [&](int64_t task) {
        std::string bytes;
        props::ExploreSeed(options.first_seed + static_cast<uint64_t>(task), config)
            .SerializeToString(&bytes);
        return bytes;
      },
      [&](int64_t task, const sweep::TaskResult& r) {
        props::ExploreOutcome o;
        const uint64_t seed = options.first_seed + static_cast<uint64_t>(task);
        if (!r.ok) {
          o.set_seed(seed);
          o.set_error(absl::StrCat("worker died: ", r.error));
        } else if (!o.ParseFromString(r.output)) {
          o.Clear();
          o.set_seed(seed);
          o.set_error("worker sent an unreadable outcome");
        }
        outcomes[static_cast<size_t>(task)] = std::move(o);
        if (progress) progress(++done);
      },
      stop);
  if (!st.ok()) return st;
  report.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  for (auto& o : outcomes) {
    CHECK(o.has_value());
    report.results.push_back(SeedResult{std::move(*o), ""});
  }
  return report;
}

absl::Status WriteCheckFiles(const std::string& dir, CheckReport& report) {
  const props::Profile* profile = props::FindProfile(report.profile);
  CHECK(profile != nullptr);
  for (SeedResult& r : report.results) {
    const props::ExploreOutcome& o = r.outcome;
    std::string sub, text;
    if (o.has_error()) {
      sub = "errors";
      r.file = absl::StrCat(sub, "/", o.seed(), ".textproto");
      scenarios::Scenario s = props::ScenarioForSeed(*profile, o.seed());
      s.set_seed(o.seed());
      text = scenarios::ScenarioToText(
          s, absl::StrCat("the run could not be carried out: ", o.error(),
                          "\nreproduce: slotsim run ", dir, "/", r.file));
    } else if (o.has_seed_file()) {
      const bool known = !o.finding().empty();
      sub = known ? "known" : "failures";
      r.file = absl::StrCat(sub, "/", o.seed(), "-", known ? o.finding() : o.property(),
                            ".textproto");
      text = scenarios::ScenarioToText(o.seed_file(), o.comment());
    } else {
      continue;
    }
    if (absl::Status st = MakeDirs(absl::StrCat(dir, "/", sub)); !st.ok()) return st;
    if (absl::Status st = WriteFileAtomically(absl::StrCat(dir, "/", r.file), text); !st.ok()) {
      return st;
    }
  }
  if (absl::Status st = MakeDirs(dir); !st.ok()) return st;
  return WriteFileAtomically(absl::StrCat(dir, "/summary.json"),
                             CheckSummaryJson(report, dir, true).Pretty() + "\n");
}

Json CheckSummaryJson(const CheckReport& report, const std::string& dir, bool with_timing) {
  Json j = Json::Object();
  j.Set("profile", report.profile);
  j.Set("first_seed", report.first_seed);
  j.Set("seeds", report.seeds);
  j.Set("runs", static_cast<int64_t>(report.results.size()));
  j.Set("errors", report.errors());
  j.Set("failed_runs", report.failed_runs());
  j.Set("known_runs", report.known_runs());
  j.Set("shrink_runs", report.shrink_runs());
  Json props = Json::Object();
  for (const auto& [property, counts] : report.by_property()) {
    props.Set(property, Json::Object().Set("new", counts.first).Set("known", counts.second));
  }
  j.Set("violations", std::move(props));
  Json findings = Json::Object();
  for (const auto& [finding, runs] : report.by_finding()) findings.Set(finding, runs);
  j.Set("findings", std::move(findings));
  Json failures = Json::Array();
  for (const SeedResult& r : report.results) {
    const props::ExploreOutcome& o = r.outcome;
    if (!o.has_error() && !o.has_seed_file()) continue;
    Json f = Json::Object();
    f.Set("seed", o.seed());
    if (o.has_error()) {
      f.Set("error", o.error());
    } else {
      f.Set("property", o.property());
      f.Set("finding", o.finding());
      f.Set("at_ms", o.at_ms());
      f.Set("message", o.message());
      f.Set("faults_before", o.faults_before());
      f.Set("faults_after", o.faults_after());
      f.Set("shrink_runs", o.shrink_runs());
    }
    if (!r.file.empty()) {
      f.Set("file", absl::StrCat(dir, "/", r.file));
      f.Set("reproduce", absl::StrCat("slotsim ", o.has_error() ? "run " : "replay ", dir, "/",
                                      r.file));
    }
    failures.Append(std::move(f));
  }
  j.Set("failures", std::move(failures));
  if (with_timing) {
    j.Set("jobs", report.jobs);
    j.Set("wall_s", Json::Fixed(report.wall_s, 3));
    j.Set("runs_per_s",
          Json::Fixed(report.wall_s > 0 ? report.results.size() / report.wall_s : 0.0, 1));
  }
  return j;
}

std::string CheckSummaryText(const CheckReport& report, const std::string& dir) {
  std::string out;
  const int64_t runs = static_cast<int64_t>(report.results.size());
  absl::StrAppendFormat(&out, "profile %s, seeds %d..%d, %d jobs\n", report.profile,
                        report.first_seed, report.first_seed + report.seeds - 1, report.jobs);
  absl::StrAppendFormat(&out, "runs: %d (%.1f runs/s, %.1f s wall), %d more to shrink\n", runs,
                        report.wall_s > 0 ? runs / report.wall_s : 0.0, report.wall_s,
                        report.shrink_runs());
  const auto by_property = report.by_property();
  if (by_property.empty()) {
    out += "violations: none\n";
  } else {
    out += "violations per property (runs):\n";
    for (const auto& [property, counts] : by_property) {
      absl::StrAppendFormat(&out, "  %-20s %d new, %d known\n", property, counts.first,
                            counts.second);
    }
  }
  const auto by_finding = report.by_finding();
  if (!by_finding.empty()) {
    out += "known findings (docs/findings.md):\n";
    for (const auto& [finding, n] : by_finding) {
      absl::StrAppendFormat(&out, "  %-40s %d runs\n", finding, n);
      for (const SeedResult& r : report.results) {
        if (r.outcome.finding() == finding && !r.file.empty()) {
          absl::StrAppendFormat(&out, "    e.g. seed %d: slotsim replay %s/%s\n",
                                r.outcome.seed(), dir, r.file);
          break;
        }
      }
    }
  }
  for (const SeedResult& r : report.results) {
    const props::ExploreOutcome& o = r.outcome;
    const std::string file = r.file.empty() ? "" : absl::StrCat(dir, "/", r.file);
    if (o.has_error()) {
      absl::StrAppendFormat(&out, "ERROR seed %d: %s\n", o.seed(), o.error());
      if (!file.empty()) absl::StrAppendFormat(&out, "  reproduce: slotsim run %s\n", file);
    } else if (o.has_seed_file() && o.finding().empty()) {
      absl::StrAppendFormat(&out, "NEW seed %d: %s at %s: %s\n", o.seed(), o.property(),
                            Seconds(o.at_ms()), o.message());
      absl::StrAppendFormat(&out, "  shrunk from %d to %d actions in %d runs%s\n",
                            o.faults_before(), o.faults_after(), o.shrink_runs(),
                            o.shrunk_to_minimum() ? "" : " (budget exhausted)");
      if (!file.empty()) absl::StrAppendFormat(&out, "  reproduce: slotsim replay %s\n", file);
    }
  }
  const int64_t failed = report.failed_runs() + report.errors();
  absl::StrAppendFormat(&out, "result: %s (%d runs with new violations, %d errors, %d known)\n",
                        failed == 0 ? "OK" : "FAILED", report.failed_runs(), report.errors(),
                        report.known_runs());
  return out;
}

}  // namespace slotsim::tools::check
