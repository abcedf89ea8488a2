#include "props/roles.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "props/agreement.h"
#include "props/world_view.h"
#include "scenarios/world.h"

namespace slotsim::props {

std::string RoleProblem(const ClusterView& view, const model::ClusterState& cs) {
  for (const auto& n : cs.nodes) {
    const model::ClusterNode* m = n->replica_of;
    if (m == nullptr) continue;
    if (m == n.get()) return absl::StrCat(view.NameOf(n->name), " replicates itself");
    if (!m->is_master()) {
      std::set<const model::ClusterNode*> seen = {n.get()};
      const model::ClusterNode* p = m;
      while (p != nullptr && seen.insert(p).second) p = p->replica_of;
      if (p != nullptr) {
        return absl::StrCat("replica-of cycle through ", view.NameOf(n->name), " and ",
                            view.NameOf(m->name));
      }
      return absl::StrCat(view.NameOf(n->name), " replicates ", view.NameOf(m->name),
                          ", which is not a master");
    }
  }
  return "";
}

void RolesChecker::Finish(const scenarios::World& world,
                          const scenarios::RunRecord& record) {
  const ClusterView view = ViewOfWorld(world);
  const AgreementReport agreement = CheckAgreement(view);
  if (!agreement.agreed) return;  // convergence reports
  for (int i : agreement.members) {
    const NodeView& v = view.nodes[static_cast<size_t>(i)];
    const std::string problem = RoleProblem(view, *v.cluster);
    if (!problem.empty()) {
      Report(world.now(),
             absl::StrCat("after convergence, in ", v.name, "'s view: ", problem));
      return;
    }
  }
}

}  // namespace slotsim::props
