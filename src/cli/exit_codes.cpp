#include "exit_codes.hpp"

#include <charconv>

namespace cli {

namespace {

bool read_code(std::string_view text, int *out) {
  const char *end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, *out);
  return !text.empty() && ec == std::errc() && ptr == end && *out >= 0 &&
         *out <= 255;
}

} // namespace

std::optional<CodeSet> CodeSet::parse(std::string_view text, std::string *why) {
  CodeSet set;
  if (text.empty()) {
    *why = "an empty list";
    return std::nullopt;
  }
  for (;;) {
    const std::size_t comma = text.find(',');
    const std::string_view item = text.substr(0, comma);
    const std::size_t dash = item.find('-', 1);
    int low, high;
    if (!read_code(item.substr(0, dash), &low) ||
        !read_code(dash == std::string_view::npos ? item.substr(0, dash)
                                                  : item.substr(dash + 1),
                   &high)) {
      *why = "'" + std::string(item) + "' is not a status 0-255 or a range A-B";
      return std::nullopt;
    }
    if (low > high) {
      *why = "the range '" + std::string(item) + "' is empty";
      return std::nullopt;
    }
    for (int c = low; c <= high; ++c)
      set.add(c);
    if (comma == std::string_view::npos)
      return set;
    text.remove_prefix(comma + 1);
  }
}

CodeSet CodeSet::of(std::initializer_list<int> codes) {
  CodeSet set;
  for (int c : codes)
    set.add(c);
  return set;
}

std::string CodeSet::list() const {
  std::string out;
  for (int c = 0; c < 256; ++c)
    if (has(c)) {
      if (!out.empty())
        out += ',';
      out += std::to_string(c);
    }
  return out;
}

void ExitRule::keep_unrunnable_fatal() {
  for (int c : {126, 127})
    if (mode == Mode::GiveupOn && !success.has(c))
      codes.add(c);
}

bool ExitRule::library_can_express() const noexcept {
  return success == CodeSet::of({0}) && !codes.has(0) && !codes.empty();
}

std::string ExitRule::spec() const {
  return (mode == Mode::RetryOn ? "retry-on=" : "giveup-on=") + codes.list();
}

backoff_verdict ExitRule::verdict(int status) const noexcept {
  if (success.has(status))
    return BACKOFF_VERDICT_SUCCESS;
  const bool listed = codes.has(status);
  return (mode == Mode::RetryOn) == listed ? BACKOFF_VERDICT_RETRY
                                           : BACKOFF_VERDICT_GIVE_UP;
}

} // namespace cli
