// slotsim keyslot / version.

#include <iostream>
#include <string>

#include <boost/program_options.hpp>

#include "model/keyslot.h"
#include "tools/build_info.h"
#include "tools/cli_common.h"
#include "tools/commands.h"

namespace slotsim::tools {
namespace po = boost::program_options;

int KeyslotCommand(const Args& args) {
  constexpr char kUsage[] = "slotsim keyslot [--verbose] [KEY...]";
  std::vector<std::string> keys;
  bool verbose = false;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("verbose,v", po::bool_switch(&verbose), "also print the key and the part that was hashed");
  po::options_description hidden;
  hidden.add_options()("key", po::value(&keys)->composing());
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description pos;
  pos.add("key", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "slotsim: " << e.what() << "\nusage: " << kUsage << "\n";
    return kExitUsage;
  }
  if (vm.count("help")) {
    std::cout << "usage: " << kUsage << "\n\n"
              << "Prints the hash slot of each KEY (CRC16/XMODEM of the key, or of its first\n"
                 "non-empty {hash tag}, modulo 16384), one per line, as CLUSTER KEYSLOT does.\n"
                 "Without KEYs, reads one key per line from standard input.\n\n"
              << desc << "\n";
    return kExitOk;
  }
  auto print = [&](const std::string& key) {
    const int slot = model::KeyHashSlot(key);
    if (verbose) {
      std::cout << slot << "\t" << key << "\t(hashed: " << model::HashTagOf(key) << ")\n";
    } else {
      std::cout << slot << "\n";
    }
  };
  if (keys.empty()) {
    std::string line;
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      print(line);
    }
  } else {
    for (const std::string& k : keys) print(k);
  }
  return kExitOk;
}

int VersionCommand(const Args& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: slotsim version\n\nPrints slotsim's version, the build id that seed "
                 "files record, and the Redis version the model follows.\n";
    return kExitOk;
  }
  if (!args.empty()) {
    std::cerr << "slotsim: version takes no arguments\n";
    return kExitUsage;
  }
  std::cout << "slotsim " << kVersion << "\nbuild " << BuildId() << "\nmodels Redis Cluster "
            << kRedisVersion << "\n";
  return kExitOk;
}

}  // namespace slotsim::tools
