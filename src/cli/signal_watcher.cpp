#include "signal_watcher.hpp"

#include <csignal>

#include "report.hpp"

namespace cli {

namespace {

sigset_t watched() noexcept {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

const char *signal_name(int signo) noexcept {
  switch (signo) {
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  default:
    return "SIGHUP";
  }
}

} // namespace

bool SignalWatcher::start(Child *child, backoff_cancel *cancel,
                          const char *name, Verbosity verbosity) noexcept {
  child_ = child;
  cancel_ = cancel;
  name_ = name;
  verbosity_ = verbosity;
  sigemptyset(&ignored_);
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction current;
    if (sigaction(signo, nullptr, &current) == 0 &&
        current.sa_handler == SIG_IGN)
      sigaddset(&ignored_, signo);
  }
  sigset_t set = watched();
  sigaddset(&set, SIGCHLD);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return pthread_create(&thread_, nullptr, watch, this) == 0;
}

void SignalWatcher::stop() noexcept {
  stopping_.store(true);
  // Wakes its sigwait, which then sees stopping_. Linux queues a blocked
  // signal even when its action is "ignore", so this works under nohup too.
  pthread_kill(thread_, SIGTERM);
  pthread_join(thread_, nullptr);
}

void *SignalWatcher::watch(void *self_ptr) noexcept {
  auto *self = static_cast<SignalWatcher *>(self_ptr);
  const sigset_t set = watched();
  for (;;) {
    int signo = 0;
    if (sigwait(&set, &signo) != 0)
      continue;
    if (self->stopping_.load())
      return nullptr;
    if (sigismember(&self->ignored_, signo))
      continue;
    int none = 0;
    self->received_.compare_exchange_strong(none, signo);
    self->child_->forward(signo);
    backoff_cancel_trigger(self->cancel_); // wakes a sleep between attempts
    if (self->verbosity_ != kQuiet)
      report(BACKOFF_LOG_WARNING, "got %s: passed it on to %s; no more retries",
             signal_name(signo), self->name_);
  }
}

} // namespace cli
