// Paper: Vovk, Gammerman & Shafer (2005), Algorithmic Learning in a Random World; Lei et al. (2018), JASA 113(523)
#include <algorithm>
#include <cmath>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "estimators/estimation/conformal_common.h"
#include "estimators/models/linear.h"

namespace sb::estimation {
namespace {

// Full conformal prediction around least squares over a grid of trial
// values, as the authors' R package conformalInference computes it
// (conformal.pred with lm.funs, in the version behind Lei et al.'s 2018
// tables): for each test point x0 and trial value t on grid_points equally
// spaced values from min(y) - f rg to max(y) + f rg (rg = max(y) - min(y),
// f = grid_factor), refit on the n + 1 rows (x0, t) included, and take the
// p-value #{i <= n + 1 : r_{n+1} <= r_i} / (n + 1) of the absolute residuals.
// The interval runs from the first to the last trial value with p-value >=
// alpha, each end moved by linear interpolation of the p-values to the
// crossing of alpha (not past the grid's ends); [0, 0] when no trial value
// is accepted, as the package returns. The refits are not redone: with
// M = (X'X + x0 x0')^-1 (Sherman-Morrison from G = (X'X)^-1) the residuals are
// a + t b, a those of (y, 0) and b those of the unit vector e_{n+1}.
class FullConformal : public Estimator {
 public:
  struct Params {
    std::int64_t grid_points = 100;
    double grid_factor = 0.25;
  };
  explicit FullConformal(const Params& p) : grid_points_(p.grid_points), grid_factor_(p.grid_factor) {}

  Estimate estimate(const Data& data, std::uint64_t) const override {
    robust::check_interval_data(data);
    const Eigen::Index n = data.x.rows();
    const double alpha = 1 - data.level;
    // (X'X)^-1 from the QR factor (better conditioned than inverting X'X)
    // and the fit on the n rows, G X'y.
    const models::LeastSquaresFit fit = models::fit_least_squares(data.x, data.y, /*with_leverage=*/false);
    const Eigen::MatrixXd& gram_inverse = fit.xtwx_inverse;
    const double y_min = data.y.minCoeff(), y_max = data.y.maxCoeff(), range = y_max - y_min;
    SB_THROW_IF_NOT(MethodError, range > 0, "full conformal spans its grid by the range of y, which is 0 (y = {})",
                    y_min);
    std::vector<double> grid(static_cast<std::size_t>(grid_points_));
    for (std::size_t j = 0; j < grid.size(); ++j) {
      grid[j] = y_min - grid_factor_ * range +
                (range + 2 * grid_factor_ * range) * static_cast<double>(j) / static_cast<double>(grid.size() - 1);
    }
    Estimate est;
    est.lower.resize(data.x_test.rows());
    est.upper.resize(data.x_test.rows());
    Eigen::VectorXd a(n + 1), b(n + 1);
    std::vector<double> p_values(grid.size());
    for (Eigen::Index k = 0; k < data.x_test.rows(); ++k) {
      const Eigen::VectorXd x0 = data.x_test.row(k).transpose();
      const Eigen::VectorXd g_x0 = gram_inverse * x0;
      const double denominator = 1 + x0.dot(g_x0);
      // M v = G v - G x0 (x0' G v) / (1 + x0' G x0); M X'y = beta - G x0 (x0' beta) / (1 + x0' G x0).
      const Eigen::VectorXd beta_a = fit.coef - g_x0 * (x0.dot(fit.coef) / denominator);
      const Eigen::VectorXd beta_b = g_x0 / denominator;  // M x0
      a.head(n) = data.y - data.x * beta_a;
      a(n) = -x0.dot(beta_a);
      b.head(n) = -data.x * beta_b;
      b(n) = 1 - x0.dot(beta_b);
      for (std::size_t j = 0; j < grid.size(); ++j) {
        const double own = std::abs(a(n) + grid[j] * b(n));
        // The trial point counts itself (r_{n+1} <= r_{n+1}).
        const Eigen::Index at_least = 1 + ((a.head(n).array() + grid[j] * b.head(n).array()).abs() >= own).count();
        p_values[j] = static_cast<double>(at_least) / static_cast<double>(n + 1);
      }
      const auto [lo, hi] = accepted_interval(grid, p_values, alpha);
      est.lower(k) = lo;
      est.upper(k) = hi;
    }
    return est;
  }

 private:
  // conformalInference's grid.interval(method = "linear").
  static std::pair<double, double> accepted_interval(const std::vector<double>& grid, const std::vector<double>& p,
                                                     double alpha) {
    std::size_t first = grid.size(), last = 0;
    for (std::size_t j = 0; j < grid.size(); ++j) {
      if (p[j] < alpha) continue;
      first = std::min(first, j);
      last = j;
    }
    if (first == grid.size()) return {0.0, 0.0};
    auto crossing = [&](std::size_t below, std::size_t above) {
      const double slope = (p[above] - p[below]) / (grid[above] - grid[below]);
      return grid[below] + (alpha - p[below]) / slope;
    };
    const double lo = first == 0 ? grid[0] : crossing(first - 1, first);
    const double hi = last + 1 == grid.size() ? grid[last] : crossing(last, last + 1);
    return {lo, hi};
  }

  std::int64_t grid_points_;
  double grid_factor_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_ESTIMATOR(sb::estimation::FullConformal, "full-conformal")
    .describe(
        "Full conformal intervals around least squares over a grid of trial values (conformalInference's "
        "conformal.pred)")
    .paper("Vovk, Gammerman & Shafer (2005), Algorithmic Learning in a Random World; Lei et al. (2018), JASA 113(523)")
    .tag("task:interval")
    .field(&sb::estimation::FullConformal::Params::grid_points, "grid_points", 2, 10000, "number of trial values")
    .field(&sb::estimation::FullConformal::Params::grid_factor, "grid_factor", 0.0, 100.0,
           "the grid spans min(y) - f rg to max(y) + f rg, rg the range of y");
