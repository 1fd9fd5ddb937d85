// Unnamed temporary files: stdin read once and given to every attempt
// (--replay-stdin), an attempt's output held until it has ended
// (--hold-output). The data lives in a file in $TMPDIR (default /tmp),
// unlinked as soon as it is created, so memory stays bounded whatever the
// size and nothing is left behind however backoff ends.
#pragma once

#include <string>

namespace cli {

class Spool {
public:
  Spool() = default;
  Spool(const Spool &) = delete;
  Spool &operator=(const Spool &) = delete;
  ~Spool();

  // Creates the file (empty); false with *why set when it cannot.
  bool create(std::string *why);
  bool ready() const noexcept { return fd_ >= 0; }
  // The descriptor attempts write to (shared offset, starting at 0).
  int fd() const noexcept { return fd_; }

  // Empties it for the next attempt.
  bool clear() noexcept;
  // Copies everything that reached `from` until its end; false with errno
  // set on a read error.
  bool fill_from(int from) noexcept;
  // A descriptor that reads the whole content from the start, with an
  // offset of its own (so a process left over from an earlier attempt
  // cannot move it); -1 on error. The caller closes it.
  int open_for_reading() const noexcept;
  // Writes the whole content to `to`; false with errno set on error.
  bool copy_to(int to) const noexcept;

private:
  int fd_ = -1;
};

} // namespace cli
