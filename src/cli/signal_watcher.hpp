// SIGINT, SIGTERM and SIGHUP while the command runs: passed on to the
// running attempt, and no further attempt. A signal handler may not call
// backoff_cancel_trigger (it is not async-signal-safe), so the signals are
// blocked and a dedicated thread takes them with sigwait. Signals ignored
// when we started (nohup) stay ignored, by us and by the command.
#pragma once

#include <atomic>
#include <csignal>
#include <pthread.h>

#include "backoff/backoff.h"
#include "child.hpp"

namespace cli {

class SignalWatcher {
public:
  // Blocks the watched signals and SIGCHLD (which Child waits for) in the
  // calling thread, and starts the watching thread, which inherits that
  // mask. Call it before any other thread exists and before the first
  // attempt. False if the thread cannot be created.
  bool start(Child *child, backoff_cancel *cancel, const char *name,
             Verbosity verbosity) noexcept;
  // Stops and joins it.
  void stop() noexcept;

  // The first signal received, 0 if none.
  int received() const noexcept { return received_.load(); }

private:
  static void *watch(void *self) noexcept;

  Child *child_ = nullptr;
  backoff_cancel *cancel_ = nullptr;
  const char *name_ = "";
  Verbosity verbosity_ = kNormal;
  pthread_t thread_{};
  sigset_t ignored_{}; // ignored when we started: not ours to act on
  std::atomic<int> received_{0};
  std::atomic<bool> stopping_{false};
};

} // namespace cli
