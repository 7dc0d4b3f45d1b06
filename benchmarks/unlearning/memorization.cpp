#include "benchmarks/unlearning/memorization.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

double margin_of(const Eigen::RowVectorXd& out, int label) {
  double other = -std::numeric_limits<double>::infinity();
  for (Eigen::Index c = 0; c < out.size(); ++c)
    if (c != label) other = std::max(other, out(c));
  return out(label) - other;
}

}  // namespace

Eigen::VectorXd label_margins(const Eigen::MatrixXd& z, const Eigen::VectorXi& y, const Eigen::MatrixXd& theta) {
  const Eigen::MatrixXd out = z * theta;
  Eigen::VectorXd m(z.rows());
  for (Eigen::Index i = 0; i < z.rows(); ++i) m(i) = margin_of(out.row(i), y(i));
  return m;
}

Eigen::VectorXd memorization_scores(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                    const Eigen::VectorXi& y, int num_classes, const std::string& loo) {
  SB_THROW_IF_NOT(InputError, loo == "exact" || loo == "influence",
                  "memorization: unknown leave-one-out '{}' (exact, influence)", loo);
  const Eigen::Index n = z.rows();
  const Eigen::MatrixXd theta = models::fit_linear(model, z, y, num_classes);
  const Eigen::VectorXd full = label_margins(z, y, theta);
  Eigen::VectorXd scores(n);
  if (loo == "exact") {
    for (Eigen::Index i = 0; i < n; ++i) {
      std::vector<Eigen::Index> keep;
      keep.reserve(static_cast<size_t>(n - 1));
      Eigen::VectorXi keep_y(n - 1);
      for (Eigen::Index j = 0; j < n; ++j)
        if (j != i) keep_y(static_cast<Eigen::Index>(keep.size())) = y(j), keep.push_back(j);
      const Eigen::MatrixXd without =
          models::fit_linear(model, models::select_rows(z, keep), keep_y, num_classes, theta);
      scores(i) = full(i) - margin_of(z.row(i) * without, y(i));
    }
    return scores;
  }
  // Influence: d loss_i / d outputs is r_i = p_i - e_{y_i} (squared: z_i theta - e_{y_i}),
  // so grad loss_i = z_i^T r_i, a (p+1) x k matrix; theta_{-i} = theta + H^{-1} grad loss_i.
  Eigen::MatrixXd residual = models::linear_predictions(model, z, theta);
  for (Eigen::Index i = 0; i < n; ++i) residual(i, y(i)) -= 1.0;
  const Eigen::Index rows = theta.rows(), cols = theta.cols(), size = theta.size();
  if (size <= 3000) {  // one factorisation, every row's step as one block of right-hand sides
    const Eigen::LLT<Eigen::MatrixXd> llt(models::linear_hessian(model, z, theta));
    SB_THROW_IF_NOT(MethodError, llt.info() == Eigen::Success, "memorization: the Hessian is not positive definite");
    Eigen::MatrixXd gradients(size, n);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::MatrixXd g = z.row(i).transpose() * residual.row(i);
      gradients.col(i) = Eigen::Map<const Eigen::VectorXd>(g.data(), size);
    }
    const Eigen::MatrixXd steps = llt.solve(gradients);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::MatrixXd without = theta + Eigen::Map<const Eigen::MatrixXd>(steps.col(i).data(), rows, cols);
      scores(i) = full(i) - margin_of(z.row(i) * without, y(i));
    }
  } else {  // conjugate gradients per row
    for (Eigen::Index i = 0; i < n; ++i) {
      const Eigen::MatrixXd g = z.row(i).transpose() * residual.row(i);
      const Eigen::MatrixXd without = theta + models::solve_linear_hessian(model, z, theta, g);
      scores(i) = full(i) - margin_of(z.row(i) * without, y(i));
    }
  }
  return scores;
}

std::vector<Eigen::Index> high_memorization_forget_set(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                                       const Eigen::VectorXi& y, int num_classes, Eigen::Index size,
                                                       const std::string& loo) {
  const Eigen::Index n = z.rows();
  SB_THROW_IF_NOT(InputError, size >= 1 && size < n,
                  "high-memorization forget set: size {} of {} rows (must be in [1, n))", size, n);
  const Eigen::VectorXd scores = memorization_scores(model, z, y, num_classes, loo);
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return scores(a) > scores(b); });
  order.resize(static_cast<size_t>(size));
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace sb::unlearning
