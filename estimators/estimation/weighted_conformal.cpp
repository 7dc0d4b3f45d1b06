// Paper: Tibshirani, Foygel Barber, Candes & Ramdas (2019), Conformal prediction under covariate shift, NeurIPS 32
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// Weighted split conformal under covariate shift with the scenario's true
// likelihood ratio w(x) = dP_test/dP_train(x). For the interval task,
// Data::propensity holds P(test | x) in a balanced train/test mixture for the
// training rows followed by the test rows, so w = p / (1 - p). Scores
// V_i = |y_i - yhat(x_i)| on the calibration rows (least-squares fit on the
// others); for a test point x, q(x) is the (1 - alpha) quantile of
// sum_i p_i(x) delta_{V_i} + p_{n+1}(x) delta_{+inf}, p_i(x) = w(x_i) / (sum_j
// w(x_j) + w(x)), and the interval is yhat(x) +- q(x) (infinite when the
// point mass at +inf is needed).
class WeightedConformal : public Estimator {
 public:
  struct Params { double fit_fraction = 0.5; };
  explicit WeightedConformal(const Params& p) : fit_fraction_(p.fit_fraction) {}

  Estimate estimate(const Data& data, std::uint64_t seed) const override {
    const auto n = data.x.rows(), n_test = data.x_test.rows();
    robust::check_interval_data(data);
    SB_THROW_IF_NOT(MethodError, data.propensity.size() == n + n_test,
                    "weighted conformal needs P(test|x) for the {} training and {} test rows "
                    "(Data::propensity has {})",
                    n, n_test, data.propensity.size());
    const double alpha = 1 - data.level;
    const auto split = robust::split_rows(static_cast<std::size_t>(n), fit_fraction_,
                                          static_cast<std::size_t>(data.x.cols()), seed);
    const Eigen::VectorXd beta = models::least_squares_coef(models::select_rows(data.x, split.fit),
                                                       models::select_rows(data.y, split.fit));
    // Calibration scores sorted, with their weights and prefix sums.
    std::vector<std::pair<double, double>> scored;
    for (Eigen::Index i : split.calibration) {
      scored.emplace_back(std::abs(data.y(i) - data.x.row(i).dot(beta)), ratio(data.propensity(i)));
    }
    std::sort(scored.begin(), scored.end());
    std::vector<double> prefix(scored.size());
    double total = 0;
    for (std::size_t k = 0; k < scored.size(); ++k) prefix[k] = (total += scored[k].second);
    const Eigen::VectorXd fitted = data.x_test * beta;
    Estimate est;
    est.lower.resize(n_test);
    est.upper.resize(n_test);
    const double inf = std::numeric_limits<double>::infinity();
    for (Eigen::Index t = 0; t < n_test; ++t) {
      const double target = (1 - alpha) * (total + ratio(data.propensity(n + t)));
      // First score whose cumulative weight reaches the target.
      const auto it = std::lower_bound(prefix.begin(), prefix.end(), target);
      const double q = it == prefix.end() ? inf : scored[static_cast<std::size_t>(it - prefix.begin())].first;
      est.lower(t) = fitted(t) - q;
      est.upper(t) = fitted(t) + q;
    }
    return est;
  }

 private:
  // p = 1 (a likelihood ratio beyond ~1e16, rounded) is an infinite weight:
  // such a test point gets an infinite interval.
  static double ratio(double p) {
    SB_THROW_IF_NOT(MethodError, p >= 0 && p <= 1, "P(test|x)={} outside [0, 1]", p);
    return p < 1 ? p / (1 - p) : std::numeric_limits<double>::infinity();
  }

  double fit_fraction_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::WeightedConformal, "weighted-conformal")
    .describe("Weighted split conformal with the true covariate-shift likelihood ratio")
    .paper("Tibshirani, Foygel Barber, Candes & Ramdas (2019), Conformal prediction under covariate shift, NeurIPS 32")
    .tag("task:interval")
    .field(&sb::estimation::WeightedConformal::Params::fit_fraction, "fit_fraction", 0.05, 0.95, "fraction of training rows used to fit the model");
