// Client-facing endpoints and the redirection / cluster-down errors.
//
// cluster-preferred-endpoint-type decides what a node tells clients about where
// another node lives (getPreferredEndpoint): its IP, its announced hostname (or
// "?" when it has none), or an empty endpoint ("unknown-endpoint").
//
// RedirectReply models clusterRedirectClient: the error a command gets when
// getNodeByQuery sends it elsewhere or refuses it. Texts, as the client sees
// them (Reply::str() has no leading '-'):
//   CROSSSLOT Keys in request don't hash to the same slot
//   TRYAGAIN Multiple keys request during rehashing of slot
//   CLUSTERDOWN The cluster is down
//   CLUSTERDOWN The cluster is down and only accepts read commands
//   CLUSTERDOWN Hash slot not served
//   MOVED <slot> <endpoint>:<port>
//   ASK <slot> <endpoint>:<port>
// TLS is not modelled, so the port is always the node's `port` (never pport).

#ifndef SLOTSIM_MODEL_REDIRECT_TEXT_H_
#define SLOTSIM_MODEL_REDIRECT_TEXT_H_

#include <optional>
#include <string_view>

#include "model/cluster_state.h"
#include "model/reply.h"

namespace slotsim::model {

// CLUSTER_ENDPOINT_TYPE_*.
enum class EndpointType { kIp, kHostname, kUnknownEndpoint };

// The value of cluster-preferred-endpoint-type ("ip", "hostname",
// "unknown-endpoint", case-insensitive as Redis's enum configs); nullopt for
// anything else.
std::optional<EndpointType> ParseEndpointType(std::string_view config_value);

// getPreferredEndpoint: ip, hostname or "?", or "".
std::string_view PreferredEndpoint(const ClusterNode& node, EndpointType type);

// CLUSTER_REDIR_* codes that produce a reply (NONE serves the command).
enum class Redirect {
  kCrossSlot,
  kUnstable,  // TRYAGAIN
  kDownState,
  kDownReadOnlyState,
  kDownUnbound,
  kMoved,
  kAsk,
};

// The error reply for `code`. `target` and `slot` are used by kMoved and kAsk
// only; for those `target` must not be null (CHECKed).
Reply RedirectReply(Redirect code, const ClusterNode* target, int slot,
                    EndpointType type);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_REDIRECT_TEXT_H_
