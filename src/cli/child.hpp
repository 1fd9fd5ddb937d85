// One attempt: the command as a child process in a process group of its
// own, so that a time-out or a forwarded signal reaches everything it
// started. While it runs, backoff waits for it, for its time limits and for
// signals in one place (Signals::wait), and plays the part of a job-control
// shell towards it: the terminal is its while it runs in the foreground,
// and a stop it gets from the terminal stops backoff's own group too, as if
// it were still in it.
#pragma once

#include <sys/types.h>

#include "backoff/backoff.h"
#include "options.hpp"

namespace cli {

class Signals;
class Terminal;

// Where the attempt's standard streams go; -1 keeps backoff's own.
struct Stdio {
  int in = -1, out = -1, err = -1;
};

class Child {
public:
  Child(const Options &options, Signals &signals, Terminal &terminal,
        backoff_cancel *cancel) noexcept
      : argv_(options.command), label_(options.label.c_str()),
        timeout_(options.attempt_timeout), kill_after_(options.kill_after),
        verbosity_(options.verbosity), signals_(signals), terminal_(terminal),
        cancel_(cancel) {}
  Child(const Child &) = delete;
  Child &operator=(const Child &) = delete;

  // Runs the command once and waits for it; it is stopped like a timed-out
  // attempt once `time_left` seconds have passed (the run's --max-time;
  // +inf: none). Returns its status as a shell reports it: the exit code,
  // 128+N when killed by signal N, 124 when it was stopped for time, 127/126
  // when it cannot be found/run. Never throws.
  int run(char **envp, const Stdio &stdio, double time_left) noexcept;

private:
  // True: it was stopped for time.
  bool wait_within_limits(pid_t pid, double time_left) noexcept;
  void stop_received(pid_t pid, int signo) noexcept;
  void resume(pid_t pid) noexcept;
  void interrupted_at_terminal(int status) noexcept;
  void stop_retries(int signo) noexcept;
  void report_status(int status) const noexcept;

  char **argv_;
  const char *label_;
  double timeout_, kill_after_;
  Verbosity verbosity_;
  Signals &signals_;
  Terminal &terminal_;
  backoff_cancel *cancel_;
  int stopped_on_ = 0; // the terminal stop the attempt is waiting out
};

} // namespace cli
