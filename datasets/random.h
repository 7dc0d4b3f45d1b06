// Portable random draws for dataset generators, shared by the suites: the
// std:: distributions are implementation-defined, these give the same numbers
// with any library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace sb::data {

inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

inline double standard_normal(std::mt19937_64& rng) {  // Box-Muller, one draw per call
  double u = uniform01(rng);
  while (u <= 0) u = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * uniform01(rng));
}

// Uniform integer in [0, n) (modulo bias < n / 2^64, negligible here).
inline std::uint64_t uniform_index(std::mt19937_64& rng, std::uint64_t n) { return rng() % n; }

template <class T>
void shuffle_in_place(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[uniform_index(rng, i)]);
}

}  // namespace sb::data
