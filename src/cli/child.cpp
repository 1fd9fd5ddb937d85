#include "child.hpp"

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <ctime>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.hpp"
#include "exit_status.hpp"
#include "report.hpp"
#include "signals.hpp"
#include "terminal.hpp"

namespace cli {

namespace {

enum class State { Running, Stopped, Ended };

// Where pid is, without reaping it: an ended attempt is left a zombie, so
// that its pid (and so its process group id) cannot be reused while a signal
// may still be sent to it. A stop is consumed here (*stop_signal says by
// which signal), so that it is reported once.
State state_of(pid_t pid, int *stop_signal) noexcept {
  for (;;) {
    siginfo_t info;
    info.si_pid = 0;
    if (waitid(P_PID, static_cast<id_t>(pid), &info,
               WEXITED | WSTOPPED | WNOHANG | WNOWAIT) != 0) {
      if (errno == EINTR)
        continue;
      return State::Ended; // not our child any more: nothing to wait for
    }
    if (info.si_pid != pid)
      return State::Running;
    if (info.si_code != CLD_STOPPED)
      return State::Ended;
    *stop_signal = info.si_status;
    waitid(P_PID, static_cast<id_t>(pid), &info, WSTOPPED | WNOHANG);
    return State::Stopped;
  }
}

const char *signal_name(int signo) noexcept {
  switch (signo) {
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  case SIGHUP:
    return "SIGHUP";
  default:
    return "SIGQUIT";
  }
}

bool stopped_by_terminal(int signo) noexcept {
  return signo == SIGTSTP || signo == SIGTTIN || signo == SIGTTOU;
}

} // namespace

int Child::run(char **envp, const Stdio &stdio, double time_left) noexcept {
  // A signal that came since the last wait stops us before the attempt.
  for (int signo; (signo = signals_.wait(0.0)) != 0;)
    if (signals_.stops_retries(signo)) {
      stop_retries(signo);
      return kSignalBase + signo;
    }

  // The run's time limit is reached (its last wait was shortened to end
  // there): the attempt is stopped for time before it starts.
  if (time_left <= 0.0) {
    if (verbosity_ != kQuiet)
      report(BACKOFF_LOG_WARNING,
             "%s not started: the --max-time limit is reached", label_);
    return kTimedOut;
  }

  posix_spawnattr_t attr;
  posix_spawn_file_actions_t actions;
  if (posix_spawnattr_init(&attr) != 0) {
    report(BACKOFF_LOG_ERROR, "cannot run '%s': out of memory", argv_[0]);
    return kCannotExecute;
  }
  if (posix_spawn_file_actions_init(&actions) != 0) {
    posix_spawnattr_destroy(&attr);
    report(BACKOFF_LOG_ERROR, "cannot run '%s': out of memory", argv_[0]);
    return kCannotExecute;
  }
  // A process group of its own; the signal mask backoff was given, and the
  // default action for what backoff ignores only for itself (SIGPIPE).
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
                                      POSIX_SPAWN_SETSIGMASK |
                                      POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &signals_.child_mask());
  posix_spawnattr_setsigdefault(&attr, &signals_.child_defaults());
  if (stdio.in >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdio.in, STDIN_FILENO);
  if (stdio.out >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdio.out, STDOUT_FILENO);
  if (stdio.err >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdio.err, STDERR_FILENO);
  const int tty = terminal_.handover_fd();
#ifdef BACKOFF_CLI_SPAWN_TCSETPGRP
  // The child takes the terminal itself, before it runs a single
  // instruction of the command, so a first read cannot race the handover.
  if (tty >= 0)
    posix_spawn_file_actions_addtcsetpgrp_np(&actions, tty);
#endif

  pid_t pid = 0;
  const int error = posix_spawnp(&pid, argv_[0], &actions, &attr, argv_, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (error != 0) {
    if (verbosity_ != kQuiet)
      report(BACKOFF_LOG_ERROR, "cannot run '%s': %s", argv_[0],
             std::strerror(error));
    return error == ENOENT ? kNotFound : kCannotExecute;
  }
  if (tty >= 0) {
#ifdef BACKOFF_CLI_SPAWN_TCSETPGRP
    terminal_.handed_to(pid);
#else
    terminal_.hand_to(pid); // from here: an early read may stop it once
#endif
  }

  const bool timed_out = wait_within_limits(pid, time_left);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  const bool had_terminal = terminal_.attempt_has_it();
  terminal_.take_back(WIFSIGNALED(status));
  report_status(status);
  if (had_terminal && !timed_out)
    interrupted_at_terminal(status);
  if (timed_out)
    return kTimedOut;
  if (WIFSIGNALED(status))
    return kSignalBase + WTERMSIG(status);
  return WEXITSTATUS(status);
}

bool Child::wait_within_limits(pid_t pid, double time_left) noexcept {
  const double start = monotonic_now();
  const bool run_limit_first = !(timeout_ > 0.0 && timeout_ <= time_left);
  double term_at = start + (run_limit_first ? time_left : timeout_);
  double kill_at = HUGE_VAL;
  bool timed_out = false;
  stopped_on_ = 0;
  for (;;) {
    int stop_signal = 0;
    const State state = state_of(pid, &stop_signal);
    if (state == State::Ended)
      return timed_out;
    if (state == State::Stopped && stopped_by_terminal(stop_signal)) {
      stop_received(pid, stop_signal);
      continue;
    }
    const double now = monotonic_now();
    if (now >= term_at) {
      timed_out = true;
      term_at = HUGE_VAL;
      kill_at = now + kill_after_;
      kill(-pid, SIGTERM);
      kill(-pid, SIGCONT); // a stopped process cannot act on SIGTERM
      stopped_on_ = 0;
      if (verbosity_ != kQuiet) {
        if (run_limit_first)
          report(BACKOFF_LOG_WARNING,
                 "%s still running at the --max-time limit: sent SIGTERM",
                 label_);
        else
          report(BACKOFF_LOG_WARNING, "%s timed out after %gs: sent SIGTERM",
                 label_, timeout_);
      }
      continue;
    }
    if (now >= kill_at) {
      kill_at = HUGE_VAL;
      kill(-pid, SIGKILL);
      if (verbosity_ != kQuiet)
        report(BACKOFF_LOG_WARNING,
               "%s still running %gs after SIGTERM: sent SIGKILL", label_,
               kill_after_);
      continue;
    }
    const double next = std::fmin(term_at, kill_at);
    const int signo = signals_.wait(std::isinf(next) ? -1.0 : next - now);
    if (signals_.stops_retries(signo)) {
      kill(-pid, signo);
      kill(-pid, SIGCONT); // a stopped attempt must be able to act on it
      stopped_on_ = 0;
      stop_retries(signo);
      if (verbosity_ != kQuiet)
        report(BACKOFF_LOG_WARNING,
               "got %s: passed it on to %s; no more retries",
               signal_name(signo), label_);
    } else if (signo == SIGCONT) {
      resume(pid); // backoff itself was continued
    }
  }
}

void Child::stop_received(pid_t pid, int signo) noexcept {
  // The terminal stopped the attempt (^Z, or it read the terminal from the
  // background): stop backoff's own group as the terminal would have had
  // the attempt been in it, so the shell sees its job stopped. An orphaned
  // group is not stopped by these signals: then this returns at once.
  stopped_on_ = signo;
  terminal_.take_back(true);
  kill(0, signo);
  resume(pid);
}

void Child::resume(pid_t pid) noexcept {
  if (stopped_on_ == 0)
    return;
  if (terminal_.backoff_in_foreground())
    terminal_.hand_to(pid);
  else if (stopped_on_ != SIGTSTP)
    return; // it needs the terminal, which backoff does not have yet
  stopped_on_ = 0;
  kill(-pid, SIGCONT);
}

void Child::interrupted_at_terminal(int status) noexcept {
  // ^C or ^\ at the terminal reached only the attempt's group, which had
  // the terminal: pass it on to backoff's group, where it would have gone
  // had the attempt been in it (a script running backoff stops too).
  if (!WIFSIGNALED(status))
    return;
  const int signo = WTERMSIG(status);
  if (signo != SIGINT && signo != SIGQUIT)
    return;
  if (verbosity_ != kQuiet)
    report(BACKOFF_LOG_WARNING, "%s got %s from the terminal; no more retries",
           label_, signal_name(signo));
  if (signals_.stops_retries(signo))
    stop_retries(signo);
  kill(0, signo);
}

void Child::stop_retries(int signo) noexcept {
  signals_.note_received(signo);
  backoff_cancel_trigger(cancel_); // the run ends before any other attempt
}

void Child::report_status(int status) const noexcept {
  if (verbosity_ != kVerbose)
    return;
  if (WIFSIGNALED(status))
    report(BACKOFF_LOG_INFO, "%s was killed by signal %d (%s)", label_,
           WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    report(BACKOFF_LOG_INFO, "%s exited with status %d", label_,
           WEXITSTATUS(status));
}

} // namespace cli
