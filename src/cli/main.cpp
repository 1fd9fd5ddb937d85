// backoff: runs a command, and runs it again after a growing wait while it
// fails. A client of the public C API only: every retry decision (which
// statuses are retried, limits, waits, jitter, server hints) is libbackoff's;
// this file wires the options, the child process, the terminal and signals
// to the library's state machine.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "attempt.hpp"
#include "backoff/backoff.h"
#include "budget_mirror.hpp"
#include "child.hpp"
#include "driver.hpp"
#include "exit_status.hpp"
#include "options.hpp"
#include "policy.hpp"
#include "report.hpp"
#include "schedule.hpp"
#include "signals.hpp"
#include "terminal.hpp"

namespace {

using PolicyPtr = std::unique_ptr<backoff_policy, void (*)(backoff_policy *)>;
using CancelPtr = std::unique_ptr<backoff_cancel, void (*)(backoff_cancel *)>;

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

int print_policy(const backoff_policy *p, const cli::Options &o) {
  std::printf("%s\n", cli::format_policy(p).c_str());
  if (o.success_on || !o.retry_if_output.empty() || !o.until_output.empty())
    cli::report(BACKOFF_LOG_WARNING,
                "--success-on and output patterns are the command's own: "
                "they are not part of the spec above");
  return cli::finish_stdout();
}

int exit_status(backoff_status status, const backoff_details &d,
                const cli::Signals &signals, const cli::Attempt &attempt) {
  if (status < 0) {
    cli::report(BACKOFF_LOG_ERROR, "%s", backoff_strerror(status));
    return cli::kInternal;
  }
  if (status == BACKOFF_CANCELLED)
    return cli::kSignalBase + signals.received();
  if (const int error = attempt.output_error()) {
    cli::report(BACKOFF_LOG_ERROR, "cannot write the output: %s",
                std::strerror(error));
    return error == EPIPE ? cli::kSignalBase + SIGPIPE : cli::kInternal;
  }
  if (status == BACKOFF_OK)
    return 0; // also for a status --success-on named
  // The final attempt's status; one that failed by its output, or by
  // --success-on leaving 0 out, still must not look like a success.
  return d.last_rc != 0 ? d.last_rc : 1;
}

int run(int argc, char **argv, cli::Signals &signals) {
  cli::Options options;
  if (auto stop = cli::parse_options(argc, argv, &options))
    return *stop;
  cli::BuiltPolicy built = cli::build_policy(options);
  PolicyPtr policy(built.policy, backoff_policy_free);
  if (!policy)
    return built.exit;
  if (options.print_policy)
    return print_policy(policy.get(), options);
  if (options.schedule)
    return cli::print_schedule(policy.get(), *options.schedule);

  if (options.label.empty())
    options.label = base_name(options.command[0]);
  backoff_cancel *raw_cancel = nullptr;
  if (backoff_cancel_new(&raw_cancel) != BACKOFF_OK) {
    cli::report(BACKOFF_LOG_ERROR, "out of memory");
    return cli::kInternal;
  }
  CancelPtr cancel(raw_cancel, backoff_cancel_free);
  cli::Terminal terminal;
  terminal.open();
  cli::Child child(options, signals, terminal, cancel.get());
  cli::Attempt attempt(options, built.rule, child);
  std::string why;
  int stop = 0;
  if (!attempt.prepare(&why, &stop)) {
    if (stop == cli::kUsage)
      return cli::usage_error("%s", why.c_str());
    cli::report(BACKOFF_LOG_ERROR, "%s", why.c_str());
    return stop;
  }

  // Hooks in order: the budget file's (which release its lock), the
  // attempt's (held output, so it comes before the lines about it), then
  // the log.
  std::unique_ptr<cli::BudgetMirror> budget;
  if (!options.budget_file.empty()) {
    budget = std::make_unique<cli::BudgetMirror>();
    if (!budget->create(options.budget_file,
                        cli::budget_params(policy.get()), &why)) {
      cli::report(BACKOFF_LOG_ERROR, "--budget-file: %s", why.c_str());
      return cli::kInternal;
    }
    if (!budget->attach(policy.get())) {
      cli::report(BACKOFF_LOG_ERROR, "out of memory");
      return cli::kInternal;
    }
  }
  if (!attempt.attach(policy.get(), built.needs_classifier)) {
    cli::report(BACKOFF_LOG_ERROR, "out of memory");
    return cli::kInternal;
  }
  if (options.verbosity != cli::kQuiet)
    backoff_policy_log(policy.get(), backoff_log_stderr, nullptr, nullptr);
  if (options.verbosity == cli::kVerbose) {
    backoff_policy_on_try(policy.get(), on_try, nullptr, nullptr);
    backoff_policy_on_success(policy.get(), on_success, nullptr, nullptr);
  }

  backoff_details details = BACKOFF_DETAILS_INIT;
  const backoff_status status =
      cli::drive(policy.get(), options.label.c_str(), cancel.get(), attempt,
                 budget.get(), signals, &details);
  return exit_status(status, details, signals, attempt);
}

// Ends backoff by the signal that stopped it, as it would have ended
// without its own handling, so a shell running it sees that the job was
// interrupted (a script stops at ^C) rather than that it exited.
void end_by(int signo) {
  std::signal(signo, SIG_DFL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, signo);
  sigprocmask(SIG_UNBLOCK, &set, nullptr); // a pending one ends us here
  raise(signo);
}

} // namespace

int main(int argc, char **argv) {
  cli::Signals signals;
  signals.take_over();
  int status;
  try {
    status = run(argc, argv, signals);
  } catch (...) { // bad_alloc while reading options: nothing was run
    std::fputs("backoff: out of memory\n", stderr);
    status = cli::kInternal;
  }
  if (signals.received() != 0 &&
      status == cli::kSignalBase + signals.received())
    end_by(signals.received());
  return status;
}
