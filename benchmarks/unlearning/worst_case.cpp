#include "benchmarks/unlearning/worst_case.h"

#include <algorithm>
#include <numeric>

#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

std::vector<Eigen::Index> complement(Eigen::Index n, const std::vector<char>& removed) {
  std::vector<Eigen::Index> out;
  for (Eigen::Index i = 0; i < n; ++i)
    if (!removed[static_cast<size_t>(i)]) out.push_back(i);
  return out;
}

Eigen::VectorXi labels_of(const Eigen::VectorXi& y, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXi out(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = y(rows[i]);
  return out;
}

// ||grad loss_i(theta)||_F = ||z_i|| * ||d loss_i / d outputs|| for every row
// (softmax: p_i - e_{y_i}; squared: z_i theta - e_{y_i}).
Eigen::VectorXd example_gradient_norms(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                       const Eigen::VectorXi& y, const Eigen::MatrixXd& theta) {
  Eigen::MatrixXd residual = models::linear_predictions(model, z, theta);
  for (Eigen::Index i = 0; i < z.rows(); ++i) residual(i, y(i)) -= 1.0;
  return z.rowwise().norm().cwiseProduct(residual.rowwise().norm());
}

}  // namespace

double retrain_gap(const models::PenalizedLinear& model, const Eigen::MatrixXd& z, const Eigen::VectorXi& y,
                   int num_classes, const std::vector<Eigen::Index>& forget) {
  std::vector<char> removed(static_cast<size_t>(z.rows()), 0);
  for (auto i : forget) removed[static_cast<size_t>(i)] = 1;
  const auto retain = complement(z.rows(), removed);
  const Eigen::MatrixXd full = models::fit_linear(model, z, y, num_classes);
  const Eigen::MatrixXd part =
      models::fit_linear(model, models::select_rows(z, retain), labels_of(y, retain), num_classes);
  return (part - full).norm();
}

WorstCaseForgetSet worst_case_forget_set(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                         const Eigen::VectorXi& y, int num_classes, Eigen::Index size,
                                         Eigen::Index pool) {
  const Eigen::Index n = z.rows();
  SB_THROW_IF_NOT(InputError, size >= 1 && size < n, "worst-case forget set: size {} of {} rows (must be in [1, n))",
                  size, n);
  SB_THROW_IF_NOT(InputError, pool >= 0, "worst-case forget set: pool = {} must be >= 0", pool);
  WorstCaseForgetSet out;
  out.original = models::fit_linear(model, z, y, num_classes);
  out.retrained = out.original;
  std::vector<char> removed(static_cast<size_t>(n), 0);
  for (Eigen::Index step = 0; step < size; ++step) {
    const auto retain = complement(n, removed);
    const Eigen::MatrixXd retain_z = models::select_rows(z, retain);
    const Eigen::VectorXi retain_y = labels_of(y, retain);
    // Candidates as positions in `retain`.
    std::vector<Eigen::Index> candidates(retain.size());
    std::iota(candidates.begin(), candidates.end(), Eigen::Index{0});
    if (pool > 0 && pool < static_cast<Eigen::Index>(candidates.size())) {
      const Eigen::VectorXd norms = example_gradient_norms(model, retain_z, retain_y, out.retrained);
      std::stable_sort(candidates.begin(), candidates.end(),
                       [&](Eigen::Index a, Eigen::Index b) { return norms(a) > norms(b); });
      candidates.resize(static_cast<size_t>(pool));
      std::sort(candidates.begin(), candidates.end());
    }
    Eigen::Index best = -1;
    double best_gap = -1;
    Eigen::MatrixXd best_theta;
    for (const Eigen::Index c : candidates) {
      std::vector<Eigen::Index> keep;
      keep.reserve(retain.size() - 1);
      for (Eigen::Index j = 0; j < static_cast<Eigen::Index>(retain.size()); ++j)
        if (j != c) keep.push_back(j);
      Eigen::MatrixXd theta = models::fit_linear(model, models::select_rows(retain_z, keep),
                                                 labels_of(retain_y, keep), num_classes, out.retrained);
      const double gap = (theta - out.original).norm();
      if (gap > best_gap) best = c, best_gap = gap, best_theta = std::move(theta);  // ties: the lower row
    }
    removed[static_cast<size_t>(retain[static_cast<size_t>(best)])] = 1;
    out.retrained = std::move(best_theta);
    out.gap = best_gap;
  }
  for (Eigen::Index i = 0; i < n; ++i)
    if (removed[static_cast<size_t>(i)]) out.forget.push_back(i);
  return out;
}

}  // namespace sb::unlearning
