#include "estimators/estimation/causal_common.h"

#include <cmath>
#include <utility>

#include "estimators/estimation/robust_common.h"
#include "harness/core/errors.h"

namespace sb::estimation::causal {

Estimate normal_estimate(double value, double se) {
  Estimate est;
  est.value = Eigen::VectorXd::Constant(1, value);
  robust::set_normal_ci(est, value, se);
  return est;
}

void check_binary(const Eigen::VectorXd& binary, Eigen::Index n, int min_per_group,
                  const std::string& what, const std::string& method) {
  SB_THROW_IF_NOT(MethodError, binary.size() == n, "{}: {} has {} entries for {} units", method,
                  what, binary.size(), n);
  const Eigen::Index not_binary = models::first_non_binary(binary);
  SB_THROW_IF_NOT(MethodError, not_binary < 0, "{}: {} of unit {} is {} (expected 0 or 1)", method,
                  what, not_binary, binary(not_binary));
  Eigen::Index ones = 0;
  for (Eigen::Index i = 0; i < n; ++i) ones += binary(i) == 1.0;
  SB_THROW_IF_NOT(MethodError, ones >= min_per_group && n - ones >= min_per_group,
                  "{}: {} has {} ones and {} zeros (need at least {} of each)", method, what, ones,
                  n - ones, min_per_group);
}

void check_ate_data(const Data& data, const std::string& method) {
  const Eigen::Index n = data.y.size();
  SB_THROW_IF_NOT(MethodError, data.x.rows() == n || data.x.size() == 0,
                  "{}: x has {} rows for {} outcomes", method, data.x.rows(), n);
  SB_THROW_IF_NOT(MethodError, data.y.allFinite(), "{}: non-finite outcomes", method);
  check_binary(data.treatment, n, 2, "treatment", method);
}

const Eigen::MatrixXd& propensity_covariates(const Data& data) {
  return data.x_propensity.size() > 0 ? data.x_propensity : data.x;
}

std::vector<Eigen::Index> rows_where(const Eigen::VectorXd& v, double value) {
  // Branch-free compaction (every index is written, only matches advance).
  std::vector<Eigen::Index> rows(static_cast<size_t>(v.size()));
  size_t count = 0;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    rows[count] = i;
    count += v(i) == value;
  }
  rows.resize(count);
  return rows;
}

std::vector<Eigen::Index> all_rows(Eigen::Index n) {
  std::vector<Eigen::Index> rows(static_cast<size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) rows[static_cast<size_t>(i)] = i;
  return rows;
}

double mean(const Eigen::VectorXd& v) { return v.mean(); }

double sample_variance(const Eigen::VectorXd& v) {
  SB_THROW_IF_NOT(MethodError, v.size() >= 2, "sample variance of {} values", v.size());
  return (v.array() - v.mean()).square().sum() / static_cast<double>(v.size() - 1);
}

double influence_se(const Eigen::VectorXd& phi) {
  return std::sqrt(sample_variance(phi) / static_cast<double>(phi.size()));
}

MeanDifference difference_in_means(const Eigen::VectorXd& y, const Eigen::VectorXd& t) {
  const Eigen::VectorXd y1 = models::select_rows(y, rows_where(t, 1.0));
  const Eigen::VectorXd y0 = models::select_rows(y, rows_where(t, 0.0));
  SB_THROW_IF_NOT(MethodError, y1.size() >= 2 && y0.size() >= 2,
                  "difference in means needs 2 units per arm ({} treated, {} control)", y1.size(),
                  y0.size());
  MeanDifference out;
  out.value = y1.mean() - y0.mean();
  out.se = std::sqrt(sample_variance(y1) / static_cast<double>(y1.size()) +
                     sample_variance(y0) / static_cast<double>(y0.size()));
  return out;
}

PropensityScores propensity_scores(const Eigen::MatrixXd& x, const Eigen::VectorXd& group,
                                   const Eigen::VectorXd& true_scores, bool use_true,
                                   const std::string& method, bool with_information) {
  const Eigen::Index n = group.size();
  PropensityScores ps;
  if (use_true) {
    SB_THROW_IF_NOT(MethodError, true_scores.size() == n,
                    "{}: propensity = true but the data carry {} true scores for {} units", method,
                    true_scores.size(), n);
    ps.score = true_scores;
  } else {
    SB_THROW_IF_NOT(MethodError, x.rows() == n || x.size() == 0,
                    "{}: propensity covariates have {} rows for {} units", method, x.rows(), n);
    ps.design = models::add_intercept(x.size() == 0 ? Eigen::MatrixXd(n, 0) : x);
    const models::LogisticFit fit = models::fit_logistic(ps.design, group);
    ps.score = fit.probability;
    ps.fitted = true;
  }
  if (ps.fitted && with_information) {
    const Eigen::VectorXd w = ps.score.array() * (1.0 - ps.score.array());
    const Eigen::MatrixXd information = models::weighted_gram(ps.design, w) / static_cast<double>(n);
    ps.information_inverse = information.ldlt().solve(
        Eigen::MatrixXd::Identity(information.rows(), information.cols()));
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    SB_THROW_IF_NOT(MethodError, ps.score(i) > 0.0 && ps.score(i) < 1.0,
                    "{}: propensity of unit {} is {} (must lie strictly in (0, 1))", method, i,
                    ps.score(i));
  }
  return ps;
}

Eigen::VectorXd propensity_correction(const PropensityScores& ps, const Eigen::VectorXd& group,
                                      const Eigen::VectorXd& h) {
  const Eigen::Index n = group.size();
  if (!ps.fitted) return Eigen::VectorXd::Zero(n);
  SB_THROW_IF_NOT(InternalError, ps.information_inverse.rows() == ps.design.cols(),
                  "propensity correction of scores fitted without their information matrix");
  const Eigen::VectorXd a = ps.information_inverse * h;  // I^{-1} h (I symmetric)
  const Eigen::VectorXd residual = group - ps.score;
  return (ps.design * a).cwiseProduct(residual);
}

namespace {

// OLS coefficients of y on [1, x] over `fit_rows`, and that design.
std::pair<Eigen::VectorXd, Eigen::MatrixXd> regression_fit(const Eigen::MatrixXd& x,
                                                           const Eigen::VectorXd& y,
                                                           const std::vector<Eigen::Index>& fit_rows) {
  const Eigen::Index n = y.size();
  Eigen::MatrixXd design = models::add_intercept(x.size() == 0 ? Eigen::MatrixXd(n, 0) : x);
  Eigen::VectorXd coef = models::least_squares_coef(models::select_rows(design, fit_rows),
                                                    models::select_rows(y, fit_rows));
  return {std::move(coef), std::move(design)};
}

}  // namespace

Eigen::VectorXd regression_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                   const std::vector<Eigen::Index>& fit_rows,
                                   const std::vector<Eigen::Index>& predict_rows) {
  const auto [coef, design] = regression_fit(x, y, fit_rows);
  return models::select_rows(design, predict_rows) * coef;
}

Eigen::VectorXd regression_predict(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                   const std::vector<Eigen::Index>& fit_rows) {
  const auto [coef, design] = regression_fit(x, y, fit_rows);
  return design * coef;
}

}  // namespace sb::estimation::causal
