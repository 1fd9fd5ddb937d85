#include "budget_mirror.hpp"

#include "report.hpp"

namespace cli {

BudgetMirror::~BudgetMirror() { backoff_budget_free(budget_); }

bool BudgetMirror::create(const std::string &path, const BudgetParams &params,
                          std::string *why) {
  if (!file_.open(path, params, why))
    return false;
  slot_width_ = params.window / (BudgetFile::kSlots - 1);
  if (backoff_budget_new(&budget_, params.ratio, params.min_per_second,
                         params.window) != BACKOFF_OK ||
      backoff_budget_clock(budget_, clock, this, nullptr) != BACKOFF_OK) {
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
  const auto *m = static_cast<const BudgetMirror *>(self);
  return m->at(m->virtual_slot_);
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
  load(ring);
}

void BudgetMirror::load(const BudgetFile::Ring &ring) noexcept {
  // A whole ring past the newest slot the budget has seen (its own first
  // attempt counted there at the latest): every slot starts empty.
  virtual_slot_ += BudgetFile::kSlots;
  backoff_budget_record(budget_, at(virtual_slot_), 0, 0);
  // The file's slots in the same places, oldest (ring[0]) to newest.
  const std::int64_t oldest = virtual_slot_ - (BudgetFile::kSlots - 1);
  for (int k = 0; k < BudgetFile::kSlots; ++k)
    if (ring.first_attempts[k] != 0 || ring.retries[k] != 0)
      backoff_budget_record(budget_, at(oldest + k), ring.first_attempts[k],
                            ring.retries[k]);
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
