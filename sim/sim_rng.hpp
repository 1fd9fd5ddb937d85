// The simulator's own randomness (client phases, network noise, the seed
// of each run's policy). SplitMix64: tiny, fast, and the same numbers on
// every platform, so a seed gives the same CSV everywhere.
#pragma once

#include <cmath>
#include <cstdint>

namespace sim {

// One step of SplitMix64 as a pure function: mixes any 64-bit value into a
// well-spread one. Used to derive independent seeds from (seed, index...).
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

inline std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t a,
                                 std::uint64_t b = 0, std::uint64_t c = 0) {
  return mix64(mix64(mix64(seed ^ mix64(a)) ^ b) ^ c);
}

class Rng {
public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t next_u64() {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, 1), 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1p-53; }

  // |N(mean, sd)| by Box-Muller (one of the pair; simplicity over speed).
  double abs_normal(double mean, double sd) {
    if (sd == 0.0)
      return std::fabs(mean);
    const double u1 = 1.0 - uniform(); // (0, 1]: log is finite
    const double u2 = uniform();
    const double z = std::sqrt(-2.0 * std::log(u1)) *
                     std::cos(6.283185307179586 * u2);
    return std::fabs(mean + sd * z);
  }

private:
  std::uint64_t state_;
};

} // namespace sim
