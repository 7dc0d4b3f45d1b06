// k-means clustering: k-means++ seeding, then Lloyd's iterations.
#pragma once

#include <Eigen/Dense>

#include <cstdint>

namespace sb::models {

struct KMeansResult {
  Eigen::MatrixXd centers;     // k x d
  Eigen::VectorXi assignment;  // n, index of the nearest center (ties: lower index)
  Eigen::VectorXd distance2;   // n, squared distance to its center
  int iterations = 0;
};

// k in [1, n]. Seeding (Arthur & Vassilvitskii 2007): the first center a
// uniform row, each next one a row drawn with probability proportional to
// its squared distance to the nearest center so far (std::mt19937_64 seeded
// by `seed`, uniforms from its raw 53-bit draws). Lloyd's iterations until
// no assignment changes or max_iterations; an emptied cluster keeps its center.
KMeansResult kmeans(const Eigen::MatrixXd& x, int k, std::uint64_t seed, int max_iterations = 100);

}  // namespace sb::models
