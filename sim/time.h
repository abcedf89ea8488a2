// Time and Duration: simulated time as strong-typed integer microseconds.
//
// Time is an instant since the start of a run (t = 0); Duration is a signed span.
// Both wrap one int64 count of microseconds, so arithmetic is exact and identical
// on every platform (no floating point: design brief, determinism rules). The two
// types cannot be mixed up: Time + Duration -> Time, Time - Time -> Duration,
// Time + Time does not compile.
//
// Printing: ToString() gives seconds with millisecond precision, "12.345s"
// (truncated toward zero, sign kept: "-0.500s"); ToStringMicros() gives all six
// decimals, "12.345678s".
//
// Example:
//   Time t = Time() + Duration::Millis(1500);
//   t.ToString()            // "1.500s"
//   (t - Time()).millis()   // 1500

#ifndef SLOTSIM_SIM_TIME_H_
#define SLOTSIM_SIM_TIME_H_

#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace slotsim::sim {

class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration Micros(int64_t us) { return Duration(us); }
  static constexpr Duration Millis(int64_t ms) { return Duration(ms * 1000); }
  static constexpr Duration Seconds(int64_t s) { return Duration(s * 1000000); }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Max() {
    return Duration(std::numeric_limits<int64_t>::max());
  }

  constexpr int64_t micros() const { return us_; }
  // Whole milliseconds, rounded toward negative infinity (as integer division of
  // a non-negative count would be; Redis's mstime() truncates the same way).
  constexpr int64_t millis() const { return FloorDiv(us_, 1000); }
  constexpr int64_t seconds() const { return FloorDiv(us_, 1000000); }

  constexpr Duration operator+(Duration o) const { return Duration(us_ + o.us_); }
  constexpr Duration operator-(Duration o) const { return Duration(us_ - o.us_); }
  constexpr Duration operator-() const { return Duration(-us_); }
  constexpr Duration operator*(int64_t k) const { return Duration(us_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(us_ / k); }
  constexpr int64_t operator/(Duration o) const { return us_ / o.us_; }
  constexpr Duration operator%(Duration o) const { return Duration(us_ % o.us_); }
  Duration& operator+=(Duration o) { us_ += o.us_; return *this; }
  Duration& operator-=(Duration o) { us_ -= o.us_; return *this; }

  constexpr bool operator==(Duration o) const { return us_ == o.us_; }
  constexpr bool operator!=(Duration o) const { return us_ != o.us_; }
  constexpr bool operator<(Duration o) const { return us_ < o.us_; }
  constexpr bool operator<=(Duration o) const { return us_ <= o.us_; }
  constexpr bool operator>(Duration o) const { return us_ > o.us_; }
  constexpr bool operator>=(Duration o) const { return us_ >= o.us_; }

  std::string ToString() const;        // "12.345s"
  std::string ToStringMicros() const;  // "12.345678s"

 private:
  constexpr explicit Duration(int64_t us) : us_(us) {}
  static constexpr int64_t FloorDiv(int64_t a, int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
  }
  int64_t us_ = 0;
};

constexpr Duration operator*(int64_t k, Duration d) { return d * k; }

class Time {
 public:
  // The start of the run.
  constexpr Time() = default;

  static constexpr Time FromMicros(int64_t us) { return Time(us); }
  static constexpr Time FromMillis(int64_t ms) { return Time(ms * 1000); }
  static constexpr Time Zero() { return Time(0); }
  // A time after every reachable instant ("never").
  static constexpr Time Max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t micros() const { return us_; }
  constexpr int64_t millis() const { return (*this - Time()).millis(); }
  constexpr int64_t seconds() const { return (*this - Time()).seconds(); }

  constexpr Time operator+(Duration d) const { return Time(us_ + d.micros()); }
  constexpr Time operator-(Duration d) const { return Time(us_ - d.micros()); }
  constexpr Duration operator-(Time o) const {
    return Duration::Micros(us_ - o.us_);
  }
  Time& operator+=(Duration d) { us_ += d.micros(); return *this; }

  constexpr bool operator==(Time o) const { return us_ == o.us_; }
  constexpr bool operator!=(Time o) const { return us_ != o.us_; }
  constexpr bool operator<(Time o) const { return us_ < o.us_; }
  constexpr bool operator<=(Time o) const { return us_ <= o.us_; }
  constexpr bool operator>(Time o) const { return us_ > o.us_; }
  constexpr bool operator>=(Time o) const { return us_ >= o.us_; }

  std::string ToString() const { return (*this - Time()).ToString(); }
  std::string ToStringMicros() const {
    return (*this - Time()).ToStringMicros();
  }

 private:
  constexpr explicit Time(int64_t us) : us_(us) {}
  int64_t us_ = 0;
};

std::ostream& operator<<(std::ostream& out, Duration d);
std::ostream& operator<<(std::ostream& out, Time t);

}  // namespace slotsim::sim

#endif  // SLOTSIM_SIM_TIME_H_
