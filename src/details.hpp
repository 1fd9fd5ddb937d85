// Copying size-first structs (details, budget stats) into a caller's struct
// that may come from an older (or newer) header: only the fields both sides
// know are written, and only whole fields.
#pragma once

#include <cstddef>

#include "backoff/backoff.h"

namespace backoff {

// True when a caller's struct is big enough to hold at least `size`.
template <class T> bool size_ok(const T *s) noexcept {
  return s->size >= sizeof s->size;
}
inline bool details_size_ok(const backoff_details *d) noexcept {
  return size_ok(d);
}

void copy_details(const backoff_details &from, backoff_details *to) noexcept;
void copy_budget_stats(const backoff_budget_stats &from,
                       backoff_budget_stats *to) noexcept;

} // namespace backoff
