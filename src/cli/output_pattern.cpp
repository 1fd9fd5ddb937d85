#include "output_pattern.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include "spool.hpp"

namespace cli {

OutputPattern::~OutputPattern() {
  if (compiled_)
    regfree(&regex_);
}

bool OutputPattern::compile(const std::string &expression, std::string *why) {
  const int error = regcomp(&regex_, expression.c_str(),
                            REG_EXTENDED | REG_NOSUB | REG_NEWLINE);
  if (error != 0) {
    char message[256];
    regerror(error, &regex_, message, sizeof message);
    *why = message;
    return false;
  }
  compiled_ = true;
  return true;
}

bool OutputPattern::found_in(const Spool &output) const noexcept {
  char block[65536];
  std::size_t kept = 0; // bytes of an unfinished line carried over
  off_t at = 0;
  for (;;) {
    const ssize_t n = pread(output.fd(), block + kept, sizeof block - kept, at);
    if (n < 0 && errno == EINTR)
      continue;
    const bool at_end = n <= 0;
    if (!at_end)
      at += n;
    const std::size_t filled = kept + (at_end ? 0 : static_cast<std::size_t>(n));
    // Match up to the last complete line; at the end, or when one line
    // fills the block, everything there is.
    const char *last_newline =
        static_cast<const char *>(memrchr(block, '\n', filled));
    if (!at_end && last_newline == nullptr && filled < sizeof block) {
      kept = filled; // a short read inside a line: read on
      continue;
    }
    std::size_t upto = filled;
    if (!at_end && last_newline != nullptr)
      upto = static_cast<std::size_t>(last_newline - block) + 1;
    if (upto > 0) {
      // REG_STARTEND: the bounds come from here, so NUL bytes in the output
      // are ordinary characters.
      regmatch_t bounds;
      bounds.rm_so = 0;
      bounds.rm_eo = static_cast<regoff_t>(upto);
      if (regexec(&regex_, block, 1, &bounds, REG_STARTEND) == 0)
        return true;
    }
    if (at_end)
      return false;
    kept = filled - upto;
    std::memmove(block, block + upto, kept);
  }
}

} // namespace cli
