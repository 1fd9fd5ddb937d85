#include "classify.hpp"

#include <algorithm>

namespace backoff {

backoff_verdict
Classifier::configured_verdict(const backoff_details &d) const noexcept {
  if (mode == Mode::Custom) {
    const int v = custom.fn()(&d, custom.data());
    switch (v) {
    case BACKOFF_VERDICT_SUCCESS:
    case BACKOFF_VERDICT_RETRY:
    case BACKOFF_VERDICT_GIVE_UP:
    case BACKOFF_VERDICT_PASS_THROUGH:
      return static_cast<backoff_verdict>(v);
    default:
      return BACKOFF_VERDICT_GIVE_UP; // an unknown answer must not loop
    }
  }
  if (d.last_rc == 0)
    return BACKOFF_VERDICT_SUCCESS;
  const bool listed =
      std::find(codes.begin(), codes.end(), d.last_rc) != codes.end();
  const bool retry = (mode == Mode::RetryOn) == listed;
  return retry ? BACKOFF_VERDICT_RETRY : BACKOFF_VERDICT_GIVE_UP;
}

} // namespace backoff
