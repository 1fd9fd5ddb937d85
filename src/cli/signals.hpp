// The signals backoff acts on, taken synchronously with sigtimedwait by the
// one thread there is (no handler, no watcher thread): SIGINT, SIGTERM and
// SIGHUP are passed on to the running attempt and end the retries; SIGCHLD
// says an attempt ended or stopped; SIGCONT says backoff itself was
// continued after a job-control stop. SIGPIPE is ignored, so that a closed
// stderr cannot kill backoff in the middle of a kill sequence.
#pragma once

#include <csignal>

namespace cli {

class Signals {
public:
  // Call once, first thing: records what was inherited (the signal mask,
  // which signals were ignored) and blocks the signals it waits for.
  void take_over() noexcept;

  // Waits until one of the signals arrives or `seconds` pass (negative: no
  // limit). Returns the signal, or 0 when the time is up.
  int wait(double seconds) noexcept;

  // True for SIGINT, SIGTERM, SIGHUP (when not ignored at start).
  bool stops_retries(int signo) const noexcept {
    return signo != 0 && sigismember(&stopping_, signo) == 1;
  }
  // The first stopping signal received, 0 if none.
  int received() const noexcept { return received_; }
  void note_received(int signo) noexcept {
    if (received_ == 0)
      received_ = signo;
  }

  // What an attempt starts with: the mask backoff was given, and default
  // actions for the signals backoff ignores only for itself.
  const sigset_t &child_mask() const noexcept { return inherited_mask_; }
  const sigset_t &child_defaults() const noexcept { return child_defaults_; }

private:
  sigset_t inherited_mask_{};
  sigset_t stopping_{};      // SIGINT, SIGTERM, SIGHUP unless ignored
  sigset_t waited_{};        // stopping_ + SIGCHLD + SIGCONT
  sigset_t child_defaults_{};
  int received_ = 0;
};

} // namespace cli
