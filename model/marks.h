// Coverage marks: named counters that rare branches of the model bump, so
// scripted tests can assert that a scenario really exercised the branch
// (TigerBeetle's marks.zig, FoundationDB's CODE_PROBE).
//
//   MARK("vote refused: stale slot epoch");
//   ...
//   EXPECT_GT(marks::Count("vote refused: stale slot epoch"), 0);
//
// Marks are observation only: nothing in the model ever reads them, so they can
// never change behaviour. The registry is thread_local (tests and property
// runners may run worlds on several threads) and lives for the whole thread;
// Reset() zeroes every counter but keeps the names registered.
//
// Cost: one static thread_local pointer per call site, so a hit is an
// increment after the first registration. Hence the name must be a string
// literal: a call site registers its name once.

#ifndef SLOTSIM_MODEL_MARKS_H_
#define SLOTSIM_MODEL_MARKS_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace slotsim::model::marks {

// The counter for `name`, created at zero on first use. The pointer stays
// valid for the life of the thread.
uint64_t* Register(std::string_view name);

// Hits of `name` since the last Reset() (0 if never hit).
uint64_t Count(std::string_view name);

// Zeroes every counter.
void Reset();

// Every mark hit at least once since the last Reset(), by name.
std::map<std::string, uint64_t> Snapshot();

}  // namespace slotsim::model::marks

// `"" name` only compiles when `name` is a string literal.
#define MARK(name)                                                        \
  do {                                                                    \
    static thread_local uint64_t* slotsim_mark_counter_ =                 \
        ::slotsim::model::marks::Register("" name);                       \
    ++*slotsim_mark_counter_;                                             \
  } while (0)

#endif  // SLOTSIM_MODEL_MARKS_H_
