// Atomic file output: a reader of `path` sees the old file or the complete new
// one, never half a file, even if the process is killed mid-write.
//
// Method: write to a temporary file in the same directory (".<name>.tmp.XXXXXX",
// made by mkstemp, so concurrent writers never collide), fsync it, rename() it
// over `path` (atomic within one file system on POSIX), then fsync the directory
// so the rename itself survives a crash. New files get mode 0644.
//
// AtomicFileWriter is for outputs written piece by piece (JSON Lines, CSV rows,
// a streamed trace). Close() publishes; destroying the writer without Close()
// removes the temporary and leaves `path` as it was. Checkpoint() publishes
// what has been written so far while writing goes on, so a long sweep killed
// after a checkpoint leaves every row up to it (the basis of --resume); it copies
// the data written so far, so call it every few seconds, not every row. kAppend
// starts from the current contents of `path` (if any): resume, then append.
//
// Errors are absl::Status values naming the path and the failed call, e.g.
// "open /out/runs.csv.tmp: No such file or directory". The first error sticks:
// later calls return it and Close() removes the temporary. Calling anything but
// the destructor after Close() is a programmer error (CHECK).
//
// Example:
//   absl::StatusOr<AtomicFileWriter> out = AtomicFileWriter::Open("runs.jsonl");
//   if (!out.ok()) return out.status();
//   out->AppendLine(event.Dump()).IgnoreError();  // the first error is kept
//   return out->Close();

#ifndef SLOTSIM_TOOLS_REPORT_ATOMIC_FILE_H_
#define SLOTSIM_TOOLS_REPORT_ATOMIC_FILE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace slotsim::tools {

// Replaces `path` with `contents` atomically (see the file comment).
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents);

// Reads a whole file; NotFound if it does not exist.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

class AtomicFileWriter {
 public:
  enum class Mode { kTruncate, kAppend };

  static absl::StatusOr<AtomicFileWriter> Open(const std::string& path,
                                               Mode mode = Mode::kTruncate);

  AtomicFileWriter(AtomicFileWriter&& other) noexcept;
  AtomicFileWriter& operator=(AtomicFileWriter&&) = delete;
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  // Without Close(): removes the temporary file; `path` keeps its old contents
  // (or the last checkpoint).
  ~AtomicFileWriter();

  absl::Status Append(std::string_view data);
  // `line` and a "\n".
  absl::Status AppendLine(std::string_view line);
  // Publishes everything appended so far; writing continues.
  absl::Status Checkpoint();
  // Flushes, syncs and renames over `path`.
  absl::Status Close();

  const std::string& path() const { return path_; }
  const std::string& temp_path() const { return temp_path_; }
  // Bytes in the file so far (appended plus any kept by kAppend).
  uint64_t size() const { return size_; }

 private:
  AtomicFileWriter(std::string path, std::string temp_path, int fd);

  absl::Status Flush();
  absl::Status Fail(absl::Status status);  // Records the first error.

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool closed_ = false;
  uint64_t size_ = 0;
  std::string buffer_;
  absl::Status status_;
};

}  // namespace slotsim::tools

#endif  // SLOTSIM_TOOLS_REPORT_ATOMIC_FILE_H_
