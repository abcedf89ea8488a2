// CHECK: always-on assertions for programmer errors inside sim/ and model/.
//
// A failed CHECK prints the condition, file:line and an optional streamed message
// to stderr, then aborts. Unlike assert(), it does not depend on NDEBUG, so
// optimised builds keep every check (style practice 8). Redis-level anomalies
// (an unknown sender, a stale epoch) are normal control flow and never CHECKed;
// user input errors are reported with absl::Status at the edges.
//
// Example:
//   CHECK(queue.size() < capacity) << "queue " << id << " overflowed";
//   CHECK_EQ(a.size(), b.size());

#ifndef SLOTSIM_SIM_CHECK_H_
#define SLOTSIM_SIM_CHECK_H_

#include <sstream>
#include <string>

namespace slotsim::sim::internal {

// Collects the streamed message and aborts in its destructor.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition);
  [[noreturn]] ~CheckFailure();
  std::ostream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

// Lets `CHECK(x) << ...` compile as one expression of type void.
struct Voidify {
  void operator&(std::ostream&) {}
};

template <typename A, typename B>
std::string FormatOperands(const A& a, const B& b) {
  std::ostringstream out;
  out << " (" << a << " vs " << b << ")";
  return out.str();
}

}  // namespace slotsim::sim::internal

#define CHECK(condition)                                              \
  (condition) ? (void)0                                               \
              : ::slotsim::sim::internal::Voidify() &                 \
                    ::slotsim::sim::internal::CheckFailure(           \
                        __FILE__, __LINE__, #condition)               \
                        .stream()

#define SLOTSIM_CHECK_OP(a, op, b)                                        \
  ((a)op(b)) ? (void)0                                                    \
             : ::slotsim::sim::internal::Voidify() &                      \
                   ::slotsim::sim::internal::CheckFailure(                \
                       __FILE__, __LINE__, #a " " #op " " #b)             \
                           .stream()                                      \
                       << ::slotsim::sim::internal::FormatOperands((a), (b))

#define CHECK_EQ(a, b) SLOTSIM_CHECK_OP(a, ==, b)
#define CHECK_NE(a, b) SLOTSIM_CHECK_OP(a, !=, b)
#define CHECK_LT(a, b) SLOTSIM_CHECK_OP(a, <, b)
#define CHECK_LE(a, b) SLOTSIM_CHECK_OP(a, <=, b)
#define CHECK_GT(a, b) SLOTSIM_CHECK_OP(a, >, b)
#define CHECK_GE(a, b) SLOTSIM_CHECK_OP(a, >=, b)

#endif  // SLOTSIM_SIM_CHECK_H_
