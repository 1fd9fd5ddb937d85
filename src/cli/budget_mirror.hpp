// How a retry budget shared through a file is decided by the library's own
// rule. The public API has no budget whose counts live outside the process
// (see docs/cli.md for what it would take), so each process holds one
// library budget with the file's parameters and, right before each of its
// decisions, makes it hold exactly the file's counts: under the file's lock
// it moves the budget's clock (its own, virtual one) past a whole window,
// which empties it, and replays the file's counts into it through runs of a
// mirror policy — first attempts slot by slot, then the window's retries at
// the moment of the decision. The real run's state machine then asks that
// budget as it asks any budget, and the outcome goes back into the file
// before the lock is released. Replaying all the retries at the decision's
// moment is exact for that one decision: the rule compares the window's
// retries with what its first attempts allow, and if the replay itself is
// refused somewhere, the file's retries already reach the allowance, so the
// real request is refused too, as the rule says.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "backoff/backoff.h"
#include "budget_file.hpp"

namespace cli {

class BudgetMirror {
public:
  BudgetMirror() = default;
  BudgetMirror(const BudgetMirror &) = delete;
  BudgetMirror &operator=(const BudgetMirror &) = delete;
  ~BudgetMirror();

  // Opens the file and makes the library budget and the mirror policy;
  // false with *why set.
  bool create(const std::string &path, const BudgetParams &params,
              std::string *why);
  // Gives p the budget, and the hooks (to be added before any other) that
  // write each decision to the file and release its lock.
  bool attach(backoff_policy *p);

  // The driver's part, around the real run's steps.
  void first_attempt_started() noexcept; // after its first begin
  void before_next() noexcept;           // lock, then replay the file
  void after_next() noexcept;            // the lock is released by now

private:
  static double clock(void *self);
  static void on_retry(const backoff_details *d, void *self);
  static void on_end(const backoff_details *d, void *self);
  void replay(const BudgetFile::Ring &ring) noexcept;
  double at(std::int64_t virtual_slot) const noexcept {
    return (static_cast<double>(virtual_slot) + 0.5) * slot_width_;
  }
  void record(std::uint64_t first_attempts, std::uint64_t retries) noexcept;

  BudgetFile file_;
  backoff_budget *budget_ = nullptr;
  backoff_policy *mirror_ = nullptr;
  std::vector<std::uint64_t> withdrawer_, depositor_; // state memory
  double slot_width_ = 1.0;
  double virtual_now_ = 0.0;
  std::int64_t virtual_slot_ = 0;  // where the last replay ended
  std::int64_t decision_slot_ = 0; // the file's slot of the decision
};

} // namespace cli
