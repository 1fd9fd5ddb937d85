#include "details.hpp"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace backoff {

namespace {

#define BACKOFF_FIELD_END(type, field) (offsetof(type, field) + sizeof(type::field))

// Where each field ends, in order: a caller's `size` may end inside a field
// (a struct from a header we never shipped), and such a field is not
// written at all.
constexpr std::size_t kDetailsEnds[] = {
    BACKOFF_FIELD_END(backoff_details, size),
    BACKOFF_FIELD_END(backoff_details, label),
    BACKOFF_FIELD_END(backoff_details, user_data),
    BACKOFF_FIELD_END(backoff_details, tries),
    BACKOFF_FIELD_END(backoff_details, elapsed),
    BACKOFF_FIELD_END(backoff_details, wait),
    BACKOFF_FIELD_END(backoff_details, total_wait),
    BACKOFF_FIELD_END(backoff_details, last_rc),
    BACKOFF_FIELD_END(backoff_details, outcome),
    BACKOFF_FIELD_END(backoff_details, remaining),
    BACKOFF_FIELD_END(backoff_details, hint),
};
static_assert(kDetailsEnds[std::size(kDetailsEnds) - 1] ==
                  sizeof(backoff_details),
              "every field of backoff_details is listed");

constexpr std::size_t kStatsEnds[] = {
    BACKOFF_FIELD_END(backoff_budget_stats, size),
    BACKOFF_FIELD_END(backoff_budget_stats, first_attempts),
    BACKOFF_FIELD_END(backoff_budget_stats, retries),
    BACKOFF_FIELD_END(backoff_budget_stats, refusals),
    BACKOFF_FIELD_END(backoff_budget_stats, available),
    BACKOFF_FIELD_END(backoff_budget_stats, total_first_attempts),
    BACKOFF_FIELD_END(backoff_budget_stats, total_retries),
    BACKOFF_FIELD_END(backoff_budget_stats, total_refusals),
    BACKOFF_FIELD_END(backoff_budget_stats, ratio),
    BACKOFF_FIELD_END(backoff_budget_stats, min_per_second),
    BACKOFF_FIELD_END(backoff_budget_stats, window),
};
static_assert(kStatsEnds[std::size(kStatsEnds) - 1] ==
                  sizeof(backoff_budget_stats),
              "every field of backoff_budget_stats is listed");

#undef BACKOFF_FIELD_END

// The end of the last field that fits wholly in `size` bytes.
template <std::size_t N>
std::size_t whole_fields(const std::size_t (&ends)[N], std::size_t size) {
  std::size_t fit = 0;
  for (std::size_t end : ends)
    if (end <= size)
      fit = end;
  return fit;
}

template <class T, std::size_t N>
void copy_whole_fields(const T &from, T *to, const std::size_t (&ends)[N]) {
  const std::size_t caller_size = to->size;
  if (caller_size >= sizeof(T)) // a caller built with this header or later
    *to = from;
  else
    std::memcpy(static_cast<void *>(to), &from, whole_fields(ends, caller_size));
  to->size = caller_size; // the caller's struct keeps its own version
}

} // namespace

void copy_details(const backoff_details &from, backoff_details *to) noexcept {
  copy_whole_fields(from, to, kDetailsEnds);
}

void copy_budget_stats(const backoff_budget_stats &from,
                       backoff_budget_stats *to) noexcept {
  copy_whole_fields(from, to, kStatsEnds);
}

} // namespace backoff
