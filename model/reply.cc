#include "model/reply.h"

namespace slotsim::model {

std::string Reply::ToResp() const {
  switch (kind_) {
    case Kind::kStatus: return "+" + str_ + "\r\n";
    case Kind::kError: return "-" + str_ + "\r\n";
    case Kind::kInteger: return ":" + std::to_string(integer_) + "\r\n";
    case Kind::kBulk:
      return "$" + std::to_string(str_.size()) + "\r\n" + str_ + "\r\n";
    case Kind::kNil: return "$-1\r\n";
    case Kind::kArray: {
      std::string out = "*" + std::to_string(items_.size()) + "\r\n";
      for (const Reply& r : items_) out += r.ToResp();
      return out;
    }
  }
  return "";
}

std::string Reply::ToText() const {
  switch (kind_) {
    case Kind::kStatus:
    case Kind::kBulk: return str_;
    case Kind::kError: return "(error) " + str_;
    case Kind::kInteger: return std::to_string(integer_);
    case Kind::kNil: return "";
    case Kind::kArray: {
      std::string out;
      for (size_t i = 0; i < items_.size(); ++i) {
        if (i > 0) out += "\n";
        out += items_[i].ToText();
      }
      return out;
    }
  }
  return "";
}

std::string EncodeCommand(const std::vector<std::string>& argv) {
  std::string out = "*" + std::to_string(argv.size()) + "\r\n";
  for (const std::string& a : argv) {
    out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  }
  return out;
}

}  // namespace slotsim::model
