// The pieces of Lei, G'Sell, Rinaldo, Tibshirani & Wasserman's (2018)
// regression simulations (the authors' sim.xy in their R package
// conformalInference) that the `lei2018-regression` scenario assembles, kept
// apart so that each is tested on its own against a hand computation or an
// independent library.
#pragma once

#include <Eigen/Dense>

#include <functional>

#include "benchmarks/estimation/random.h"

namespace sb::estimation::lei2018 {

// A standardised skew-normal draw (mean 0, variance 1) of shape alpha:
// Z = delta |U0| + sqrt(1 - delta^2) U1 with delta = alpha / sqrt(1 + alpha^2)
// is SN(0, 1, alpha) (Azzalini 1985); it is centred by delta sqrt(2/pi) and
// scaled by sqrt(1 - 2 delta^2 / pi), as the authors' rsnorm does.
double standard_skew_normal(double alpha, Rng& rng);

// R's mad(): 1.4826 x the median of |v - median(v)| (medians average the two
// middle values for an even count). v must not be empty.
double r_mad(const Eigen::VectorXd& v);

// The authors' "auto" correlation (cor = "auto"): for j = 1..p in turn,
// column j becomes mean_i(w_i x_i) over columns max(1, j - k)..j -- the
// earlier ones already replaced -- with weights w = u / sum(u), u one
// uniform(0, 1) per column taken from `uniform` in column order.
void autocorrelate(Eigen::MatrixXd& x, int k, const std::function<double()>& uniform);

// R's scale(x, TRUE, TRUE) / sqrt(nrow - 1): each column centred and divided
// by its sd (divisor nrow - 1) and by sqrt(nrow - 1), so that it has unit
// norm. A constant column (sd 0; R would give NaN) becomes 0.
void standardize_columns(Eigen::MatrixXd& x);

// R's splines::bs(x, df = m) (degree 3, no intercept): the m B-splines of
// order 4 on the knots (a, a, a, a, q_1, ..., q_{m-3}, b, b, b, b), a and b
// the range of x and q the sample quantiles (type 7) at 1/(m-2), ...,
// (m-3)/(m-2), without the first (the basis minus its intercept). Rows of x,
// m columns; at x = b the limit from the left (the last B-spline is 1).
// Requires m >= 3 and a < b.
Eigen::MatrixXd bspline_basis(const Eigen::VectorXd& x, int m);

}  // namespace sb::estimation::lei2018
