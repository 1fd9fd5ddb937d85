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

} // namespace backoff
