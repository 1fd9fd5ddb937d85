#include "child.hpp"

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <ctime>
#include <spawn.h>
#include <sys/wait.h>

#include "exit_status.hpp"
#include "report.hpp"

extern char **environ;

namespace cli {

namespace {

double monotonic_now() noexcept {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// True once pid has ended; it is left unreaped, so that its pid (and so its
// process group id) cannot be reused while a signal may still be sent to it.
bool has_ended(pid_t pid) noexcept {
  for (;;) {
    siginfo_t info;
    info.si_pid = 0;
    if (waitid(P_PID, static_cast<id_t>(pid), &info,
               WEXITED | WNOHANG | WNOWAIT) == 0)
      return info.si_pid == pid;
    if (errno != EINTR)
      return true; // not our child any more: nothing to wait for
  }
}

// Sleeps until a child changes state (SIGCHLD, blocked in every thread, is
// taken here) or `seconds` pass; a negative value means no limit.
void wait_for_child(double seconds) noexcept {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  if (seconds < 0.0) {
    sigwaitinfo(&chld, nullptr);
    return;
  }
  // The caller loops, so a long wait can be taken in slices that fit.
  seconds = std::fmin(seconds, 86400.0);
  timespec ts;
  ts.tv_sec = static_cast<time_t>(seconds);
  ts.tv_nsec = static_cast<long>((seconds - static_cast<double>(ts.tv_sec)) * 1e9);
  sigtimedwait(&chld, nullptr, &ts); // EAGAIN / EINTR: the caller looks again
}

} // namespace

int Child::run() noexcept {
  posix_spawnattr_t attr;
  if (posix_spawnattr_init(&attr) != 0) {
    report(BACKOFF_LOG_ERROR, "cannot run '%s': out of memory", argv_[0]);
    return kCannotExecute;
  }
  // A process group of its own; no signal blocked (we block several).
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setsigmask(&attr, &none);

  // Spawning under the lock: a signal arriving now is forwarded to the
  // child once it exists, or stops us before it does.
  pthread_mutex_lock(&mutex_);
  const int stop = stop_signal_;
  pid_t pid = 0;
  const int error =
      stop != 0 ? 0 : posix_spawnp(&pid, argv_[0], nullptr, &attr, argv_, environ);
  if (stop == 0 && error == 0)
    running_ = pid;
  pthread_mutex_unlock(&mutex_);
  posix_spawnattr_destroy(&attr);

  if (stop != 0)
    return kSignalBase + stop;
  if (error != 0) {
    if (verbosity_ != kQuiet)
      report(BACKOFF_LOG_ERROR, "cannot run '%s': %s", argv_[0],
             std::strerror(error));
    return error == ENOENT ? kNotFound : kCannotExecute;
  }

  const bool timed_out = wait_within_limits(pid);
  pthread_mutex_lock(&mutex_);
  running_ = 0;
  pthread_mutex_unlock(&mutex_);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  report_status(status);
  if (timed_out)
    return kTimedOut;
  if (WIFSIGNALED(status))
    return kSignalBase + WTERMSIG(status);
  return WEXITSTATUS(status);
}

bool Child::wait_within_limits(pid_t pid) noexcept {
  const double start = monotonic_now();
  double term_at = timeout_ > 0.0 ? start + timeout_ : HUGE_VAL;
  double kill_at = HUGE_VAL;
  bool timed_out = false;
  while (!has_ended(pid)) {
    const double now = monotonic_now();
    if (now >= term_at) {
      timed_out = true;
      term_at = HUGE_VAL;
      kill_at = now + kill_after_;
      kill(-pid, SIGTERM);
      kill(-pid, SIGCONT); // a stopped process cannot act on SIGTERM
      if (verbosity_ != kQuiet)
        report(BACKOFF_LOG_WARNING, "%s timed out after %gs: sent SIGTERM",
               name_, timeout_);
      continue;
    }
    if (now >= kill_at) {
      kill_at = HUGE_VAL;
      kill(-pid, SIGKILL);
      if (verbosity_ != kQuiet)
        report(BACKOFF_LOG_WARNING,
               "%s still running %gs after SIGTERM: sent SIGKILL", name_,
               kill_after_);
      continue;
    }
    const double next = std::fmin(term_at, kill_at);
    wait_for_child(std::isinf(next) ? -1.0 : next - now);
  }
  return timed_out;
}

void Child::report_status(int status) const noexcept {
  if (verbosity_ != kVerbose)
    return;
  if (WIFSIGNALED(status))
    report(BACKOFF_LOG_INFO, "%s was killed by signal %d (%s)", name_,
           WTERMSIG(status), strsignal(WTERMSIG(status)));
  else
    report(BACKOFF_LOG_INFO, "%s exited with status %d", name_,
           WEXITSTATUS(status));
}

void Child::forward(int signo) noexcept {
  pthread_mutex_lock(&mutex_);
  if (stop_signal_ == 0)
    stop_signal_ = signo;
  if (running_ != 0)
    kill(-running_, signo);
  pthread_mutex_unlock(&mutex_);
}

} // namespace cli
