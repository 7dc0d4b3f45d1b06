#include "estimators/estimation/missing_mean_common.h"

#include <cmath>

#include "estimators/estimation/causal_common.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::estimation::missing {

void check_data(const Data& data, const std::string& method) {
  const Eigen::Index n = data.treatment.size();
  SB_THROW_IF_NOT(MethodError, data.y.size() == n, "{}: y has {} entries for {} response indicators",
                  method, data.y.size(), n);
  SB_THROW_IF_NOT(MethodError, data.x.rows() == n || data.x.size() == 0,
                  "{}: x has {} rows for {} units", method, data.x.rows(), n);
  causal::check_binary(data.treatment, n, 2, "response indicator", method);
  for (Eigen::Index i = 0; i < n; ++i) {
    SB_THROW_IF_NOT(MethodError, data.treatment(i) == 0.0 || std::isfinite(data.y(i)),
                    "{}: respondent {} has outcome {}", method, i, data.y(i));
  }
}

std::vector<Eigen::Index> respondents(const Data& data) {
  return causal::rows_where(data.treatment, 1.0);
}

Eigen::VectorXd response_probabilities(const Data& data, bool use_true, const std::string& method) {
  return causal::propensity_scores(causal::propensity_covariates(data), data.treatment,
                                   data.propensity, use_true, method, /*with_information=*/false)
      .score;
}

Eigen::VectorXd respondent_regression_predict(const Data& data, const Eigen::VectorXd& weights) {
  const auto rows = respondents(data);
  if (weights.size() == 0) return causal::regression_predict(data.x, data.y, rows);
  const Eigen::Index n = data.y.size();
  const Eigen::MatrixXd design =
      models::add_intercept(data.x.size() == 0 ? Eigen::MatrixXd(n, 0) : data.x);
  const Eigen::VectorXd coef = models::weighted_least_squares_coef(
      models::select_rows(design, rows), models::select_rows(data.y, rows),
      models::select_rows(weights, rows));
  return design * coef;
}

Estimate point_estimate(double value) {
  Estimate est;
  est.value = Eigen::VectorXd::Constant(1, value);
  return est;
}

}  // namespace sb::estimation::missing
