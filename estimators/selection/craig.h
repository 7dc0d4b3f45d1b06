// Greedy facility location, the selection rule of CRAIG (for the method and tests).
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::selection {

struct FacilityLocation {
  std::vector<Eigen::Index> selected;  // in the order chosen
  std::vector<double> weights;         // rows whose nearest selected row it is (ties: chosen first)
};

// Greedily maximises F(S) = sum_i max_{j in S} (c - ||g_i - g_j||), c the
// largest pairwise distance, choosing `count` rows of g (rows = points); each
// step adds the row of largest gain (ties: lower index).
FacilityLocation greedy_facility_location(const Eigen::MatrixXd& g, Eigen::Index count);

}  // namespace sb::selection
