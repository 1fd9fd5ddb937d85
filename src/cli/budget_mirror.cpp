#include "budget_mirror.hpp"

#include "report.hpp"

namespace cli {

namespace {

int always_retry(const backoff_details *, void *) {
  return BACKOFF_VERDICT_RETRY;
}

// A replay moves this many slots past the last one: more than a ring, so
// the budget forgets everything it held before.
constexpr std::int64_t kReplayStride = 2 * BudgetFile::kSlots + 1;

} // namespace

BudgetMirror::~BudgetMirror() {
  backoff_policy_free(mirror_);
  backoff_budget_free(budget_);
}

bool BudgetMirror::create(const std::string &path, const BudgetParams &params,
                          std::string *why) {
  if (!file_.open(path, params, why))
    return false;
  slot_width_ = params.window / (BudgetFile::kSlots - 1);
  const std::size_t words = backoff_state_size() / sizeof(std::uint64_t) + 1;
  withdrawer_.assign(words, 0);
  depositor_.assign(words, 0);
  // The mirror: every run fails at once and is retried at once, for ever,
  // so that its steps are nothing but the budget's deposits and requests.
  size_t offset = 0;
  if (backoff_budget_new(&budget_, params.ratio, params.min_per_second,
                         params.window) != BACKOFF_OK ||
      backoff_budget_clock(budget_, clock, this, nullptr) != BACKOFF_OK ||
      backoff_policy_new(&mirror_) != BACKOFF_OK ||
      backoff_policy_parse(mirror_, "constant(interval=0) jitter=none tries=0",
                           &offset, nullptr, 0) != BACKOFF_OK ||
      backoff_policy_classify(mirror_, always_retry, nullptr, nullptr) !=
          BACKOFF_OK ||
      backoff_policy_budget(mirror_, budget_) != BACKOFF_OK) {
    *why = "cannot set up the budget: out of memory";
    return false;
  }
  return true;
}

bool BudgetMirror::attach(backoff_policy *p) {
  return backoff_policy_budget(p, budget_) == BACKOFF_OK &&
         backoff_policy_on_backoff(p, on_retry, this, nullptr) == BACKOFF_OK &&
         backoff_policy_on_success(p, on_end, this, nullptr) == BACKOFF_OK &&
         backoff_policy_on_giveup(p, on_end, this, nullptr) == BACKOFF_OK;
}

double BudgetMirror::clock(void *self) {
  return static_cast<BudgetMirror *>(self)->virtual_now_;
}

void BudgetMirror::record(std::uint64_t first_attempts,
                          std::uint64_t retries) noexcept {
  std::string why;
  try {
    if (!file_.add(decision_slot_, first_attempts, retries, &why))
      report(BACKOFF_LOG_WARNING, "--budget-file: %s", why.c_str());
  } catch (...) {
    report(BACKOFF_LOG_WARNING, "--budget-file: out of memory");
  }
}

void BudgetMirror::first_attempt_started() noexcept {
  std::string why;
  try {
    if (!file_.lock(&why)) {
      report(BACKOFF_LOG_WARNING, "--budget-file: %s", why.c_str());
      return;
    }
  } catch (...) {
    return;
  }
  decision_slot_ = file_.slot_now();
  record(1, 0);
  file_.unlock();
}

void BudgetMirror::before_next() noexcept {
  std::string why;
  BudgetFile::Ring ring;
  try {
    if (!file_.lock(&why) ||
        !file_.read(decision_slot_ = file_.slot_now(), &ring, &why)) {
      // The run goes on with what this process knew last.
      report(BACKOFF_LOG_WARNING, "--budget-file: %s", why.c_str());
      return;
    }
  } catch (...) {
    report(BACKOFF_LOG_WARNING, "--budget-file: out of memory");
    return;
  }
  replay(ring);
}

void BudgetMirror::replay(const BudgetFile::Ring &ring) noexcept {
  backoff_state *withdrawer = nullptr, *depositor = nullptr;
  const std::size_t bytes = withdrawer_.size() * sizeof(std::uint64_t);
  // The withdrawer's own first attempt lands in a slot the budget leaves
  // behind below; from then on its steps only ask for retries.
  const std::int64_t start = virtual_slot_ + 1;
  virtual_now_ = at(start);
  backoff_state_init(withdrawer_.data(), bytes, mirror_, nullptr, nullptr,
                     &withdrawer);
  backoff_state_begin(withdrawer);

  const std::int64_t newest = start + kReplayStride;
  std::uint64_t retries = 0;
  for (int k = 0; k < BudgetFile::kSlots; ++k) {
    virtual_now_ = at(newest - (BudgetFile::kSlots - 1) + k);
    for (std::uint64_t n = 0; n < ring.first_attempts[k]; ++n) {
      backoff_state_init(depositor_.data(), bytes, mirror_, nullptr, nullptr,
                         &depositor);
      backoff_state_begin(depositor); // a run's first attempt: a deposit
    }
    retries += ring.retries[k];
  }
  // Every retry of the window, at the decision's moment (see the header).
  for (std::uint64_t n = 0; n < retries; ++n) {
    double wait;
    if (backoff_state_next(withdrawer, 1, &wait) != BACKOFF_RETRY)
      break; // refused: the file's retries already use up the allowance
    backoff_state_begin(withdrawer);
  }
  virtual_slot_ = newest;
}

void BudgetMirror::after_next() noexcept { file_.unlock(); }

void BudgetMirror::on_retry(const backoff_details *, void *self) {
  auto *m = static_cast<BudgetMirror *>(self);
  if (!m->file_.locked())
    return;
  m->record(0, 1); // the budget allowed this retry
  m->file_.unlock();
}

void BudgetMirror::on_end(const backoff_details *, void *self) {
  static_cast<BudgetMirror *>(self)->file_.unlock();
}

} // namespace cli
