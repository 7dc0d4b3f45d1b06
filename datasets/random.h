// Portable random draws for dataset generators, shared by the suites: the
// std:: distributions are implementation-defined, these give the same numbers
// with any library.
#pragma once

#include <Eigen/Core>

#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <utility>
#include <vector>

#include "harness/core/errors.h"

namespace sb::data {

inline double uniform01(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

inline double standard_normal(std::mt19937_64& rng) {  // Box-Muller, one draw per call
  double u = uniform01(rng);
  while (u <= 0) u = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * M_PI * uniform01(rng));
}

// Uniform integer in [0, n) from a 64-bit generator (std::mt19937_64, or
// the estimation suite's xoshiro256++): modulo bias < n / 2^64, negligible here.
template <class Urbg>
std::uint64_t uniform_index(Urbg& rng, std::uint64_t n) {
  static_assert(Urbg::min() == 0 && Urbg::max() == ~std::uint64_t{0}, "a 64-bit generator");
  return rng() % n;
}

template <class T>
void shuffle_in_place(std::vector<T>& v, std::mt19937_64& rng) {
  for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[uniform_index(rng, i)]);
}

// The first `count` entries of a uniformly random permutation of [0, n)
// (a partial Fisher-Yates shuffle of the identity).
template <class Urbg>
std::vector<Eigen::Index> draw_without_replacement(Eigen::Index n, Eigen::Index count, Urbg& rng) {
  SB_THROW_IF_NOT(InternalError, count >= 0 && count <= n, "draw {} of {}", count, n);
  std::vector<Eigen::Index> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), Eigen::Index{0});
  for (Eigen::Index i = 0; i < count; ++i) {
    const auto j = i + static_cast<Eigen::Index>(uniform_index(rng, static_cast<std::uint64_t>(n - i)));
    std::swap(v[static_cast<size_t>(i)], v[static_cast<size_t>(j)]);
  }
  v.resize(static_cast<size_t>(count));
  return v;
}

}  // namespace sb::data
