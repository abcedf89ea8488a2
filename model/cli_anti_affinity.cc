#include "model/cli_anti_affinity.h"

#include <cstdint>
#include <map>
#include <utility>

#include "sim/check.h"

namespace slotsim::model {
namespace {

// Node indexes per host, hosts in order of first appearance, nodes in argument
// order (redis-cli's ip_nodes arrays after clusterManagerNodeArrayReset).
std::vector<std::vector<int>> GroupByHost(const std::vector<std::string>& ips) {
  std::vector<std::vector<int>> groups;
  std::map<std::string, size_t> index;  // ordered; lookup only
  for (size_t i = 0; i < ips.size(); ++i) {
    auto [it, inserted] = index.emplace(ips[i], groups.size());
    if (inserted) groups.emplace_back();
    groups[it->second].push_back(static_cast<int>(i));
  }
  return groups;
}

// Score (and offenders) over precomputed host groups. `count` and `has_master`
// are scratch arrays of size N, all zero on entry and on exit.
int Score(const std::vector<std::vector<int>>& groups, const std::vector<int>& master_of,
          std::vector<int>& count, std::vector<uint8_t>& has_master,
          std::vector<int>* offenders) {
  int score = 0;
  std::vector<int> keys;  // related-group keys in order of first appearance
  for (const std::vector<int>& group : groups) {
    keys.clear();
    for (int n : group) {
      const int key = master_of[n] >= 0 ? master_of[n] : n;
      if (count[key]++ == 0) keys.push_back(key);
      if (master_of[n] < 0) has_master[key] = 1;
    }
    for (int key : keys) {
      const int k = count[key];
      if (k >= 2) {
        score += has_master[key] ? 10000 * (k - 1) : k;
        if (offenders != nullptr) {
          for (int n : group) {
            if (master_of[n] == key) {
              offenders->push_back(n);
              break;
            }
          }
        }
      }
      count[key] = 0;
      has_master[key] = 0;
    }
  }
  return score;
}

void CheckShape(const std::vector<std::string>& ips, const std::vector<int>& master_of) {
  CHECK_EQ(ips.size(), master_of.size());
  const int n = static_cast<int>(master_of.size());
  for (int m : master_of) {
    CHECK(m >= -1 && m < n) << "master index " << m;
    if (m >= 0) CHECK_EQ(master_of[m], -1) << "node " << m << " is a replica";
  }
}

}  // namespace

int AntiAffinityScore(const std::vector<std::string>& ips,
                      const std::vector<int>& master_of, std::vector<int>* offenders) {
  CheckShape(ips, master_of);
  std::vector<int> count(ips.size(), 0);
  std::vector<uint8_t> has_master(ips.size(), 0);
  if (offenders != nullptr) offenders->clear();
  return Score(GroupByHost(ips), master_of, count, has_master, offenders);
}

AntiAffinityOutcome OptimizeAntiAffinity(const std::vector<std::string>& ips,
                                         std::vector<int>* master_of, sim::Rng& rng) {
  CheckShape(ips, *master_of);
  std::vector<int>& masters = *master_of;
  const std::vector<std::vector<int>> groups = GroupByHost(ips);
  std::vector<int> count(ips.size(), 0);
  std::vector<uint8_t> has_master(ips.size(), 0);

  AntiAffinityOutcome out;
  out.initial_score = Score(groups, masters, count, has_master, nullptr);
  out.final_score = out.initial_score;
  if (out.initial_score == 0) return out;
  out.lines.push_back(">>> Trying to optimize slaves allocation for anti-affinity");

  const int node_count = static_cast<int>(ips.size());
  std::vector<int> offenders;
  std::vector<int> others;
  for (int maxiter = 500 * node_count; maxiter > 0; --maxiter) {
    offenders.clear();
    const int score = Score(groups, masters, count, has_master, &offenders);
    if (score == 0 || offenders.empty()) break;
    const int first = offenders[rng.Uniform(offenders.size())];
    others.clear();
    for (int n = 0; n < node_count; ++n) {
      if (n != first && masters[n] >= 0) others.push_back(n);
    }
    if (others.empty()) break;
    const int second = others[rng.Uniform(others.size())];
    std::swap(masters[first], masters[second]);
    ++out.rounds;
    if (Score(groups, masters, count, has_master, nullptr) > score) {
      std::swap(masters[first], masters[second]);
    }
  }
  out.final_score = Score(groups, masters, count, has_master, nullptr);
  if (out.final_score == 0) {
    out.lines.push_back("[OK] Perfect anti-affinity obtained!");
  } else if (out.final_score >= 10000) {
    out.lines.push_back("[WARNING] Some slaves are in the same host as their master");
  } else {
    out.lines.push_back("[WARNING] Some slaves of the same master are in the same host");
  }
  return out;
}

}  // namespace slotsim::model
