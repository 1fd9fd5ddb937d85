// --hint-file PATH: how an attempt tells backoff what the server said. The
// file is emptied before each attempt; after a failure it holds either a
// bare Retry-After value ("120", or an HTTP-date) or HTTP response headers
// as `curl -D PATH` writes them, where the last response's Retry-After
// header counts (earlier ones belong to redirects and 1xx responses). The
// value is read with the library's backoff_parse_retry_after; what to do
// with it is the library's hint rule.
#pragma once

#include <string>
#include <string_view>

namespace cli {

class HintFile {
public:
  explicit HintFile(std::string path) : path_(std::move(path)) {}

  // Empties the file if it exists (a missing file is no hint). False with
  // *why set when it exists but cannot be emptied.
  bool clear(std::string *why) const;
  // The hint in seconds; negative when the file is missing, empty or holds
  // no Retry-After. A value that cannot be read as one is reported in *why
  // (and is no hint).
  double read(double now, std::string *why) const;

  // The Retry-After value in the file's text, or empty when there is none.
  static std::string_view retry_after_in(std::string_view text);

  const std::string &path() const noexcept { return path_; }

private:
  std::string path_;
};

} // namespace cli
