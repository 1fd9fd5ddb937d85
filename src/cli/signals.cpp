#include "signals.hpp"

#include <cmath>
#include <ctime>
#include <initializer_list>

namespace cli {

void Signals::take_over() noexcept {
  sigemptyset(&stopping_);
  sigemptyset(&child_defaults_);
  // Signals ignored when we started (nohup, a background job of a script)
  // stay ignored, by us and by the command.
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current;
    if (sigaction(signo, nullptr, &current) == 0 &&
        current.sa_handler != SIG_IGN)
      sigaddset(&stopping_, signo);
  }
  struct sigaction pipe;
  if (sigaction(SIGPIPE, nullptr, &pipe) == 0 && pipe.sa_handler != SIG_IGN) {
    sigaddset(&child_defaults_, SIGPIPE); // ours only: the command keeps it
    std::signal(SIGPIPE, SIG_IGN);
  }
  // An inherited "ignore SIGCHLD" would reap our children behind our back.
  std::signal(SIGCHLD, SIG_DFL);

  waited_ = stopping_;
  sigaddset(&waited_, SIGCHLD);
  sigaddset(&waited_, SIGCONT);
  sigset_t blocked = waited_;
  // Taking the terminal back from an attempt's process group is done from
  // the background, which SIGTTOU would stop.
  sigaddset(&blocked, SIGTTOU);
  sigprocmask(SIG_BLOCK, &blocked, &inherited_mask_);
}

int Signals::wait(double seconds) noexcept {
  int signo;
  if (seconds < 0.0) {
    signo = sigwaitinfo(&waited_, nullptr);
  } else {
    // The caller loops, so a long wait can be taken in slices that fit.
    const double slice = std::fmin(seconds, 86400.0);
    timespec ts;
    ts.tv_sec = static_cast<time_t>(slice);
    ts.tv_nsec =
        static_cast<long>((slice - static_cast<double>(ts.tv_sec)) * 1e9);
    signo = sigtimedwait(&waited_, nullptr, &ts);
  }
  // 0: the time is up (EAGAIN), or a signal outside the set came (a stop
  // and continue: EINTR); callers loop and measure the time themselves.
  return signo > 0 ? signo : 0;
}

} // namespace cli
