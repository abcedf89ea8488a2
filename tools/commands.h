// The slotsim subcommands. Each takes the arguments after its name and returns
// the process exit code (cli_common.h).

#ifndef SLOTSIM_TOOLS_COMMANDS_H_
#define SLOTSIM_TOOLS_COMMANDS_H_

#include <string>
#include <vector>

namespace slotsim::tools {

using Args = std::vector<std::string>;

int RunCommand(const Args& args);      // slotsim run
int ReplayCommand(const Args& args);   // slotsim replay
int CheckCommand(const Args& args);    // slotsim check
int NodesCommand(const Args& args);    // slotsim nodes
int KeyslotCommand(const Args& args);  // slotsim keyslot
int VersionCommand(const Args& args);  // slotsim version
int BenchCommand(const Args& args);    // slotsim bench
int SweepCommand(const Args& args);    // slotsim sweep
int MergeCommand(const Args& args);    // slotsim merge

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_COMMANDS_H_
