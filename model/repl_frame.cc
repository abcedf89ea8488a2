#include "model/repl_frame.h"

namespace slotsim::model {

int64_t ReplFrame::WireSize() const {
  switch (kind) {
    case Kind::kPsync: return 30 + static_cast<int64_t>(replid.size());
    case Kind::kFullResync: {
      int64_t size = 60;
      if (snapshot) {
        snapshot->ForEach([&](int, std::string_view key, const Value& v) {
          size += static_cast<int64_t>(key.size() + v.data.size()) + 16;
        });
      }
      return size;
    }
    case Kind::kContinue: return 53;
    case Kind::kStream: return bytes;
    case Kind::kAck: return 40;
    case Kind::kError: return static_cast<int64_t>(error.size()) + 3;
  }
  return 0;
}

}  // namespace slotsim::model
