// Random draws for the estimation scenarios. Boost.Random's distributions are
// used rather than std::normal_distribution: the standard leaves the
// algorithm to the library (libstdc++ and libc++ give different numbers for
// the same engine and seed), while Boost's are fixed by its source, and its
// ziggurat normal is several times faster than libstdc++'s polar method.
#pragma once

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <cstdint>

namespace sb::estimation {

// xoshiro256++ (Blackman & Vigna 2021, "Scrambled linear pseudorandom number
// generators", ACM TOMS 47(4)), seeded by four SplitMix64 outputs as its
// authors recommend. A scenario draws a fresh engine per replication, and
// std::mt19937_64 spent more time seeding and refilling its 312-word state
// than the n = 1000 Kang-Schafer replication spent on everything else it
// draws (59 against 22 us, docs/PERFORMANCE.md). Period 2^256 - 1; passes
// BigCrush. A UniformRandomBitGenerator.
class Xoshiro256PlusPlus {
 public:
  using result_type = std::uint64_t;

  explicit Xoshiro256PlusPlus(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }
  // The raw state (tests: the published algorithm from a known state).
  explicit Xoshiro256PlusPlus(const std::uint64_t (&state)[4])
      : state_{state[0], state[1], state[2], state[3]} {}

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }

  result_type operator()() {
    const std::uint64_t result = rotl(state_[0] + state_[3], 23) + state_[0];
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  // SplitMix64 (Steele, Lea & Flood 2014): advances x, returns its output.
  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t state_[4];
};

// Student t with `df` degrees of freedom: Z / sqrt(S / df), S a sum of df
// squared standard normals drawn after Z (any normal distribution object
// and generator: corrupted-mean's std:: pair, the xoshiro/Boost one here).
template <class Normal, class Urbg>
double student_t(int df, Normal& normal, Urbg& rng) {
  const double z = normal(rng);
  double chi2 = 0;
  for (int k = 0; k < df; ++k) {
    const double g = normal(rng);
    chi2 += g * g;
  }
  return z / std::sqrt(chi2 / df);
}

using Rng = Xoshiro256PlusPlus;
using StandardNormal = boost::random::normal_distribution<double>;  // ziggurat, N(0, 1)
using Uniform01 = boost::random::uniform_01<double>;                // [0, 1)

}  // namespace sb::estimation
