// One attempt: the command as a child process in its own process group, so
// that a time-out or a forwarded signal reaches everything it started.
// Shared between the retry loop, which runs attempts, and the signal
// watcher, which forwards signals to the running one.
#pragma once

#include <pthread.h>
#include <sys/types.h>

#include "options.hpp"

namespace cli {

class Child {
public:
  Child(char **argv, const char *name, const Options &options) noexcept
      : argv_(argv), name_(name), timeout_(options.attempt_timeout),
        kill_after_(options.kill_after), verbosity_(options.verbosity) {}
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;

  // Runs the command once and waits for it. Returns its status as a shell
  // reports it: the exit code, 128+N when killed by signal N, 124 when it
  // timed out, 127/126 when it cannot be found/run. Never throws.
  int run() noexcept;

  // From the signal watcher: passes signo on to the running attempt's
  // process group; no attempt starts after this.
  void forward(int signo) noexcept;

private:
  bool wait_within_limits(pid_t pid) noexcept; // true: it timed out
  void report_status(int status) const noexcept;

  char **argv_;
  const char *name_;
  double timeout_, kill_after_;
  Verbosity verbosity_;

  pthread_mutex_t mutex_ = PTHREAD_MUTEX_INITIALIZER; // guards the two below
  pid_t running_ = 0; // the attempt's pid (= its process group), 0 if none
  int stop_signal_ = 0;
};

} // namespace cli
