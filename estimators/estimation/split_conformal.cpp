// Paper: Lei, G'Sell, Rinaldo, Tibshirani & Wasserman (2018), Distribution-free predictive inference for regression, JASA 113(523)
#include <cmath>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// Split conformal prediction on a least-squares fit: fit on a seeded
// fit_fraction of the training rows, score |y - yhat| on the others, and
// return yhat(x) +- the ceil((n_cal + 1)(1 - alpha))-th smallest score.
// Throws when the calibration set is too small for a finite interval.
class SplitConformal : public Estimator {
 public:
  struct Params { double fit_fraction = 0.5; };
  explicit SplitConformal(const Params& p) : fit_fraction_(p.fit_fraction) {}

  Estimate estimate(const Data& data, std::uint64_t seed) const override {
    robust::check_interval_data(data);
    const auto split = robust::split_rows(static_cast<std::size_t>(data.x.rows()), fit_fraction_,
                                          static_cast<std::size_t>(data.x.cols()), seed);
    const Eigen::VectorXd beta = models::least_squares_coef(models::select_rows(data.x, split.fit),
                                                       models::select_rows(data.y, split.fit));
    std::vector<double> scores;
    scores.reserve(split.calibration.size());
    for (Eigen::Index i : split.calibration) {
      scores.push_back(std::abs(data.y(i) - data.x.row(i).dot(beta)));
    }
    const double q = robust::conformal_quantile(std::move(scores), 1 - data.level);
    const Eigen::VectorXd fitted = data.x_test * beta;
    Estimate est;
    est.lower = fitted.array() - q;
    est.upper = fitted.array() + q;
    return est;
  }

 private:
  double fit_fraction_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::SplitConformal, "split-conformal")
    .describe("Split conformal intervals around a least-squares fit (absolute residual scores)")
    .paper("Lei et al. (2018), Distribution-free predictive inference for regression, JASA 113(523)")
    .tag("task:interval")
    .field(&sb::estimation::SplitConformal::Params::fit_fraction, "fit_fraction", 0.05, 0.95, "fraction of training rows used to fit the model");
