// backoff: runs a command, and runs it again after a growing wait while it
// fails. A client of the public C API only: every retry decision (which
// statuses are retried, limits, waits, jitter) is libbackoff's; this file
// wires options, the child process and signals to backoff_run_ex.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "backoff/backoff.h"
#include "child.hpp"
#include "exit_status.hpp"
#include "options.hpp"
#include "policy.hpp"
#include "report.hpp"
#include "signal_watcher.hpp"

namespace {

using PolicyPtr = std::unique_ptr<backoff_policy, void (*)(backoff_policy *)>;
using CancelPtr = std::unique_ptr<backoff_cancel, void (*)(backoff_cancel *)>;

int attempt(void *child) { return static_cast<cli::Child *>(child)->run(); }

void on_try(const backoff_details *d, void *) {
  cli::report(BACKOFF_LOG_INFO, "Trying %s (attempt %u)", d->label, d->tries);
}

void on_success(const backoff_details *d, void *) {
  cli::report(BACKOFF_LOG_INFO, "%s succeeded after %u tr%s", d->label,
              d->tries, d->tries == 1 ? "y" : "ies");
}

const char *base_name(const char *path) {
  const char *slash = std::strrchr(path, '/');
  return slash != nullptr && slash[1] != '\0' ? slash + 1 : path;
}

int print_policy(const backoff_policy *p) {
  std::size_t needed = 0;
  if (backoff_policy_format(p, nullptr, 0, &needed) != BACKOFF_OK)
    return cli::kInternal;
  std::string text(needed + 1, '\0');
  backoff_policy_format(p, text.data(), text.size(), nullptr);
  std::printf("%s\n", text.c_str());
  return 0;
}

int exit_status(backoff_status status, const backoff_details &d,
                const cli::SignalWatcher &watcher) {
  switch (status) {
  case BACKOFF_OK:
    return 0;
  case BACKOFF_CANCELLED:
    return cli::kSignalBase + watcher.received();
  default:
    if (status < 0) {
      cli::report(BACKOFF_LOG_ERROR, "%s", backoff_strerror(status));
      return cli::kInternal;
    }
    return d.last_rc; // gave up: the last attempt's own status
  }
}

int run(int argc, char **argv) {
  cli::Options options;
  if (auto stop = cli::parse_options(argc, argv, &options))
    return *stop;
  int stop = 0;
  PolicyPtr policy(cli::build_policy(options, &stop), backoff_policy_free);
  if (!policy)
    return stop;
  if (options.print_policy)
    return print_policy(policy.get());

  const char *name = base_name(options.command[0]);
  if (options.verbosity != cli::kQuiet)
    backoff_policy_log(policy.get(), backoff_log_stderr, nullptr, nullptr);
  if (options.verbosity == cli::kVerbose) {
    backoff_policy_on_try(policy.get(), on_try, nullptr, nullptr);
    backoff_policy_on_success(policy.get(), on_success, nullptr, nullptr);
  }

  backoff_cancel *raw_cancel = nullptr;
  if (backoff_cancel_new(&raw_cancel) != BACKOFF_OK) {
    cli::report(BACKOFF_LOG_ERROR, "out of memory");
    return cli::kInternal;
  }
  CancelPtr cancel(raw_cancel, backoff_cancel_free);

  // An inherited "ignore SIGCHLD" would reap our children behind our back.
  std::signal(SIGCHLD, SIG_DFL);
  cli::Child child(options.command, name, options);
  cli::SignalWatcher watcher;
  if (!watcher.start(&child, cancel.get(), name, options.verbosity)) {
    cli::report(BACKOFF_LOG_ERROR, "cannot start the signal watcher");
    return cli::kInternal;
  }

  backoff_run_options run_options = BACKOFF_RUN_OPTIONS_INIT;
  run_options.cancel = cancel.get();
  run_options.label = name;
  backoff_details details = BACKOFF_DETAILS_INIT;
  const backoff_status status =
      backoff_run_ex(policy.get(), attempt, &child, &run_options, &details);
  watcher.stop();
  return exit_status(status, details, watcher);
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (...) { // bad_alloc while reading options: nothing was run
    std::fputs("backoff: out of memory\n", stderr);
    return cli::kInternal;
  }
}
