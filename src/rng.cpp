#include "rng.hpp"

#include <atomic>
#include <chrono>
#include <sys/random.h>

namespace backoff {

namespace {

std::uint64_t process_entropy() noexcept {
  std::uint64_t seed = 0;
  if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed) {
    // Entropy pool not ready (early boot): jitter only needs runs to differ.
    seed = static_cast<std::uint64_t>(
        std::chrono::steady_clock::now().time_since_epoch().count());
  }
  return seed;
}

} // namespace

std::uint64_t fresh_seed() noexcept {
  static const std::uint64_t base = process_entropy();
  static std::atomic<std::uint64_t> counter{0};
  Rng mix(base ^ counter.fetch_add(1, std::memory_order_relaxed));
  return mix.next_u64();
}

} // namespace backoff
