#include "attempt.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <unistd.h>

#include "exit_status.hpp"
#include "report.hpp"

namespace cli {

namespace {

bool compile_all(const std::vector<std::string> &expressions,
                 std::vector<std::unique_ptr<OutputPattern>> *out,
                 const char *option, std::string *why) {
  for (const std::string &expression : expressions) {
    auto pattern = std::make_unique<OutputPattern>();
    std::string error;
    if (!pattern->compile(expression, &error)) {
      *why = std::string("invalid regular expression '") + expression +
             "' for --" + option + ": " + error;
      return false;
    }
    out->push_back(std::move(pattern));
  }
  return true;
}

} // namespace

bool Attempt::prepare(std::string *why, int *exit) {
  *exit = kUsage;
  if (!compile_all(options_.retry_if_output, &retry_if_, "retry-if-output",
                   why) ||
      !compile_all(options_.until_output, &until_, "until-output", why))
    return false;
  *exit = kInternal;
  if (options_.holds_stdout() && !stdout_.create(why))
    return false;
  if (options_.holds_stderr() && !stderr_.create(why))
    return false;
  if (!options_.hint_file.empty())
    hint_file_ = std::make_unique<HintFile>(options_.hint_file);
  if (options_.replay_stdin) {
    if (!stdin_.create(why))
      return false;
    if (!stdin_.fill_from(STDIN_FILENO)) {
      *why = std::string("cannot read stdin: ") + std::strerror(errno);
      return false;
    }
  }
  return true;
}

bool Attempt::attach(backoff_policy *p, bool classify) {
  bool ok = backoff_policy_on_try(p, on_try, this, nullptr) == BACKOFF_OK;
  if (stdout_.ready())
    ok = ok &&
         backoff_policy_on_backoff(p, on_retry, this, nullptr) == BACKOFF_OK &&
         backoff_policy_on_success(p, on_end, this, nullptr) == BACKOFF_OK &&
         backoff_policy_on_giveup(p, on_end, this, nullptr) == BACKOFF_OK;
  if (hint_file_)
    ok = ok && backoff_policy_hint(p, hint, this, nullptr) == BACKOFF_OK;
  if (classify)
    ok = ok &&
         backoff_policy_classify(p, Attempt::classify, this, nullptr) ==
             BACKOFF_OK;
  return ok;
}

int Attempt::run() noexcept {
  Stdio stdio;
  std::string why;
  if (hint_file_ && !hint_file_->clear(&why)) {
    report(BACKOFF_LOG_ERROR, "--hint-file: %s", why.c_str());
    return kInternal;
  }
  if ((stdout_.ready() && !stdout_.clear()) ||
      (stderr_.ready() && !stderr_.clear())) {
    report(BACKOFF_LOG_ERROR, "cannot empty the held output: %s",
           std::strerror(errno));
    return kInternal;
  }
  stdio.out = stdout_.ready() ? stdout_.fd() : -1;
  stdio.err = stderr_.ready() ? stderr_.fd() : -1;
  if (stdin_.ready()) {
    stdio.in = stdin_.open_for_reading();
    if (stdio.in < 0) {
      report(BACKOFF_LOG_ERROR, "cannot read the replayed stdin: %s",
             std::strerror(errno));
      return kInternal;
    }
  }
  output_pending_ = stdout_.ready();
  int status;
  try {
    char **envp = environment_.for_attempt(number_, elapsed_, remaining_);
    status = child_.run(envp, stdio, remaining_);
  } catch (...) { // bad_alloc building the environment
    report(BACKOFF_LOG_ERROR, "out of memory");
    status = kInternal;
  }
  if (stdio.in >= 0)
    close(stdio.in);
  return status;
}

void Attempt::on_try(const backoff_details *d, void *self) {
  auto *a = static_cast<Attempt *>(self);
  a->number_ = d->tries;
  a->elapsed_ = d->elapsed;
  a->remaining_ = d->remaining;
}

void Attempt::on_retry(const backoff_details *, void *self) {
  static_cast<Attempt *>(self)->deliver(false);
}

void Attempt::on_end(const backoff_details *, void *self) {
  static_cast<Attempt *>(self)->deliver(true);
}

void Attempt::deliver(bool final) noexcept {
  if (!output_pending_)
    return; // a run cancelled before its next attempt: delivered already
  output_pending_ = false;
  // The final attempt's output is the command's output; a retried one's
  // is only a diagnostic.
  if (!stdout_.copy_to(final ? STDOUT_FILENO : STDERR_FILENO) && final)
    output_error_ = errno;
  if (stderr_.ready())
    stderr_.copy_to(STDERR_FILENO);
}

bool Attempt::output_matches(
    const std::vector<std::unique_ptr<OutputPattern>> &any) const noexcept {
  for (const auto &pattern : any)
    if (pattern->found_in(stdout_) || pattern->found_in(stderr_))
      return true;
  return false;
}

int Attempt::classify(const backoff_details *d, void *self) {
  const auto *a = static_cast<const Attempt *>(self);
  const int status = d->last_rc;
  // An explicit give-up (--giveup-on, 126/127) outranks the output.
  if (a->rule_.mode == ExitRule::Mode::GiveupOn && a->rule_.codes.has(status))
    return BACKOFF_VERDICT_GIVE_UP;
  if (a->output_matches(a->retry_if_))
    return BACKOFF_VERDICT_RETRY;
  const backoff_verdict verdict = a->rule_.verdict(status);
  if (verdict == BACKOFF_VERDICT_SUCCESS && !a->until_.empty() &&
      !a->output_matches(a->until_))
    return BACKOFF_VERDICT_RETRY;
  return verdict;
}

} // namespace cli

namespace cli {

double Attempt::hint(const backoff_details *, void *self) {
  // After a retriable failure: what the attempt left in the hint file. The
  // rule for using it (no jitter, the generator not advanced, a hint past
  // the time limit ends the run) is the library's.
  const auto *a = static_cast<const Attempt *>(self);
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  const double now =
      static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  std::string why;
  try {
    const double seconds = a->hint_file_->read(now, &why);
    if (!why.empty())
      report(BACKOFF_LOG_WARNING, "--hint-file %s", why.c_str());
    return seconds;
  } catch (...) { // bad_alloc reading the file: no hint
    return -1.0;
  }
}

} // namespace cli
