#include "props/registry.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "props/convergence.h"
#include "props/epochs.h"
#include "props/failover_liveness.h"
#include "props/migration_hygiene.h"
#include "props/no_lost_slot.h"
#include "props/roles.h"
#include "props/single_writer.h"
#include "props/votes.h"
#include "props/write_loss.h"

namespace slotsim::props {

const std::vector<std::string>& AllPropertyNames() {
  static const auto* names = new std::vector<std::string>{"single_writer",
                                                          "single_writer_strict",
                                                          "no_lost_slot",
                                                          "convergence",
                                                          "epochs",
                                                          "votes",
                                                          "roles",
                                                          "migration_hygiene",
                                                          "failover_liveness",
                                                          "write_loss"};
  return *names;
}

const std::vector<std::string>& DefaultPropertyNames() {
  static const auto* names = [] {
    auto* v = new std::vector<std::string>;
    for (const std::string& n : AllPropertyNames()) {
      if (n != "single_writer_strict") v->push_back(n);
    }
    return v;
  }();
  return *names;
}

absl::StatusOr<std::unique_ptr<scenarios::Checker>> MakeChecker(std::string_view name) {
  std::unique_ptr<scenarios::Checker> c;
  if (name == "single_writer") c = std::make_unique<SingleWriterChecker>(false);
  if (name == "single_writer_strict") c = std::make_unique<SingleWriterChecker>(true);
  if (name == "no_lost_slot") c = std::make_unique<NoLostSlotChecker>();
  if (name == "convergence") c = std::make_unique<ConvergenceChecker>();
  if (name == "epochs") c = std::make_unique<EpochsChecker>();
  if (name == "votes") c = std::make_unique<VotesChecker>();
  if (name == "roles") c = std::make_unique<RolesChecker>();
  if (name == "migration_hygiene") c = std::make_unique<MigrationHygieneChecker>();
  if (name == "failover_liveness") c = std::make_unique<FailoverLivenessChecker>();
  if (name == "write_loss") c = std::make_unique<WriteLossChecker>();
  if (c == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("unknown property '", std::string(name),
                     "'; known: ", absl::StrJoin(AllPropertyNames(), ", ")));
  }
  return c;
}

absl::StatusOr<std::vector<std::unique_ptr<scenarios::Checker>>> MakeCheckers(
    const std::vector<std::string>& names) {
  const std::vector<std::string>& wanted = names.empty() ? DefaultPropertyNames() : names;
  std::vector<std::unique_ptr<scenarios::Checker>> out;
  std::set<std::string> seen;
  for (const std::string& n : wanted) {
    if (!seen.insert(n).second) {
      return absl::InvalidArgumentError(absl::StrCat("property '", n, "' named twice"));
    }
    auto c = MakeChecker(n);
    if (!c.ok()) return absl::InvalidArgumentError(c.status().message());
    out.push_back(std::move(c).value());
  }
  return out;
}

}  // namespace slotsim::props
