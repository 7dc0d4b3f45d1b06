// Ridge regression: Hoerl & Kennard (1970), Technometrics 12(1); leave-one-out by Sherman-Morrison
#include "estimators/models/ridge.h"

#include "harness/core/errors.h"

namespace sb::models {

namespace {
// (Z^T Z + P) with Z = [1, X], P = diag(0, lambda I).
Eigen::MatrixXd penalised_gram(const Eigen::MatrixXd& z, double lambda) {
  Eigen::MatrixXd g = z.transpose() * z;
  g.diagonal().tail(z.cols() - 1).array() += lambda;
  return g;
}

Eigen::MatrixXd with_intercept(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd z(x.rows(), x.cols() + 1);
  z << Eigen::VectorXd::Ones(x.rows()), x;
  return z;
}

void check(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) {
  SB_THROW_IF_NOT(InputError, x.rows() >= 1 && x.rows() == y.size(), "ridge: {} rows but {} responses",
                  x.rows(), y.size());
  SB_THROW_IF_NOT(InputError, lambda >= 0, "ridge: lambda = {} must be >= 0", lambda);
}
}  // namespace

RidgeFit fit_ridge(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) {
  check(x, y, lambda);
  const Eigen::RowVectorXd mean = x.colwise().mean();
  const Eigen::MatrixXd xc = x.rowwise() - mean;
  const double y_mean = y.mean();
  Eigen::MatrixXd g = xc.transpose() * xc;
  g.diagonal().array() += lambda;
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(g);
  SB_THROW_IF_NOT(MethodError, ldlt.info() == Eigen::Success && ldlt.isPositive() &&
                                   (ldlt.vectorD().array() > 0).all(),
                  "ridge: X^T X + lambda I is singular (lambda = {})", lambda);
  RidgeFit fit;
  fit.coef = ldlt.solve(xc.transpose() * (y.array() - y_mean).matrix());
  fit.intercept = y_mean - mean.dot(fit.coef);
  return fit;
}

Eigen::VectorXd ridge_loo_predictions(const Eigen::MatrixXd& x, const Eigen::VectorXd& y,
                                      double lambda) {
  check(x, y, lambda);
  const Eigen::MatrixXd z = with_intercept(x);
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(penalised_gram(z, lambda));
  const Eigen::MatrixXd solved = ldlt.solve(z.transpose());  // (p+1) x n
  const Eigen::VectorXd fitted = z * ldlt.solve(z.transpose() * y);
  Eigen::VectorXd out(x.rows());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const double leverage = z.row(i).dot(solved.col(i));
    SB_THROW_IF_NOT(MethodError, leverage < 1, "ridge LOO: row {} has leverage {} (>= 1)", i, leverage);
    out(i) = y(i) - (y(i) - fitted(i)) / (1 - leverage);
  }
  return out;
}

RidgeSystem::RidgeSystem(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, double lambda) : x_(x), y_(y) {
  check(x, y, lambda);
  const Eigen::MatrixXd z = with_intercept(x);
  ldlt_.compute(penalised_gram(z, lambda));
  SB_THROW_IF_NOT(MethodError, ldlt_.info() == Eigen::Success && (ldlt_.vectorD().array() > 0).all(),
                  "ridge: Z^T Z + P is singular (lambda = {})", lambda);
  theta_ = ldlt_.solve(z.transpose() * y);
  residual_ = y - z * theta_;
}

Eigen::VectorXd RidgeSystem::z(Eigen::Index row) const {
  Eigen::VectorXd out(x_.cols() + 1);
  out << 1.0, x_.row(row).transpose();
  return out;
}

Eigen::VectorXd RidgeSystem::without(const std::vector<Eigen::Index>& rows) const {
  const auto k = static_cast<Eigen::Index>(rows.size());
  if (k == 0) return theta_;
  Eigen::MatrixXd zs(x_.cols() + 1, k);  // Z_S^T
  Eigen::VectorXd rs(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    SB_THROW_IF_NOT(InputError, rows[static_cast<size_t>(j)] >= 0 && rows[static_cast<size_t>(j)] < x_.rows(),
                    "ridge: row {} out of range (n = {})", rows[static_cast<size_t>(j)], x_.rows());
    zs.col(j) = z(rows[static_cast<size_t>(j)]);
    rs(j) = residual_(rows[static_cast<size_t>(j)]);
  }
  const Eigen::MatrixXd solved = ldlt_.solve(zs);  // A^{-1} Z_S^T
  Eigen::MatrixXd inner = -zs.transpose() * solved;  // -(Z_S A^{-1} Z_S^T)
  inner.diagonal().array() += 1.0;
  const Eigen::LDLT<Eigen::MatrixXd> small(inner);
  SB_THROW_IF_NOT(MethodError, small.info() == Eigen::Success && (small.vectorD().array() > 0).all(),
                  "ridge: removing {} rows leaves the system singular", k);
  return theta_ - solved * small.solve(rs);
}

}  // namespace sb::models
