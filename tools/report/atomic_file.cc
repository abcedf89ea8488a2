#include "tools/report/atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "sim/check.h"

namespace slotsim::tools {
namespace {

constexpr size_t kFlushBytes = 1 << 16;

absl::Status ErrnoError(int error, std::string_view call, const std::string& path) {
  return absl::ErrnoToStatus(error, absl::StrCat(std::string(call), " ", path));
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseName(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Writes all of `data` to `fd`, retrying short writes and EINTR.
absl::Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status SyncDirectory(const std::string& path) {
  const std::string directory = DirectoryOf(path);
  const int fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "open directory", directory);
  const int result = fsync(fd);
  const int error = errno;
  close(fd);
  if (result != 0) return ErrnoError(error, "fsync directory", directory);
  return absl::OkStatus();
}

// Makes a new temporary beside `path`; returns its descriptor and name.
absl::StatusOr<std::pair<int, std::string>> MakeTemp(const std::string& path) {
  std::string name = DirectoryOf(path) + "/." + BaseName(path) + ".tmp.XXXXXX";
  std::vector<char> buffer(name.begin(), name.end());
  buffer.push_back('\0');
  const int fd = mkostemp(buffer.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "create temporary for", path);
  name.assign(buffer.data());
  if (fchmod(fd, 0644) != 0) {
    const int error = errno;
    close(fd);
    unlink(name.c_str());
    return ErrnoError(error, "chmod", name);
  }
  return std::make_pair(fd, std::move(name));
}

// fsync + close + rename over `path` + fsync the directory. Closes fd always.
absl::Status Publish(int fd, const std::string& temp, const std::string& path) {
  if (fsync(fd) != 0) {
    const int error = errno;
    close(fd);
    return ErrnoError(error, "fsync", temp);
  }
  if (close(fd) != 0) return ErrnoError(errno, "close", temp);
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return ErrnoError(errno, "rename to " + path + " from", temp);
  }
  return SyncDirectory(path);
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents) {
  absl::StatusOr<AtomicFileWriter> writer = AtomicFileWriter::Open(path);
  if (!writer.ok()) return writer.status();
  if (absl::Status status = writer->Append(contents); !status.ok()) return status;
  return writer->Close();
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "open", path);
  std::string contents;
  char chunk[1 << 16];
  while (true) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int error = errno;
      close(fd);
      return ErrnoError(error, "read", path);
    }
    if (n == 0) break;
    contents.append(chunk, static_cast<size_t>(n));
  }
  close(fd);
  return contents;
}

absl::StatusOr<AtomicFileWriter> AtomicFileWriter::Open(const std::string& path,
                                                        Mode mode) {
  std::string existing;
  if (mode == Mode::kAppend) {
    absl::StatusOr<std::string> old = ReadFileToString(path);
    if (old.ok()) {
      existing = std::move(*old);
    } else if (!absl::IsNotFound(old.status())) {
      return old.status();
    }
  }
  absl::StatusOr<std::pair<int, std::string>> temp = MakeTemp(path);
  if (!temp.ok()) return temp.status();
  AtomicFileWriter writer(path, std::move(temp->second), temp->first);
  if (absl::Status status = writer.Append(existing); !status.ok()) return status;
  return writer;
}

AtomicFileWriter::AtomicFileWriter(std::string path, std::string temp_path, int fd)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}

AtomicFileWriter::AtomicFileWriter(AtomicFileWriter&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      fd_(other.fd_),
      closed_(other.closed_),
      size_(other.size_),
      buffer_(std::move(other.buffer_)),
      status_(std::move(other.status_)) {
  other.fd_ = -1;
  other.closed_ = true;  // The moved-from writer owns nothing to clean up.
}

AtomicFileWriter::~AtomicFileWriter() {
  if (closed_) return;
  if (fd_ >= 0) close(fd_);
  unlink(temp_path_.c_str());
}

absl::Status AtomicFileWriter::Fail(absl::Status status) {
  if (status_.ok()) status_ = status;
  return status_;
}

absl::Status AtomicFileWriter::Flush() {
  if (!status_.ok()) return status_;
  absl::Status status = WriteAll(fd_, buffer_, temp_path_);
  buffer_.clear();
  return status.ok() ? status : Fail(status);
}

absl::Status AtomicFileWriter::Append(std::string_view data) {
  CHECK(!closed_) << "Append after Close: " << path_;
  if (!status_.ok()) return status_;
  buffer_.append(data.data(), data.size());
  size_ += data.size();
  return buffer_.size() >= kFlushBytes ? Flush() : absl::OkStatus();
}

absl::Status AtomicFileWriter::AppendLine(std::string_view line) {
  if (absl::Status status = Append(line); !status.ok()) return status;
  return Append("\n");
}

absl::Status AtomicFileWriter::Checkpoint() {
  CHECK(!closed_) << "Checkpoint after Close: " << path_;
  if (absl::Status status = Flush(); !status.ok()) return status;
  // Copy the temporary so far into a second one and publish that.
  absl::StatusOr<std::pair<int, std::string>> copy = MakeTemp(path_);
  if (!copy.ok()) return Fail(copy.status());
  const auto [copy_fd, copy_path] = *copy;
  char chunk[1 << 16];
  uint64_t offset = 0;
  while (offset < size_) {
    const ssize_t n = pread(fd_, chunk, sizeof chunk, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    absl::Status status = n < 0 ? ErrnoError(errno, "read", temp_path_)
                          : n == 0
                              ? absl::DataLossError("temporary shrank: " + temp_path_)
                              : WriteAll(copy_fd, std::string_view(chunk, n), copy_path);
    if (!status.ok()) {
      close(copy_fd);
      unlink(copy_path.c_str());
      return Fail(status);
    }
    offset += static_cast<uint64_t>(n);
  }
  absl::Status status = Publish(copy_fd, copy_path, path_);
  if (!status.ok()) {
    unlink(copy_path.c_str());
    return Fail(status);
  }
  return absl::OkStatus();
}

absl::Status AtomicFileWriter::Close() {
  CHECK(!closed_) << "Close twice: " << path_;
  absl::Status status = Flush();
  const int fd = fd_;
  fd_ = -1;
  closed_ = true;
  if (status.ok()) {
    status = Publish(fd, temp_path_, path_);
  } else {
    close(fd);
  }
  if (!status.ok()) unlink(temp_path_.c_str());
  return status;
}

}  // namespace slotsim::tools
