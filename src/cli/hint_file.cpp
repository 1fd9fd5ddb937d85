#include "hint_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <strings.h>
#include <unistd.h>

#include "backoff/backoff.h"

namespace cli {

namespace {

// Headers from one transfer are small; anything past this is not a header
// dump and is not read.
constexpr std::size_t kMaxHintFile = 1 << 20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::strchr(" \t\r\n", s.front()) != nullptr)
    s.remove_prefix(1);
  while (!s.empty() && std::strchr(" \t\r\n", s.back()) != nullptr)
    s.remove_suffix(1);
  return s;
}

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() &&
         strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
}

} // namespace

bool HintFile::clear(std::string *why) const {
  // O_NONBLOCK: a FIFO named by mistake must not hang the run.
  const int fd =
      open(path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NONBLOCK);
  if (fd >= 0) {
    close(fd);
    return true;
  }
  if (errno == ENOENT)
    return true;
  *why = "cannot empty " + path_ + ": " + std::strerror(errno);
  return false;
}

std::string_view HintFile::retry_after_in(std::string_view text) {
  if (!starts_with_nocase(text, "HTTP/"))
    return trim(text); // a bare value
  // Headers: the last response starts at the last status line.
  std::string_view value;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    if (starts_with_nocase(line, "HTTP/"))
      value = {};
    else if (starts_with_nocase(line, "retry-after:"))
      value = trim(line.substr(std::strlen("retry-after:")));
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return value;
}

double HintFile::read(double now, std::string *why) const {
  const int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return -1.0; // the attempt wrote none
  std::string text;
  char buffer[8192];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0 || text.size() + static_cast<std::size_t>(n) > kMaxHintFile)
      break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  const std::string value(retry_after_in(text));
  if (value.empty())
    return -1.0;
  double seconds = -1.0;
  if (backoff_parse_retry_after(value.c_str(), now, &seconds) != BACKOFF_OK) {
    *why = path_ + ": '" + value + "' is not a Retry-After value";
    return -1.0;
  }
  return seconds;
}

} // namespace cli
