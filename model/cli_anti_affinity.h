// The anti-affinity score and optimiser of `redis-cli --cluster create`.
//
// Redis: clusterManagerGetAntiAffinityScore and clusterManagerOptimizeAntiAffinity
// in src/redis-cli.c.
//
// Nodes are indexes 0..N-1 in argument order; ips[i] is node i's host string and
// master_of[i] the index of the master node i replicates, or -1 for a node that
// replicates nobody (a master, or a node left unassigned by create).
//
// Score: nodes are grouped by host (groups in order of first appearance). Within
// a host, nodes are grouped by "related master" (a replica's master, or a master
// itself). A related group of k >= 2 members on one host adds 10000*(k-1) if the
// master is among them (replicas share their master's host), else k (several
// replicas of one master share a host that the master is not on). 0 is perfect.
//
// Offenders: for every scoring (host, related group), the first replica in
// argument order that belongs to it. Redis lists the groups of a host in dict
// (hash) order; we list them in order of first appearance on the host. Only the
// order in which the optimiser's random index picks differs.
//
// Optimiser: if the score is 0, nothing happens and nothing is printed. Else up to
// 500*N rounds: recompute score and offenders; stop if either is empty/0; pick a
// random offender and a random other replica (argument order), swap their masters,
// and undo the swap only if the score got worse (equal scores are kept). Redis
// draws from the C library's generator seeded with the current second; we draw
// rng.Uniform(n) where Redis takes that draw modulo n.

#ifndef SLOTSIM_MODEL_CLI_ANTI_AFFINITY_H_
#define SLOTSIM_MODEL_CLI_ANTI_AFFINITY_H_

#include <string>
#include <vector>

#include "sim/rng.h"

namespace slotsim::model {

// clusterManagerGetAntiAffinityScore. If `offenders` is not null it receives the
// offending replicas (see the file comment). REQUIRES: ips.size() ==
// master_of.size(); every master_of entry is -1 or a valid index whose own
// master_of is -1.
int AntiAffinityScore(const std::vector<std::string>& ips,
                      const std::vector<int>& master_of, std::vector<int>* offenders);

struct AntiAffinityOutcome {
  int initial_score = 0;
  int final_score = 0;
  int rounds = 0;  // swap attempts made
  // What redis-cli prints: nothing if initial_score == 0; else
  // ">>> Trying to optimize slaves allocation for anti-affinity" and one of
  // "[OK] Perfect anti-affinity obtained!",
  // "[WARNING] Some slaves are in the same host as their master",
  // "[WARNING] Some slaves of the same master are in the same host".
  std::vector<std::string> lines;
};

// clusterManagerOptimizeAntiAffinity: improves *master_of in place.
AntiAffinityOutcome OptimizeAntiAffinity(const std::vector<std::string>& ips,
                                         std::vector<int>* master_of, sim::Rng& rng);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_CLI_ANTI_AFFINITY_H_
