// The C boundary. Every extern "C" function of the library is here: it
// validates its arguments, then calls the core inside a guard that turns any
// C++ exception into a status, so nothing ever unwinds into C. Validation
// happens before any change, which is what leaves objects unchanged on error.
#include <cmath>
#include <cstdint>
#include <new>
#include <utility>

#include "backoff/backoff.h"
#include "budget.hpp"
#include "cancel.hpp"
#include "details.hpp"
#include "log.hpp"
#include "policy.hpp"
#include "policy_spec.hpp"
#include "retry_after.hpp"
#include "run.hpp"
#include "state.hpp"

using backoff::Callback;

namespace {

// Inline: a guard costs nothing until something throws.
template <class F>
[[gnu::always_inline]] inline backoff_status guarded(F &&body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return BACKOFF_E_NOMEM;
  } catch (...) {
    return BACKOFF_E_INTERNAL;
  }
}

// Number rules shared by the setters.
bool finite_at_least_zero(double x) { return std::isfinite(x) && x >= 0.0; }
bool finite_positive(double x) { return std::isfinite(x) && x > 0.0; }
// Caps and limits: 0 and +inf both mean "none"; stored as 0.
bool is_limit(double x) { return !std::isnan(x) && x >= 0.0; }
// -0 passes every ">= 0" rule; stored as +0, so that it formats as "0".
double plus_zero(double x) { return x == 0.0 ? 0.0 : x; }
double normalise_limit(double x) { return std::isinf(x) ? 0.0 : plus_zero(x); }

// Options from a caller built with an older header end before `flags`.
bool has_flags(const backoff_run_options *opts) {
  return opts->size >= offsetof(backoff_run_options, flags) + sizeof opts->flags;
}
bool options_ok(const backoff_run_options *opts) {
  if (opts == nullptr)
    return true;
  if (opts->size < offsetof(backoff_run_options, label) + sizeof opts->label)
    return false;
  const unsigned known = BACKOFF_RUN_UNREAD_SUCCESS | BACKOFF_RUN_RC_IS_VERDICT;
  return !has_flags(opts) || (opts->flags & ~known) == 0;
}
backoff_cancel *cancel_of(const backoff_run_options *opts) {
  return opts != nullptr ? opts->cancel : nullptr;
}
const char *label_of(const backoff_run_options *opts) {
  return opts != nullptr ? opts->label : nullptr;
}
// The flags of valid options (0 for none, or from an older header).
unsigned flags_of(const backoff_run_options *opts) {
  return opts != nullptr && has_flags(opts) ? opts->flags : 0u;
}
backoff_state::Timing timing_of(unsigned flags) {
  return (flags & BACKOFF_RUN_UNREAD_SUCCESS) != 0
             ? backoff_state::Timing::UnreadSuccess
             : backoff_state::Timing::Measured;
}
bool verdicts_from_caller(unsigned flags) {
  return (flags & BACKOFF_RUN_RC_IS_VERDICT) != 0;
}
// The flags that change how a started state reads its input.
void apply_input_flags(backoff_state *state, unsigned flags) {
  if (verdicts_from_caller(flags))
    state->take_verdicts_from_caller();
}

backoff_status run_checked(const backoff_policy *p, backoff_attempt_fn fn,
                           void *user_data, const backoff_run_options *opts,
                           backoff_details *details_out) {
  if (p == nullptr || fn == nullptr || !options_ok(opts) ||
      (details_out != nullptr && !backoff::details_size_ok(details_out)))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return backoff::run(*p, fn, user_data, cancel_of(opts), label_of(opts),
                        details_out, verdicts_from_caller(flags_of(opts)));
  });
}

// Caller memory for a state: enough of it, aligned, and valid arguments.
// Inline: it is the drivers' first check of every run.
[[gnu::always_inline]] inline bool state_memory_ok(void *mem, size_t mem_size, const backoff_policy *p,
                     const backoff_run_options *opts, backoff_state **out) {
  return mem != nullptr && out != nullptr && p != nullptr &&
         mem_size >= sizeof(backoff_state) && options_ok(opts) &&
         reinterpret_cast<std::uintptr_t>(mem) % alignof(backoff_state) == 0;
}

backoff_status set_wait(backoff_policy *p, backoff::WaitKind kind, double a,
                        double b, double c) {
  backoff::WaitConfig wait;
  wait.kind = kind;
  wait.a = plus_zero(a);
  wait.b = plus_zero(b);
  wait.c = plus_zero(c);
  p->wait = std::move(wait);
  p->settle();
  return BACKOFF_OK;
}

template <class Fn>
backoff_status add_hook(backoff_policy *p, backoff::HookKind kind, Fn fn,
                        void *data, backoff_destroy_fn destroy) {
  Callback<backoff_hook_fn> hook(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    p->hooks[kind].push_back(std::move(hook));
    p->settle();
    return BACKOFF_OK;
  });
}

// The setters of a callback that may be removed (fn NULL): data is owned
// either way, and a policy's derived facts are settled again.
template <class Fn>
backoff_status replace_optional(Callback<Fn> *slot, Fn fn, void *data,
                                backoff_destroy_fn destroy) {
  Callback<Fn> callback(fn, data, destroy);
  if (slot == nullptr)
    return BACKOFF_E_INVALID;
  if (fn == nullptr)
    callback.reset();
  *slot = std::move(callback);
  return BACKOFF_OK;
}

template <class Fn>
backoff_status replace_optional(backoff_policy *p, Callback<Fn> *slot, Fn fn,
                                void *data, backoff_destroy_fn destroy) {
  const backoff_status status = replace_optional(slot, fn, data, destroy);
  if (status == BACKOFF_OK)
    p->settle();
  return status;
}

backoff_status set_codes(backoff_policy *p, backoff::Classifier::Mode mode,
                         const int *codes, size_t n) {
  if (p == nullptr || codes == nullptr || n == 0)
    return BACKOFF_E_INVALID;
  for (size_t i = 0; i < n; ++i)
    if (codes[i] == 0)
      return BACKOFF_E_INVALID;
  return guarded([&] {
    backoff::Classifier classifier;
    classifier.mode = mode;
    classifier.codes.assign(codes, codes + n);
    p->classifier = std::move(classifier);
    p->settle();
    return BACKOFF_OK;
  });
}

} // namespace

extern "C" {

BACKOFF_API unsigned backoff_version_number(void) {
  return BACKOFF_VERSION_NUMBER;
}

BACKOFF_API const char *backoff_version_string(void) {
  return BACKOFF_VERSION_STRING;
}

BACKOFF_API const char *backoff_strerror(int status) {
  switch (status) {
  case BACKOFF_OK:
    return "success";
  case BACKOFF_RETRY:
    return "retry after the wait";
  case BACKOFF_GAVE_UP_TRIES:
    return "gave up: tries limit reached";
  case BACKOFF_GAVE_UP_TIME:
    return "gave up: time limit reached";
  case BACKOFF_GAVE_UP_FATAL:
    return "gave up: fatal error";
  case BACKOFF_GAVE_UP_EXHAUSTED:
    return "gave up: no more waits";
  case BACKOFF_CANCELLED:
    return "cancelled";
  case BACKOFF_PASSED_THROUGH:
    return "passed through: not retriable";
  case BACKOFF_GAVE_UP_BUDGET:
    return "gave up: retry budget exhausted";
  case BACKOFF_E_INVALID:
    return "invalid argument";
  case BACKOFF_E_NOMEM:
    return "out of memory";
  case BACKOFF_E_MISUSE:
    return "API misuse: call out of order";
  case BACKOFF_E_PARSE:
    return "malformed text";
  case BACKOFF_E_UNSUPPORTED:
    return "not supported";
  case BACKOFF_E_INTERNAL:
    return "internal error";
  default:
    return "unknown status";
  }
}

/* Policy ------------------------------------------------------------------ */

BACKOFF_API backoff_status backoff_policy_new(backoff_policy **out) {
  if (out == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    *out = new backoff_policy();
    return BACKOFF_OK;
  });
}

BACKOFF_API void backoff_policy_free(backoff_policy *p) { delete p; }

BACKOFF_API backoff_status backoff_policy_wait_expo(backoff_policy *p,
                                                    double base, double factor,
                                                    double max_value) {
  if (p == nullptr || !finite_positive(base) || !finite_positive(factor) ||
      !is_limit(max_value))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return set_wait(p, backoff::WaitKind::Expo, base, factor,
                    normalise_limit(max_value));
  });
}

BACKOFF_API backoff_status backoff_policy_wait_fibo(backoff_policy *p,
                                                    double max_value) {
  if (p == nullptr || !is_limit(max_value))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return set_wait(p, backoff::WaitKind::Fibo, 0.0, 0.0,
                    normalise_limit(max_value));
  });
}

BACKOFF_API backoff_status backoff_policy_wait_constant(backoff_policy *p,
                                                        double interval) {
  if (p == nullptr || !finite_at_least_zero(interval))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return set_wait(p, backoff::WaitKind::Constant, interval, 0.0, 0.0);
  });
}

BACKOFF_API backoff_status backoff_policy_wait_sequence(backoff_policy *p,
                                                        const double *values,
                                                        size_t n) {
  if (p == nullptr || values == nullptr || n == 0)
    return BACKOFF_E_INVALID;
  for (size_t i = 0; i < n; ++i)
    if (!finite_at_least_zero(values[i]))
      return BACKOFF_E_INVALID;
  return guarded([&] {
    backoff::WaitConfig wait;
    wait.kind = backoff::WaitKind::Sequence;
    wait.sequence.assign(values, values + n);
    for (double &v : wait.sequence)
      v = plus_zero(v);
    p->wait = std::move(wait);
    p->settle();
    return BACKOFF_OK;
  });
}

BACKOFF_API backoff_status backoff_policy_wait_decay(backoff_policy *p,
                                                     double initial,
                                                     double factor,
                                                     double min_value) {
  if (p == nullptr || !finite_positive(initial) ||
      !finite_at_least_zero(factor) || !finite_at_least_zero(min_value))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return set_wait(p, backoff::WaitKind::Decay, initial, factor, min_value);
  });
}

BACKOFF_API backoff_status backoff_policy_wait_linear(backoff_policy *p,
                                                      double start,
                                                      double increment,
                                                      double max) {
  if (p == nullptr || !finite_at_least_zero(start) ||
      !finite_at_least_zero(increment) || !is_limit(max))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return set_wait(p, backoff::WaitKind::Linear, start, increment,
                    normalise_limit(max));
  });
}

BACKOFF_API backoff_status backoff_policy_wait_custom(backoff_policy *p,
                                                      backoff_wait_fn fn,
                                                      void *data,
                                                      backoff_destroy_fn destroy) {
  Callback<backoff_wait_fn> custom(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    backoff::WaitConfig wait;
    wait.kind = backoff::WaitKind::Custom;
    wait.custom = std::move(custom);
    p->wait = std::move(wait);
    p->settle();
    return BACKOFF_OK;
  });
}

BACKOFF_API backoff_status backoff_policy_jitter(backoff_policy *p, int kind) {
  if (p == nullptr || kind < BACKOFF_JITTER_NONE ||
      kind > BACKOFF_JITTER_PROPORTIONAL)
    return BACKOFF_E_INVALID;
  p->jitter.kind = kind;
  p->jitter.custom.reset();
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_jitter_proportional(backoff_policy *p,
                                                              double f) {
  if (p == nullptr || !(f >= 0.0 && f <= 1.0))
    return BACKOFF_E_INVALID;
  p->jitter.kind = BACKOFF_JITTER_PROPORTIONAL;
  p->jitter.proportion = plus_zero(f);
  p->jitter.custom.reset();
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_jitter_custom(backoff_policy *p,
                                                        backoff_jitter_fn fn,
                                                        void *data,
                                                        backoff_destroy_fn destroy) {
  Callback<backoff_jitter_fn> custom(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  p->jitter.kind = BACKOFF_JITTER_CUSTOM;
  p->jitter.custom = std::move(custom);
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_max_tries(backoff_policy *p,
                                                    unsigned n) {
  if (p == nullptr)
    return BACKOFF_E_INVALID;
  p->max_tries = n;
  p->max_tries_fn.reset();
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_max_time(backoff_policy *p,
                                                   double seconds) {
  if (p == nullptr || !is_limit(seconds))
    return BACKOFF_E_INVALID;
  p->max_time = normalise_limit(seconds);
  p->max_time_fn.reset();
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_max_tries_fn(backoff_policy *p,
                                                       backoff_tries_fn fn,
                                                       void *data,
                                                       backoff_destroy_fn destroy) {
  Callback<backoff_tries_fn> limit(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  p->max_tries_fn = std::move(limit);
  p->max_tries = 0;
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_max_time_fn(backoff_policy *p,
                                                      backoff_time_fn fn,
                                                      void *data,
                                                      backoff_destroy_fn destroy) {
  Callback<backoff_time_fn> limit(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  p->max_time_fn = std::move(limit);
  p->max_time = 0.0;
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_hint(backoff_policy *p,
                                               backoff_hint_fn fn, void *data,
                                               backoff_destroy_fn destroy) {
  return replace_optional(p, p != nullptr ? &p->hint : nullptr, fn, data,
                          destroy);
}

BACKOFF_API backoff_status backoff_policy_hint_max(backoff_policy *p,
                                                   double seconds) {
  if (p == nullptr || !is_limit(seconds))
    return BACKOFF_E_INVALID;
  p->hint_max = normalise_limit(seconds);
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_budget(backoff_policy *p,
                                                 backoff_budget *b) {
  if (p == nullptr)
    return BACKOFF_E_INVALID;
  p->budget = backoff::BudgetRef::shared(b);
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_policy_classify(backoff_policy *p,
                                                   backoff_classify_fn fn,
                                                   void *data,
                                                   backoff_destroy_fn destroy) {
  Callback<backoff_classify_fn> custom(fn, data, destroy);
  if (p == nullptr || fn == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    backoff::Classifier classifier;
    classifier.mode = backoff::Classifier::Mode::Custom;
    classifier.custom = std::move(custom);
    p->classifier = std::move(classifier);
    p->settle();
    return BACKOFF_OK;
  });
}

BACKOFF_API backoff_status backoff_policy_retry_on(backoff_policy *p,
                                                   const int *codes, size_t n) {
  return set_codes(p, backoff::Classifier::Mode::RetryOn, codes, n);
}

BACKOFF_API backoff_status backoff_policy_giveup_on(backoff_policy *p,
                                                    const int *codes, size_t n) {
  return set_codes(p, backoff::Classifier::Mode::GiveupOn, codes, n);
}

BACKOFF_API backoff_status backoff_policy_on_try(backoff_policy *p,
                                                 backoff_hook_fn fn, void *data,
                                                 backoff_destroy_fn destroy) {
  return add_hook(p, backoff::kOnTry, fn, data, destroy);
}

BACKOFF_API backoff_status backoff_policy_on_backoff(backoff_policy *p,
                                                     backoff_hook_fn fn,
                                                     void *data,
                                                     backoff_destroy_fn destroy) {
  return add_hook(p, backoff::kOnBackoff, fn, data, destroy);
}

BACKOFF_API backoff_status backoff_policy_on_success(backoff_policy *p,
                                                     backoff_hook_fn fn,
                                                     void *data,
                                                     backoff_destroy_fn destroy) {
  return add_hook(p, backoff::kOnSuccess, fn, data, destroy);
}

BACKOFF_API backoff_status backoff_policy_on_giveup(backoff_policy *p,
                                                    backoff_hook_fn fn,
                                                    void *data,
                                                    backoff_destroy_fn destroy) {
  return add_hook(p, backoff::kOnGiveup, fn, data, destroy);
}

BACKOFF_API backoff_status backoff_policy_log(backoff_policy *p,
                                              backoff_log_fn fn, void *data,
                                              backoff_destroy_fn destroy) {
  return replace_optional(p, p != nullptr ? &p->log.sink : nullptr, fn, data,
                          destroy);
}

BACKOFF_API backoff_status backoff_policy_log_levels(backoff_policy *p,
                                                     int backoff_level,
                                                     int giveup_level) {
  if (p == nullptr || backoff_level < 0 || giveup_level < 0)
    return BACKOFF_E_INVALID;
  p->log.backoff_level = backoff_level;
  p->log.giveup_level = giveup_level;
  p->settle();
  return BACKOFF_OK;
}

BACKOFF_API void backoff_log_stderr(int level, const char *message,
                                    const backoff_details *, void *) {
  backoff::log_to_stderr(level, message);
}

BACKOFF_API backoff_status backoff_policy_clock(backoff_policy *p,
                                                backoff_clock_fn fn, void *data,
                                                backoff_destroy_fn destroy) {
  return replace_optional(p, p != nullptr ? &p->clock : nullptr, fn, data,
                          destroy);
}

BACKOFF_API backoff_status backoff_policy_sleep(backoff_policy *p,
                                                backoff_sleep_fn fn, void *data,
                                                backoff_destroy_fn destroy) {
  return replace_optional(p, p != nullptr ? &p->sleep : nullptr, fn, data,
                          destroy);
}

BACKOFF_API backoff_status backoff_policy_seed(backoff_policy *p,
                                               uint64_t seed) {
  if (p == nullptr)
    return BACKOFF_E_INVALID;
  p->seeded = true;
  p->seed = seed;
  p->settle();
  return BACKOFF_OK;
}

/* Cancellation ------------------------------------------------------------ */

BACKOFF_API backoff_status backoff_cancel_new(backoff_cancel **out) {
  if (out == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    *out = new backoff_cancel();
    return BACKOFF_OK;
  });
}

BACKOFF_API void backoff_cancel_free(backoff_cancel *c) { delete c; }

BACKOFF_API backoff_status backoff_cancel_trigger(backoff_cancel *c) {
  if (c == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    c->trigger();
    return BACKOFF_OK;
  });
}

BACKOFF_API int backoff_cancel_triggered(const backoff_cancel *c) {
  return c != nullptr && c->triggered() ? 1 : 0;
}

BACKOFF_API backoff_status backoff_cancel_reset(backoff_cancel *c) {
  if (c == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    c->reset();
    return BACKOFF_OK;
  });
}

/* Budgets ----------------------------------------------------------------- */

BACKOFF_API backoff_status backoff_budget_new(backoff_budget **out,
                                              double ratio,
                                              double min_per_second,
                                              double window_seconds) {
  if (out == nullptr || !finite_at_least_zero(ratio) ||
      !finite_at_least_zero(min_per_second) || !finite_positive(window_seconds))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    *out = new backoff_budget(plus_zero(ratio), plus_zero(min_per_second),
                              window_seconds);
    return BACKOFF_OK;
  });
}

BACKOFF_API void backoff_budget_free(backoff_budget *b) {
  if (b != nullptr)
    b->release();
}

BACKOFF_API backoff_status backoff_budget_clock(backoff_budget *b,
                                                backoff_clock_fn fn,
                                                void *data,
                                                backoff_destroy_fn destroy) {
  return replace_optional(b != nullptr ? &b->clock_ : nullptr, fn, data,
                          destroy);
}

BACKOFF_API backoff_status backoff_budget_record(backoff_budget *b, double at,
                                                 uint64_t first_attempts,
                                                 uint64_t retries) {
  if (b == nullptr || !std::isfinite(at))
    return BACKOFF_E_INVALID;
  b->record(at, first_attempts, retries);
  return BACKOFF_OK;
}

BACKOFF_API backoff_status backoff_budget_stats_get(const backoff_budget *b,
                                                    backoff_budget_stats *out) {
  if (b == nullptr || out == nullptr || !backoff::size_ok(out))
    return BACKOFF_E_INVALID;
  backoff::copy_budget_stats(b->stats(b->now()), out);
  return BACKOFF_OK;
}

/* Running ----------------------------------------------------------------- */

BACKOFF_API backoff_status backoff_run_ex(const backoff_policy *p,
                                          backoff_attempt_fn fn,
                                          void *user_data,
                                          const backoff_run_options *opts,
                                          backoff_details *details_out) {
  return run_checked(p, fn, user_data, opts, details_out);
}

BACKOFF_API backoff_status backoff_run(const backoff_policy *p,
                                       backoff_attempt_fn fn, void *user_data,
                                       backoff_details *details_out) {
  return run_checked(p, fn, user_data, nullptr, details_out);
}

/* State machine ----------------------------------------------------------- */

BACKOFF_API size_t backoff_state_size(void) { return sizeof(backoff_state); }

BACKOFF_API backoff_status backoff_state_init(void *mem, size_t mem_size,
                                              const backoff_policy *p,
                                              const backoff_run_options *opts,
                                              void *user_data,
                                              backoff_state **out) {
  if (!state_memory_ok(mem, mem_size, p, opts, out))
    return BACKOFF_E_INVALID;
  static_assert(alignof(backoff_state) <= 8, "the header promises 8 bytes");
  static_assert(std::is_trivially_destructible<backoff_state>::value,
                "caller memory is never finalised");
  const unsigned flags = flags_of(opts);
  auto *state = new (mem) backoff_state; // start() sets it: no zeroing
  const backoff_status status = state->start(
      *p, cancel_of(opts), label_of(opts), user_data, timing_of(flags));
  if (status == BACKOFF_OK) {
    apply_input_flags(state, flags);
    *out = state;
  }
  return status;
}

BACKOFF_API backoff_status backoff_state_start(void *mem, size_t mem_size,
                                               const backoff_policy *p,
                                               const backoff_run_options *opts,
                                               void *user_data,
                                               backoff_state **out) {
  if (!state_memory_ok(mem, mem_size, p, opts, out))
    return BACKOFF_E_INVALID;
  const unsigned flags = flags_of(opts);
  auto *state = new (mem) backoff_state;
  const backoff_status status = state->start_and_begin(
      *p, cancel_of(opts), label_of(opts), user_data, timing_of(flags));
  if (status != BACKOFF_E_INVALID) { // started (and maybe cancelled at once)
    apply_input_flags(state, flags);
    *out = state;
  }
  return status;
}

BACKOFF_API backoff_status backoff_state_new(const backoff_policy *p,
                                             const backoff_run_options *opts,
                                             void *user_data,
                                             backoff_state **out) {
  if (p == nullptr || out == nullptr || !options_ok(opts))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    auto *state = new backoff_state;
    state->heap_allocated = true;
    const unsigned flags = flags_of(opts);
    const backoff_status status = state->start(
        *p, cancel_of(opts), label_of(opts), user_data, timing_of(flags));
    if (status != BACKOFF_OK) {
      delete state;
      return status;
    }
    apply_input_flags(state, flags);
    *out = state;
    return BACKOFF_OK;
  });
}

BACKOFF_API void backoff_state_free(backoff_state *s) {
  if (s != nullptr && s->heap_allocated)
    delete s;
}

BACKOFF_API backoff_status backoff_state_begin(backoff_state *s) {
  if (s == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] { return s->begin(); });
}

BACKOFF_API backoff_status backoff_state_next(backoff_state *s, int rc,
                                              double *wait_out) {
  if (s == nullptr || wait_out == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] { return s->next(rc, wait_out); });
}

BACKOFF_API backoff_status backoff_state_next_begin(backoff_state *s, int rc,
                                                    double *wait_out) {
  if (s == nullptr || wait_out == nullptr)
    return BACKOFF_E_INVALID;
  return s->next_and_begin(rc, wait_out);
}

BACKOFF_API backoff_status backoff_state_retry_after(backoff_state *s,
                                                     double seconds) {
  if (s == nullptr || std::isnan(seconds) || seconds < 0.0)
    return BACKOFF_E_INVALID;
  return s->retry_after(plus_zero(seconds));
}

BACKOFF_API backoff_status backoff_state_sleep(backoff_state *s,
                                               double seconds) {
  if (s == nullptr || !finite_at_least_zero(seconds))
    return BACKOFF_E_INVALID;
  return guarded([&] { return s->sleep(seconds); });
}

BACKOFF_API backoff_status backoff_state_cancel(backoff_state *s) {
  if (s == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] { return s->cancel(); });
}

BACKOFF_API backoff_status backoff_state_details(const backoff_state *s,
                                                 backoff_details *out) {
  if (s == nullptr || out == nullptr || !backoff::details_size_ok(out))
    return BACKOFF_E_INVALID;
  backoff::copy_details(s->details(), out);
  return BACKOFF_OK;
}

} // extern "C"

/* Text forms: policy specs and Retry-After --------------------------------- */

extern "C" {

BACKOFF_API backoff_status backoff_policy_parse(backoff_policy *p,
                                                const char *spec,
                                                size_t *error_offset,
                                                char *errmsg,
                                                size_t errmsg_size) {
  if (p == nullptr || spec == nullptr)
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return backoff::parse_policy_spec(*p, spec, error_offset, errmsg,
                                      errmsg_size);
  });
}

BACKOFF_API backoff_status backoff_policy_format(const backoff_policy *p,
                                                 char *buf, size_t size,
                                                 size_t *needed) {
  if (p == nullptr || (buf == nullptr && size > 0))
    return BACKOFF_E_INVALID;
  return guarded(
      [&] { return backoff::format_policy_spec(*p, buf, size, needed); });
}

BACKOFF_API backoff_status backoff_parse_retry_after(const char *value,
                                                     double now,
                                                     double *seconds_out) {
  if (value == nullptr || seconds_out == nullptr || !std::isfinite(now))
    return BACKOFF_E_INVALID;
  return guarded([&] {
    return backoff::parse_retry_after(value, now, seconds_out)
               ? BACKOFF_OK
               : BACKOFF_E_PARSE;
  });
}

} // extern "C"
