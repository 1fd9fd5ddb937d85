// Classification: is an attempt's return code a success, a retriable
// failure, a fatal one, or none of our business? One mechanism covers the
// reference's exception tuple, `giveup` and `on_predicate`.
#pragma once

#include <vector>

#include "callback.hpp"

namespace backoff {

struct Classifier {
  enum class Mode { Default, RetryOn, GiveupOn, Custom };
  Mode mode = Mode::Default;
  std::vector<int> codes;
  Callback<backoff_classify_fn> custom;

  backoff_verdict verdict(const backoff_details &details) const noexcept {
    if (mode == Mode::Default) // the common case, inline on the hot path
      return details.last_rc == 0 ? BACKOFF_VERDICT_SUCCESS
                                  : BACKOFF_VERDICT_RETRY;
    return configured_verdict(details);
  }

private:
  backoff_verdict configured_verdict(const backoff_details &details) const noexcept;
};

// A verdict given as a number (by a custom classifier, or by a driver that
// judges its attempts itself): anything unknown gives up, so that it cannot
// loop.
inline backoff_verdict verdict_from_int(int v) noexcept {
  switch (v) {
  case BACKOFF_VERDICT_SUCCESS:
  case BACKOFF_VERDICT_RETRY:
  case BACKOFF_VERDICT_GIVE_UP:
  case BACKOFF_VERDICT_PASS_THROUGH:
    return static_cast<backoff_verdict>(v);
  default:
    return BACKOFF_VERDICT_GIVE_UP;
  }
}

} // namespace backoff
