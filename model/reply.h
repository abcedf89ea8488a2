// Reply: a RESP2 reply value, as a Redis command returns it.
//
// Admin and client commands return a Reply; the cluster manager and clients
// parse them the way redis-cli and cluster clients do. ToResp() gives the exact
// protocol bytes (for sizes and tests); ToText() renders like redis-cli's
// non-TTY output (one element per line, nil as an empty line).
//
// Example:
//   Reply r = Reply::Error("ERR Unknown node abc");
//   r.is_error()   // true
//   r.ToResp()     // "-ERR Unknown node abc\r\n"

#ifndef SLOTSIM_MODEL_REPLY_H_
#define SLOTSIM_MODEL_REPLY_H_

#include <cstdint>
#include <string>
#include <vector>

namespace slotsim::model {

class Reply {
 public:
  enum class Kind { kStatus, kError, kInteger, kBulk, kNil, kArray };

  static Reply Status(std::string s) { return Reply(Kind::kStatus, std::move(s)); }
  static Reply Ok() { return Status("OK"); }
  static Reply Error(std::string s) { return Reply(Kind::kError, std::move(s)); }
  static Reply Integer(int64_t v) {
    Reply r(Kind::kInteger, "");
    r.integer_ = v;
    return r;
  }
  static Reply Bulk(std::string s) { return Reply(Kind::kBulk, std::move(s)); }
  static Reply Nil() { return Reply(Kind::kNil, ""); }
  static Reply Array(std::vector<Reply> items) {
    Reply r(Kind::kArray, "");
    r.items_ = std::move(items);
    return r;
  }

  Kind kind() const { return kind_; }
  bool is_error() const { return kind_ == Kind::kError; }
  // Status text, error text (without the leading '-') or bulk contents.
  const std::string& str() const { return str_; }
  int64_t integer() const { return integer_; }
  const std::vector<Reply>& items() const { return items_; }

  std::string ToResp() const;
  std::string ToText() const;

  bool operator==(const Reply& o) const {
    return kind_ == o.kind_ && str_ == o.str_ && integer_ == o.integer_ &&
           items_ == o.items_;
  }

 private:
  Reply(Kind k, std::string s) : kind_(k), str_(std::move(s)) {}
  Kind kind_;
  std::string str_;
  int64_t integer_ = 0;
  std::vector<Reply> items_;
};

// The RESP encoding of a command's argv ("*3\r\n$3\r\nSET\r\n..."), whose length is
// what a master's replication offset advances by when it propagates the command.
std::string EncodeCommand(const std::vector<std::string>& argv);

}  // namespace slotsim::model

#endif  // SLOTSIM_MODEL_REPLY_H_
