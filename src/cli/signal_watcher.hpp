// SIGINT, SIGTERM and SIGHUP while the command runs: passed on to the
// running attempt, and no further attempt. A signal handler may not call
// backoff_cancel_trigger (it is not async-signal-safe), so the signals are
// blocked and a dedicated thread takes them with sigwait.
#pragma once

#include <atomic>
#include <pthread.h>

#include "backoff/backoff.h"
#include "child.hpp"

namespace cli {

class SignalWatcher {
public:
  // Blocks the watched signals and SIGCHLD (which Child waits for) in the
  // calling thread; threads started later inherit that. Call it before any
  // other thread exists.
  static void block_signals() noexcept;

  // Starts the watching thread. False if it cannot be created.
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
  std::atomic<int> received_{0};
  std::atomic<bool> stopping_{false};
};

} // namespace cli
