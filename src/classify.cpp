#include "classify.hpp"

#include <algorithm>

namespace backoff {

backoff_verdict
Classifier::configured_verdict(const backoff_details &d) const noexcept {
  if (mode == Mode::Custom)
    return verdict_from_int(custom.fn()(&d, custom.data()));
  if (d.last_rc == 0)
    return BACKOFF_VERDICT_SUCCESS;
  const bool listed =
      std::find(codes.begin(), codes.end(), d.last_rc) != codes.end();
  const bool retry = (mode == Mode::RetryOn) == listed;
  return retry ? BACKOFF_VERDICT_RETRY : BACKOFF_VERDICT_GIVE_UP;
}

} // namespace backoff
