#include "run.hpp"

#include "details.hpp"

namespace backoff {

backoff_status run(const backoff_policy &policy, backoff_attempt_fn fn,
                   void *user_data, backoff_cancel *cancel, const char *label,
                   backoff_details *details_out) {
  using Timing = backoff_state::Timing;
  const Timing timing = details_out != nullptr ? Timing::Measured
                        : backoff_state::observes_time(policy)
                            ? Timing::UnreadSuccess
                            : Timing::Unobserved;
  backoff_state state; // on the stack: a run never allocates
  backoff_status status =
      state.start(policy, cancel, label, user_data, timing);
  if (status != BACKOFF_OK)
    return status;
  for (;;) {
    status = state.begin();
    if (status != BACKOFF_OK)
      break;
    double wait;
    status = state.next(fn(user_data), &wait);
    if (status != BACKOFF_RETRY)
      break;
    status = state.sleep(wait);
    if (status != BACKOFF_OK)
      break;
  }
  if (details_out != nullptr)
    copy_details(state.details(), details_out);
  return status;
}

} // namespace backoff
