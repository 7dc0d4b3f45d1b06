// Scenario `lei2018-regression` (task interval): the regression simulations of
// Lei, G'Sell, Rinaldo, Tibshirani & Wasserman (2018), as the authors'
// sim.xy and sim.master (R package conformalInference) generate them, so that
// their published coverage and length can be reproduced in distribution.
#include <cmath>
#include <string>
#include <vector>

#include "benchmarks/estimation/estimation.h"
#include "benchmarks/estimation/lei2018_design.h"
#include "benchmarks/estimation/random.h"
#include "datasets/random.h"
#include "harness/core/errors.h"

namespace sb::estimation {
namespace {

// One replication draws N = n + n_test rows together (sim.master calls
// sim.xy(n + n0, ...)), in this order:
//   x       N x p: iid N(0, 1) (x_dist = normal), or for x_dist = mix each
//           column, with probability 1/3 each, N(0, 1), Bernoulli(1/2) or a
//           standardised skew-normal with shape 5;
//   auto    correlation = auto: lei2018::autocorrelate with k = 5;
//           then every column standardised to unit norm (lei2018::standardize_columns);
//   e       N errors: N(0, 1), or t2 divided by their own MAD (errors = t2);
//   mu      s of the p variables drawn without replacement, each with a sign
//           +-1 (bval = 1): mean = linear, mu = x beta; mean = additive, each
//           variable expanded into bs(x_j, df = 4) and the s chosen groups get
//           a sign per basis function, mu = B beta;
//   sd      variance = const: 1; variance = var: 1 + 2 |mu|^3 / mean(|mu|^3);
//   y       mu + sigma e sd (sigma = 1 in the paper; 0 shows mu alone).
// The mean is drawn after the errors, so a seed gives the same x, e and mu
// whatever sigma is.
// The first n rows train, the rest test. Columns of Data::x: the p variables
// and an intercept column (LAST), as the authors fit least squares with an
// intercept. No covariate shift: Data::propensity = 1/2 for every row (the
// weights of weighted conformal methods are 1). Truth = (level).
class Lei2018Regression : public Scenario {
 public:
  struct Params {
    std::int64_t n = 100;
    std::int64_t n_test = 100;
    std::int64_t p = 10;
    std::int64_t s = 10;
    std::string x_dist = "normal";
    std::string correlation = "none";
    std::string mean = "linear";
    std::string errors = "normal";
    std::string variance = "const";
    double sigma = 1.0;
    double level = 0.9;
  };
  explicit Lei2018Regression(const Params& params) : p_(params) {
    SB_THROW_IF_NOT(InputError, p_.s <= p_.p, "need s={} <= p={}", p_.s, p_.p);
    SB_THROW_IF_NOT(InputError, p_.n > p_.p + 1, "need n={} > p + 1 = {} for a least-squares fit", p_.n, p_.p + 1);
    // B-splines of a Bernoulli column are degenerate (its median is one of
    // its two values): the authors' own sim.xy notes bs() returning NaN there.
    SB_THROW_IF_NOT(InputError, !(p_.mean == "additive" && p_.x_dist == "mix"),
                    "mean=additive needs x_dist=normal (B-splines of a binary column are degenerate)");
  }

  std::string task() const override { return "interval"; }

  Data generate(std::uint64_t seed) const override {
    const Eigen::Index rows = p_.n + p_.n_test, p = p_.p;
    Rng rng(seed);
    StandardNormal normal;
    Uniform01 uniform;

    Eigen::MatrixXd x(rows, p);
    for (Eigen::Index j = 0; j < p; ++j) {
      const double u = p_.x_dist == "mix" ? uniform(rng) : 0.0;
      for (Eigen::Index i = 0; i < rows; ++i) {
        if (u <= 1.0 / 3) {
          x(i, j) = normal(rng);
        } else if (u <= 2.0 / 3) {
          x(i, j) = uniform(rng) < 0.5 ? 1.0 : 0.0;
        } else {
          x(i, j) = lei2018::standard_skew_normal(5.0, rng);
        }
      }
    }
    if (p_.correlation == "auto") lei2018::autocorrelate(x, 5, [&] { return uniform(rng); });
    lei2018::standardize_columns(x);

    Eigen::VectorXd e(rows);
    for (Eigen::Index i = 0; i < rows; ++i) e(i) = p_.errors == "t2" ? student_t(2, normal, rng) : normal(rng);
    if (p_.errors == "t2") e /= lei2018::r_mad(e);

    // s variables without replacement, each with a random sign per coefficient.
    const auto sign = [&] { return uniform(rng) < 0.5 ? -1.0 : 1.0; };
    Eigen::VectorXd mu = Eigen::VectorXd::Zero(rows);
    for (const Eigen::Index j : data::draw_without_replacement(p, p_.s, rng)) {
      if (p_.mean == "linear") {
        mu += sign() * x.col(j);
      } else {
        const Eigen::MatrixXd basis = lei2018::bspline_basis(x.col(j), kSplines);
        for (Eigen::Index b = 0; b < basis.cols(); ++b) mu += sign() * basis.col(b);
      }
    }

    Eigen::VectorXd sd = Eigen::VectorXd::Ones(rows);
    if (p_.variance == "var") {
      const Eigen::ArrayXd cubed = mu.array().abs().cube();
      sd = (1 + 2 * cubed / cubed.mean()).matrix();
    }
    const Eigen::VectorXd y = mu + p_.sigma * e.cwiseProduct(sd);

    Data data;
    data.task = task();
    data.level = p_.level;
    data.truth = Eigen::VectorXd::Constant(1, p_.level);
    Eigen::MatrixXd design(rows, p + 1);
    design << x, Eigen::VectorXd::Ones(rows);
    data.x = design.topRows(p_.n);
    data.y = y.head(p_.n);
    data.x_test = design.bottomRows(p_.n_test);
    data.y_test = y.tail(p_.n_test);
    data.propensity = Eigen::VectorXd::Constant(rows, 0.5);
    return data;
  }

 private:
  static constexpr int kSplines = 4;  // the authors' m: B-splines per variable
  Params p_;
};

}  // namespace
}  // namespace sb::estimation

SB_REGISTER_SCENARIO(sb::estimation::Lei2018Regression, "lei2018-regression")
    .describe("Lei et al. (2018) regression simulations (sim.xy): normal or mixed, optionally auto-correlated "
              "features; linear or additive B-spline mean; normal or t2 errors, constant or mean-dependent sd")
    .paper("Lei, G'Sell, Rinaldo, Tibshirani & Wasserman (2018), Distribution-free predictive inference for "
           "regression, JASA 113(523)")
    .tag("task:interval")
    .field(&sb::estimation::Lei2018Regression::Params::n, "n", 4, 10000000, "training rows")
    .field(&sb::estimation::Lei2018Regression::Params::n_test, "n_test", 1, 10000000, "test rows")
    .field(&sb::estimation::Lei2018Regression::Params::p, "p", 1, 1000, "number of features (an intercept is added)")
    .field(&sb::estimation::Lei2018Regression::Params::s, "s", 1, 1000, "number of features in the mean (<= p)")
    .field(&sb::estimation::Lei2018Regression::Params::x_dist, "x_dist", {"normal", "mix"},
           "features: iid N(0,1), or per column N(0,1) / Bernoulli(1/2) / skew-normal(5) with probability 1/3 each")
    .field(&sb::estimation::Lei2018Regression::Params::correlation, "correlation", {"none", "auto"},
           "auto: each column a random convex mix of itself and the 5 before it")
    .field(&sb::estimation::Lei2018Regression::Params::mean, "mean", {"linear", "additive"},
           "linear in x, or additive in 4 cubic B-splines per feature")
    .field(&sb::estimation::Lei2018Regression::Params::errors, "errors", {"normal", "t2"},
           "N(0,1), or Student t2 divided by its sample MAD")
    .field(&sb::estimation::Lei2018Regression::Params::variance, "variance", {"const", "var"},
           "error sd 1, or 1 + 2|mu|^3 / mean(|mu|^3)")
    .field(&sb::estimation::Lei2018Regression::Params::sigma, "sigma", 0.0, 100.0,
           "scale of the errors (1 in the paper; 0: y = mu)")
    .field(&sb::estimation::Lei2018Regression::Params::level, "level", 0.5, 0.99, "target coverage 1 - alpha");
