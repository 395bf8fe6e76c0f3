// Portable, seeded pseudo-random numbers.
//
// Why not <random>: the engines are portable but the distributions (std::uniform_real_distribution,
// std::normal_distribution, std::uniform_int_distribution, std::shuffle) are implementation-defined and
// differ between libstdc++ (native g++) and libc++ (Emscripten), and std::log/std::sqrt-based ones also
// inherit libm's last-ulp differences. This generator and its distributions use only integer operations,
// IEEE basic arithmetic, sqrt (correctly rounded by IEEE-754) and det_log, so the native and wasm builds
// produce bit-identical streams for the same seed.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "core/detmath.hpp"
#include "core/errors.hpp"

namespace bp {

// xoshiro256** 1.0 (Blackman & Vigna), state seeded through SplitMix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& word : s_) word = splitmix64(sm);
  }

  // The generator's whole position in its stream (the four words of xoshiro256**): a saved state set back
  // gives the same numbers from there on (a saved lab's next shuffles). The cached second normal is not part
  // of it: set_state() drops it, so use it on generators that draw no normals (the shuffle generator).
  std::array<std::uint64_t, 4> state() const { return {s_[0], s_[1], s_[2], s_[3]}; }
  void set_state(const std::array<std::uint64_t, 4>& s) {
    if ((s[0] | s[1] | s[2] | s[3]) == 0) fail("Rng::set_state: the all-zero state is not a state of xoshiro256**");
    for (int i = 0; i < 4; ++i) s_[i] = s[std::size_t(i)];
    has_cached_ = false;
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5u, 7) * 9u;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1): the top 53 bits scaled by 2^-53 (exact).
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform in [lo, hi) (hi itself can appear only through rounding when hi - lo is huge).
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Standard normal, Marsaglia polar method; the second value of each pair is cached.
  double normal() {
    if (has_cached_) {
      has_cached_ = false;
      return cached_;
    }
    double u = 0.0, v = 0.0, s = 0.0;
    do {
      u = 2.0 * uniform() - 1.0;
      v = 2.0 * uniform() - 1.0;
      s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    const double m = std::sqrt(-2.0 * det_log(s) / s);
    cached_ = v * m;
    has_cached_ = true;
    return u * m;
  }

  double normal(double mean, double stddev) { return mean + stddev * normal(); }

  // Unbiased integer in [0, n), Lemire's multiply-and-reject on the top 32 bits. n must be >= 1.
  std::uint32_t below(std::uint32_t n) {
    if (n == 0) fail("Rng::below: n must be >= 1, got 0");
    std::uint64_t m = static_cast<std::uint64_t>(next_u64() >> 32) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(0u - n) % n;  // 2^32 mod n
      while (low < threshold) {
        m = static_cast<std::uint64_t>(next_u64() >> 32) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Fisher-Yates (Durstenfeld) shuffle of a random-access range with fewer than 2^32 elements.
  template <class It>
  void shuffle(It first, It last) {
    const auto count = static_cast<std::uint64_t>(std::distance(first, last));
    if (count > 0xFFFFFFFFull) fail("Rng::shuffle: range too large");
    for (std::uint64_t i = count; i > 1; --i) {
      const std::uint32_t j = below(static_cast<std::uint32_t>(i));
      using std::swap;
      swap(first[static_cast<std::ptrdiff_t>(i - 1)], first[static_cast<std::ptrdiff_t>(j)]);
    }
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  std::uint64_t s_[4];
  double cached_ = 0.0;
  bool has_cached_ = false;
};

}  // namespace bp
