#include "model/redis_cli_text.h"

namespace slotsim::model {
namespace {

void AppendRaw(const Reply& reply, std::string* out) {
  switch (reply.kind()) {
    case Reply::Kind::kNil:
      return;
    case Reply::Kind::kError:
      *out += reply.str();
      out->push_back('\n');
      return;
    case Reply::Kind::kStatus:
    case Reply::Kind::kBulk:
      *out += reply.str();
      return;
    case Reply::Kind::kInteger:
      *out += std::to_string(reply.integer());
      return;
    case Reply::Kind::kArray: {
      bool first = true;
      for (const Reply& item : reply.items()) {
        if (!first) out->push_back('\n');
        first = false;
        AppendRaw(item, out);
      }
      return;
    }
  }
}

}  // namespace

std::string RedisCliRaw(const Reply& reply) {
  std::string out;
  AppendRaw(reply, &out);
  return out;
}

std::string RedisCliOutput(const Reply& reply) { return RedisCliRaw(reply) + "\n"; }

}  // namespace slotsim::model
