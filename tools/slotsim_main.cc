// slotsim: a deterministic simulator of Redis Cluster 7.0.15.
//
//   slotsim <command> [options]      slotsim <command> --help
//
// Exit codes: 0 every property and expectation held, 1 one failed, 2 bad input
// or usage.

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tools/cli_common.h"
#include "tools/commands.h"

namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*fn)(const slotsim::tools::Args&);
};

const Command kCommands[] = {
    {"run", "run a scenario file with a seed; timeline, JSON summary, output files",
     slotsim::tools::RunCommand},
    {"replay", "re-run a seed file and check its trace hash (says where it diverged)",
     slotsim::tools::ReplayCommand},
    {"check", "explore random fault schedules over many seeds; shrunk failures as seed files",
     slotsim::tools::CheckCommand},
    {"nodes", "print a node's CLUSTER NODES view at a simulated time",
     slotsim::tools::NodesCommand},
    {"keyslot", "print the hash slot of keys (arguments, or one per line on stdin)",
     slotsim::tools::KeyslotCommand},
    {"version", "print the version, the build id and the Redis version modelled",
     slotsim::tools::VersionCommand},
    {"bench", "run the fixed speed workloads and print events/s, speed-up, memory",
     slotsim::tools::BenchCommand},
    {"sweep", "run a grid of knobs over many seeds; runs.csv, summary.csv, SVG plots",
     slotsim::tools::SweepCommand},
    {"merge", "join the result directories of a sweep's shards",
     slotsim::tools::MergeCommand},
};

void Usage(FILE* out) {
  std::fprintf(out,
               "slotsim: a deterministic simulator of Redis Cluster 7.0.15\n\n"
               "usage: slotsim <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-9s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\n'slotsim <command> --help' explains a command's options.\n"
               "exit codes: 0 all properties and expectations held, 1 one failed, "
               "2 bad input or usage\n");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    Usage(stderr);
    return slotsim::tools::kExitUsage;
  }
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    Usage(stdout);
    return slotsim::tools::kExitOk;
  }
  if (name == "--version") return slotsim::tools::VersionCommand({});
  for (const Command& c : kCommands) {
    if (name == c.name) return c.fn(slotsim::tools::Args(argv + 2, argv + argc));
  }
  std::fprintf(stderr, "slotsim: unknown command '%s'\n\n", name.c_str());
  Usage(stderr);
  return slotsim::tools::kExitUsage;
}
