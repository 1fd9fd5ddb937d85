// How a retry budget shared through a file is decided by the library's own
// rule. Each process holds one library budget with the file's parameters
// and a virtual clock of its own, attached to the real policy; right before
// each of its decisions, under the file's lock, it makes that budget hold
// exactly the file's counts: it moves the budget's clock a whole ring past
// any time the budget has seen (backoff_budget_record of nothing there), so
// every slot starts empty, then records each non-empty slot of the file at
// the virtual time of the same place in the ring (one backoff_budget_record
// per slot). The real run's state machine then asks that budget as it asks
// any budget, at the virtual time of the ring's newest slot, and the
// outcome goes back into the file before the lock is released.
//
// Why the decision is exact: the library's rule, as its budget applies it,
// depends on nothing but the counts of its 33 slots relative to the slot of
// the decision (retries over all of them, first attempts over all but the
// oldest) and the parameters. The file holds the same 33 slots of the same
// width on the clock every process shares, and they land in the same places
// of the ring, with nothing of the process's own left beside them; so the
// budget decides on the very counts that one budget in which every process
// had counted would hold at that moment — the rule itself, not an estimate
// of it. Refusals, which the file does not keep, never enter the rule. The
// lock is held from the read until the outcome is written, so no other
// process counts or decides in between.
#pragma once

#include <cstdint>
#include <string>

#include "backoff/backoff.h"
#include "budget_file.hpp"

namespace cli {

class BudgetMirror {
public:
  BudgetMirror() = default;
  BudgetMirror(const BudgetMirror &) = delete;
  BudgetMirror &operator=(const BudgetMirror &) = delete;
  ~BudgetMirror();

  // Opens the file and makes the library budget; false with *why set.
  bool create(const std::string &path, const BudgetParams &params,
              std::string *why);
  // Gives p the budget, and the hooks (to be added before any other) that
  // write each decision to the file and release its lock.
  bool attach(backoff_policy *p);

  // The driver's part, around the real run's steps.
  void first_attempt_started() noexcept; // after its first begin
  void before_next() noexcept;           // lock, then load the file's counts
  void after_next() noexcept;            // the lock is released by now

private:
  static double clock(void *self);
  static void on_retry(const backoff_details *d, void *self);
  static void on_end(const backoff_details *d, void *self);
  void load(const BudgetFile::Ring &ring) noexcept;
  double at(std::int64_t virtual_slot) const noexcept {
    return (static_cast<double>(virtual_slot) + 0.5) * slot_width_;
  }
  void record(std::uint64_t first_attempts, std::uint64_t retries) noexcept;

  BudgetFile file_;
  backoff_budget *budget_ = nullptr;
  double slot_width_ = 1.0;
  std::int64_t virtual_slot_ = 0;  // the budget's clock: its newest slot
  std::int64_t decision_slot_ = 0; // the file's slot of the decision
};

} // namespace cli
