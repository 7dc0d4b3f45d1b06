// Multinomial logistic regression with a non-smooth penalty on the weights:
// elementwise L1 (sparse models) or the nuclear norm (low-rank models), the
// high-dimensional models whose representer points Tsai, Yeh & Ravikumar
// (2023) define. Solved by FISTA with adaptive restart.
#pragma once

#include <Eigen/Dense>

namespace sb::models {

enum class WeightPenalty { l1, nuclear };

struct RegularizedLogisticOptions {
  WeightPenalty penalty = WeightPenalty::l1;
  double strength = 1e-2;        // lambda: objective = mean cross-entropy + lambda R(W); the bias is not penalised
  int max_iterations = 200000;
  double tolerance = 1e-8;       // stop when max |gradient mapping| <= this
};

struct RegularizedLogisticFit {
  Eigen::MatrixXd weight;  // k x p
  Eigen::VectorXd bias;    // k
  int iterations = 0;
  bool converged = false;
  double optimality = 0;   // max |gradient mapping| at the end
};

// R(W) = sum |W_cj| (l1) or the sum of W's singular values (nuclear).
double weight_penalty(const Eigen::MatrixXd& weight, WeightPenalty penalty);

// The proximal operator of step * R at W: soft-thresholding of the entries
// (l1) or of the singular values (nuclear).
Eigen::MatrixXd penalty_prox(const Eigen::MatrixXd& weight, WeightPenalty penalty, double step);

// From W = 0, b = 0; every class in [0, num_classes) must be present.
// FISTA (Beck & Teboulle 2009) with step 1/L, L = lambda_max(Z^T Z) / (2n),
// Z = [X, 1] (the softmax cross-entropy's curvature is at most 1/2 of it),
// and O'Donoghue & Candes's (2015) gradient restart. The gradient mapping
// L (theta - prox(theta - grad / L)) is zero exactly at a minimiser.
RegularizedLogisticFit fit_regularized_logistic(const Eigen::MatrixXd& x, const Eigen::VectorXi& y, int num_classes,
                                                const RegularizedLogisticOptions& options);

}  // namespace sb::models
