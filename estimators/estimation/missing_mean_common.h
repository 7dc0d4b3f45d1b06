// Shared pieces of the `missing-mean` estimators (Kang & Schafer 2007): the
// population mean E[y] from data where y is seen only when the response
// indicator (Data.treatment) is 1. Input checks, the response model and the
// respondents' outcome regression. Not an estimator itself.
#pragma once

#include <Eigen/Dense>

#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"

namespace sb::estimation::missing {

// Checks x and the response indicator (0/1, at least 2 of each) and that y is
// finite for every respondent (non-respondents' y is ignored); throws
// MethodError naming the method.
void check_data(const Data& data, const std::string& method);

// Indices of the respondents (treatment == 1).
std::vector<Eigen::Index> respondents(const Data& data);

// Response probabilities pi_i: the true ones (Data.propensity) or a logistic
// regression of the response on [1, x_propensity] by maximum likelihood.
Eigen::VectorXd response_probabilities(const Data& data, bool use_true, const std::string& method);

// Least squares of y on [1, x] over the respondents with weights w_i
// (entries of `weights` at respondents; empty = OLS), predicted for all n
// units.
Eigen::VectorXd respondent_regression_predict(const Data& data, const Eigen::VectorXd& weights);

// Estimate with value(0) = value and no standard error (these estimators
// report the point estimate of the paper's tables only).
Estimate point_estimate(double value);

}  // namespace sb::estimation::missing
