// What "the attempt's output matches REGEX" means for --retry-if-output and
// --until-output: a POSIX extended regular expression matched line by line,
// as grep -E does (^ and $ anchor at line ends, . does not cross a line),
// over what the attempt wrote to stdout and stderr. Output is read from the
// spool in blocks of whole lines; a line longer than a block (64 KiB) is
// matched in pieces of that size.
#pragma once

#include <regex.h>
#include <string>

namespace cli {

class Spool;

class OutputPattern {
public:
  OutputPattern() = default;
  OutputPattern(const OutputPattern &) = delete;
  OutputPattern &operator=(const OutputPattern &) = delete;
  ~OutputPattern();

  // False with *why set when the expression is malformed.
  bool compile(const std::string &expression, std::string *why);
  bool empty() const noexcept { return !compiled_; }
  // True when some line of the spool's content matches.
  bool found_in(const Spool &output) const noexcept;

private:
  regex_t regex_{};
  bool compiled_ = false;
};

} // namespace cli
