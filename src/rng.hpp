// The per-run random generator behind jitter: SplitMix64, one 64-bit word of
// state, a handful of instructions per draw. Jitter needs speed and an even
// spread, not cryptographic strength. Its output is part of the contract:
// a seeded policy must give the same waits in every run and every binding,
// which the shared test vectors check.
#pragma once

#include <cstdint>

namespace backoff {

class Rng {
public:
  explicit Rng(std::uint64_t seed = 0) noexcept : state_(seed) {}

  std::uint64_t next_u64() noexcept {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1): the top 53 bits, so every value is exact.
  double uniform() noexcept {
    return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
  }

private:
  std::uint64_t state_;
};

// A fresh seed for an unseeded run. Reads the OS's entropy once per process
// and derives each later seed from it with an atomic counter, so a run pays
// no system call.
std::uint64_t fresh_seed() noexcept;

} // namespace backoff
