// Copying details into a caller's struct that may come from an older (or
// newer) header: only the bytes both sides know are written.
#pragma once

#include "backoff/backoff.h"

namespace backoff {

// True when a caller's struct is big enough to hold at least `size`.
inline bool details_size_ok(const backoff_details *d) noexcept {
  return d->size >= sizeof d->size;
}

void copy_details(const backoff_details &from, backoff_details *to) noexcept;

} // namespace backoff
