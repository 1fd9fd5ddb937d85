// The controlling terminal, shared with attempts as a shell shares it with
// jobs. Each attempt runs in a process group of its own (so that a time-out
// or a forwarded signal reaches everything it started); when backoff is in
// the terminal's foreground, that group is made the foreground group while
// the attempt runs, so an interactive command can read the terminal, and
// backoff takes the terminal back when the attempt ends or stops.
#pragma once

#include <sys/types.h>
#include <termios.h>

namespace cli {

class Terminal {
public:
  Terminal() = default;
  Terminal(const Terminal &) = delete;
  Terminal &operator=(const Terminal &) = delete;
  ~Terminal();

  // Opens /dev/tty; without a controlling terminal nothing here does
  // anything.
  void open() noexcept;

  // True when backoff's process group is the terminal's foreground group.
  bool backoff_in_foreground() const noexcept;

  // The descriptor an attempt makes its group the foreground with, as it
  // starts (posix_spawn's tcsetpgrp action); -1 when it must not: no
  // terminal, or backoff is not in the foreground itself.
  int handover_fd() noexcept;
  // The attempt in group pgid was started with handover_fd().
  void handed_to(pid_t pgid) noexcept;
  // Makes pgid the foreground again (an attempt continued after a stop).
  void hand_to(pid_t pgid) noexcept;
  // Makes backoff's group the foreground again if an attempt has the
  // terminal. With restore_modes, also the terminal settings backoff had
  // (after an attempt was killed or stopped, as shells do); the attempt's
  // own settings are kept to give back when it continues.
  void take_back(bool restore_modes) noexcept;
  bool attempt_has_it() const noexcept { return holder_ != 0; }

private:
  int fd_ = -1;
  pid_t holder_ = 0; // the attempt's group while it is the foreground
  termios ours_{};
  bool have_ours_ = false;
  termios attempts_{};
  bool have_attempts_ = false;
};

} // namespace cli
