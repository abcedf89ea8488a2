#include "tools/checkers.h"

#include "props/registry.h"
#include "props/write_loss.h"
#include "sim/check.h"

namespace slotsim::tools {

std::vector<scenarios::Checker*> CheckerSet::pointers() const {
  std::vector<scenarios::Checker*> out;
  for (const auto& c : checkers) out.push_back(c.get());
  if (accounting_ != nullptr) out.push_back(accounting_.get());
  return out;
}

std::map<std::string, bool> CheckerSet::Results() const {
  std::map<std::string, bool> out;
  for (const auto& c : checkers) out[std::string(c->name())] = c->ok();
  return out;
}

int64_t CheckerSet::WritesLost(const scenarios::World&, const scenarios::RunRecord&) const {
  const scenarios::Checker* c = accounting_.get();
  for (const auto& k : checkers) {
    if (k->name() == "write_loss") c = k.get();
  }
  const auto* wl = dynamic_cast<const props::WriteLossChecker*>(c);
  return wl == nullptr ? 0 : wl->summary().lost;
}

CheckerSet MakeCheckers(const scenarios::Scenario& scenario) {
  std::vector<std::string> names(scenario.properties().begin(), scenario.properties().end());
  auto made = props::MakeCheckers(names);
  // The loader validated the names against KnownPropertyNames().
  CHECK(made.ok()) << made.status().message();
  CheckerSet set;
  set.checkers = std::move(made).value();
  bool has_write_loss = false;
  for (const auto& c : set.checkers) has_write_loss |= c->name() == "write_loss";
  // Lost writes are counted for every summary, even when the property itself
  // is not checked.
  if (!has_write_loss) set.accounting_ = std::make_unique<props::WriteLossChecker>();
  return set;
}

std::vector<std::string> KnownPropertyNames() { return props::AllPropertyNames(); }

}  // namespace slotsim::tools
