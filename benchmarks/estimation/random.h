// Random draws for the estimation scenarios. Boost.Random's distributions are
// used rather than std::normal_distribution: the standard leaves the
// algorithm to the library (libstdc++ and libc++ give different numbers for
// the same engine and seed), while Boost's are fixed by its source, and its
// ziggurat normal is several times faster than libstdc++'s polar method.
#pragma once

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <random>

namespace sb::estimation {

using Rng = std::mt19937_64;
using StandardNormal = boost::random::normal_distribution<double>;  // ziggurat, N(0, 1)
using Uniform01 = boost::random::uniform_01<double>;                // [0, 1)

}  // namespace sb::estimation
