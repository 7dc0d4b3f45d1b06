// Shared pieces of the causal estimators (tasks ate, integration, iv): input
// checks, propensity fitting with its M-estimation correction, per-arm
// outcome regressions, influence-function standard errors and Wald-type 95%
// intervals. Not an estimator itself (nothing registers here).
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/models/linear.h"

namespace sb::estimation::causal {

// Estimate with value(0) = value, std_error = se, CI value +- robust::z975() * se.
Estimate normal_estimate(double value, double se);

// Checks that `binary` (named `what`) has n entries, all 0 or 1, and at
// least `min_per_group` of each; throws MethodError naming the method.
void check_binary(const Eigen::VectorXd& binary, Eigen::Index n, int min_per_group,
                  const std::string& what, const std::string& method);
// Checks x, y, treatment of an `ate`-style data set (x may have 0 columns).
void check_ate_data(const Data& data, const std::string& method);

// Covariates for propensity models: data.x_propensity, or data.x when empty.
const Eigen::MatrixXd& propensity_covariates(const Data& data);

// Indices i with v(i) == value (v is 0/1).
std::vector<Eigen::Index> rows_where(const Eigen::VectorXd& v, double value);

// Sample mean and unbiased sample variance (n-1 denominator).
double mean(const Eigen::VectorXd& v);
double sample_variance(const Eigen::VectorXd& v);

// SE of the mean of an influence function: sd(phi) / sqrt(n), sd with n-1.
double influence_se(const Eigen::VectorXd& phi);

// Difference in means of y between t == 1 and t == 0 with the Neyman
// (unequal-variance) standard error sqrt(s1^2/n1 + s0^2/n0).
struct MeanDifference {
  double value = 0;
  double se = 0;
};
MeanDifference difference_in_means(const Eigen::VectorXd& y, const Eigen::VectorXd& t);

// Propensity scores of `group` (0/1) given covariates x: either the given
// true ones, or a logistic regression on [1, x] by maximum likelihood.
// `with_information = false` skips information_inverse (for estimators whose
// SE does not correct for the fitted propensity).
struct PropensityScores {
  Eigen::VectorXd score;   // n, P(group = 1 | x)
  bool fitted = false;
  Eigen::MatrixXd design;  // n x (d+1), [1, x] (only when fitted)
  Eigen::MatrixXd information_inverse;  // (mean_i e(1-e) x x')^{-1} (only when fitted and asked)
};
PropensityScores propensity_scores(const Eigen::MatrixXd& x, const Eigen::VectorXd& group,
                                   const Eigen::VectorXd& true_scores, bool use_true,
                                   const std::string& method, bool with_information = true);

// Term that an estimated logistic propensity adds to the influence function
// of a mean of psi_i(alpha): with alpha-hat - alpha ~ I^{-1} mean(s_i),
// s_i = x_i (g_i - e_i), it is  h' I^{-1} s_i  where h = mean_i d psi_i/d alpha.
// Returns zeros when the scores were not fitted (true propensities).
Eigen::VectorXd propensity_correction(const PropensityScores& ps, const Eigen::VectorXd& group,
                                      const Eigen::VectorXd& h);

// OLS of y on [1, x] fitted on the rows `fit_rows`, predicted for the rows
// `predict_rows` (both given as indices into x / y).
Eigen::VectorXd regression_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                   const std::vector<Eigen::Index>& fit_rows,
                                   const std::vector<Eigen::Index>& predict_rows);
// The same, predicted for every unit (without copying the design).
Eigen::VectorXd regression_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                   const std::vector<Eigen::Index>& fit_rows);

// All indices 0..n-1.
std::vector<Eigen::Index> all_rows(Eigen::Index n);

}  // namespace sb::estimation::causal
