// Exit-status sets (`1-3,7`) and the rule that sorts an attempt's status into
// success / retry / give up. The command keeps the rule in this form so that
// it can hand it to the library in the library's own terms (a spec's
// retry-on / giveup-on list) whenever those can express it, and through a
// classifier only when they cannot (a success set, 0 as a failure).
#pragma once

#include <bitset>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "backoff/backoff.h"

namespace cli {

// Exit statuses as a shell reports them: 0-255.
class CodeSet {
public:
  // "1-3,7": numbers and inclusive ranges, comma-separated. On error,
  // *why says what is wrong and nothing is returned.
  static std::optional<CodeSet> parse(std::string_view text, std::string *why);
  static CodeSet of(std::initializer_list<int> codes);

  bool has(int code) const noexcept {
    return code >= 0 && code < 256 && bits_.test(static_cast<std::size_t>(code));
  }
  void add(int code) { bits_.set(static_cast<std::size_t>(code)); }
  void remove(int code) { bits_.reset(static_cast<std::size_t>(code)); }
  bool empty() const noexcept { return bits_.none(); }
  bool operator==(const CodeSet &o) const noexcept { return bits_ == o.bits_; }
  // "1,2,3,7": the form the library's spec parser reads.
  std::string list() const;

private:
  std::bitset<256> bits_;
};

// Which statuses succeed, and which failures are retried.
struct ExitRule {
  enum class Mode { RetryOn, GiveupOn };
  CodeSet success = CodeSet::of({0});
  Mode mode = Mode::GiveupOn;
  CodeSet codes = CodeSet::of({126, 127}); // retried (RetryOn) or not

  // A command that cannot be run will not start working by itself: 126
  // and 127 end the retries unless this rule names them as retried or as
  // a success.
  void keep_unrunnable_fatal();
  // True when the library's own classification (0 is success, a
  // retry-on or giveup-on list without 0) says the same.
  bool library_can_express() const noexcept;
  // The library's spec setting for it: "retry-on=..." / "giveup-on=...".
  std::string spec() const;
  backoff_verdict verdict(int status) const noexcept;
};

} // namespace cli
