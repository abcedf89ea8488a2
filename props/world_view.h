// World -> ClusterView: the adapter every world-driven checker uses.
//
// A checker keeps one ClusterView of the world and refreshes, after each
// event, only the node the event touched (Checker::AfterEvent's `touched`):
// O(1) per event, so a 1000-node run does not rebuild 1000 views per event.
// Pointers in the view stay valid until the world runs again; a crashed or
// restarted node gets new pointers at its next refresh, so a checker must
// also refresh the nodes named by process faults (crash, restart, pause,
// resume), which RefreshNamed does.
//
// Clock: NodeView::NowMs uses the node's clock_base_ms and the simulated
// time; clock jumps (World::JumpClock) are not visible through World's
// public API yet, so clock_offset_ms stays 0.

#ifndef SLOTSIM_PROPS_WORLD_VIEW_H_
#define SLOTSIM_PROPS_WORLD_VIEW_H_

#include <string>
#include <vector>

#include "props/cluster_view.h"
#include "scenarios/world.h"

namespace slotsim::props {

// Fills `v` from node `index` of the world (index into world.node_names()).
void RefreshNodeView(const scenarios::World& world, int index, NodeView* v);

// A view of every node of the world, now.
ClusterView ViewOfWorld(const scenarios::World& world);

// Brings `view` (made by ViewOfWorld for this world) up to date after an
// event: refreshes node `touched` (every node for kTouchedSeveral, none for
// kTouchedNone) and sets view->now. Returns the indexes refreshed.
std::vector<int> RefreshView(const scenarios::World& world, int touched,
                             ClusterView* view);

// Refreshes the named nodes (process faults) and view->now.
void RefreshNamed(const scenarios::World& world, const std::vector<std::string>& names,
                  ClusterView* view);

}  // namespace slotsim::props

#endif  // SLOTSIM_PROPS_WORLD_VIEW_H_
