#include "details.hpp"

#include <algorithm>
#include <cstring>

namespace backoff {

void copy_details(const backoff_details &from, backoff_details *to) noexcept {
  const std::size_t caller_size = to->size;
  std::memcpy(to, &from, std::min(caller_size, sizeof from));
  to->size = caller_size; // the caller's struct keeps its own version
}

} // namespace backoff
