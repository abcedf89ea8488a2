#include "model/redirect_text.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "sim/check.h"

namespace slotsim::model {
namespace {

// Debian's Abseil has its own absl::string_view, not an alias of
// std::string_view; StrCat and friends take that type.
absl::string_view Sv(std::string_view s) { return {s.data(), s.size()}; }

}  // namespace

std::optional<EndpointType> ParseEndpointType(std::string_view config_value) {
  if (absl::EqualsIgnoreCase(Sv(config_value), "ip")) return EndpointType::kIp;
  if (absl::EqualsIgnoreCase(Sv(config_value), "hostname")) {
    return EndpointType::kHostname;
  }
  if (absl::EqualsIgnoreCase(Sv(config_value), "unknown-endpoint")) {
    return EndpointType::kUnknownEndpoint;
  }
  return std::nullopt;
}

std::string_view PreferredEndpoint(const ClusterNode& node, EndpointType type) {
  switch (type) {
    case EndpointType::kIp:
      return node.ip;
    case EndpointType::kHostname:
      return node.hostname.empty() ? std::string_view("?")
                                   : std::string_view(node.hostname);
    case EndpointType::kUnknownEndpoint:
      return "";
  }
  return "unknown";
}

Reply RedirectReply(Redirect code, const ClusterNode* target, int slot,
                    EndpointType type) {
  switch (code) {
    case Redirect::kCrossSlot:
      return Reply::Error("CROSSSLOT Keys in request don't hash to the same slot");
    case Redirect::kUnstable:
      return Reply::Error("TRYAGAIN Multiple keys request during rehashing of slot");
    case Redirect::kDownState:
      return Reply::Error("CLUSTERDOWN The cluster is down");
    case Redirect::kDownReadOnlyState:
      return Reply::Error(
          "CLUSTERDOWN The cluster is down and only accepts read commands");
    case Redirect::kDownUnbound:
      return Reply::Error("CLUSTERDOWN Hash slot not served");
    case Redirect::kMoved:
    case Redirect::kAsk:
      break;
  }
  CHECK(target != nullptr) << "MOVED/ASK needs a target node";
  return Reply::Error(absl::StrCat(code == Redirect::kAsk ? "ASK" : "MOVED", " ", slot,
                                   " ", Sv(PreferredEndpoint(*target, type)), ":",
                                   target->port));
}

}  // namespace slotsim::model
