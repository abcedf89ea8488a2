#include "scenarios/diagnostics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace slotsim::scenarios {

std::string Diagnostic::ToString() const {
  const char* kind = severity == Severity::kWarning ? "warning: " : "";
  if (pos.line > 0) {
    return absl::StrCat(file, ":", pos.line, ":", pos.column, ": ", kind, message);
  }
  return absl::StrCat(kind, message);
}

void Diagnostics::Error(TextPos pos, std::string message) {
  all_.push_back({Diagnostic::Severity::kError, file_, pos, std::move(message)});
}

void Diagnostics::Warning(TextPos pos, std::string message) {
  all_.push_back({Diagnostic::Severity::kWarning, file_, pos, std::move(message)});
}

void Diagnostics::ErrorNoPos(std::string message) {
  all_.push_back({Diagnostic::Severity::kError, file_, TextPos{}, std::move(message)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

int Diagnostics::error_count() const {
  return static_cast<int>(std::count_if(
      all_.begin(), all_.end(), [](const Diagnostic& d) { return d.is_error(); }));
}

std::vector<Diagnostic> Diagnostics::Sorted() const {
  std::vector<Diagnostic> out = all_;
  std::stable_sort(out.begin(), out.end(), [](const Diagnostic& a, const Diagnostic& b) {
    // Positioned diagnostics first, by position; unpositioned keep their order.
    const bool ap = a.pos.line > 0, bp = b.pos.line > 0;
    if (ap != bp) return ap;
    if (!ap) return false;
    if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
    return a.pos.column < b.pos.column;
  });
  return out;
}

std::vector<Diagnostic> Diagnostics::Warnings() const {
  std::vector<Diagnostic> out;
  for (const Diagnostic& d : Sorted()) {
    if (!d.is_error()) out.push_back(d);
  }
  return out;
}

absl::Status Diagnostics::ToStatus() const {
  if (!has_errors()) return absl::OkStatus();
  return absl::InvalidArgumentError(JoinDiagnostics(Sorted()));
}

std::string JoinDiagnostics(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) {
    if (!out.empty()) out += '\n';
    out += d.ToString();
  }
  return out;
}

}  // namespace slotsim::scenarios
