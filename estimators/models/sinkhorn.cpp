// Sinkhorn distances: Cuturi (2013), Sinkhorn distances: lightspeed computation of optimal transport, NeurIPS
#include "estimators/models/sinkhorn.h"

#include <cmath>

#include "harness/core/errors.h"

namespace sb::models {

namespace {
// -eps log sum_j w_j exp((h_j - c_j) / eps) for one row c of the cost.
double soft_min(const Eigen::Ref<const Eigen::RowVectorXd>& c, const Eigen::VectorXd& log_w, const Eigen::VectorXd& h,
                double eps) {
  double top = -INFINITY;
  for (Eigen::Index j = 0; j < c.size(); ++j) top = std::max(top, log_w(j) + (h(j) - c(j)) / eps);
  double sum = 0;
  for (Eigen::Index j = 0; j < c.size(); ++j) sum += std::exp(log_w(j) + (h(j) - c(j)) / eps - top);
  return -eps * (top + std::log(sum));
}
}  // namespace

SinkhornResult sinkhorn(const Eigen::VectorXd& a, const Eigen::VectorXd& b, const Eigen::MatrixXd& cost,
                        const SinkhornOptions& o) {
  SB_THROW_IF_NOT(InputError, cost.rows() == a.size() && cost.cols() == b.size() && a.size() > 0 && b.size() > 0,
                  "sinkhorn: cost is {} x {} for weights of sizes {} and {}", cost.rows(), cost.cols(), a.size(),
                  b.size());
  SB_THROW_IF_NOT(InputError, (a.array() > 0).all() && (b.array() > 0).all() && std::abs(a.sum() - 1) < 1e-9 &&
                                  std::abs(b.sum() - 1) < 1e-9 && o.epsilon > 0,
                  "sinkhorn: weights must be positive and sum to 1, epsilon ({}) > 0", o.epsilon);
  const Eigen::VectorXd log_a = a.array().log(), log_b = b.array().log();
  const Eigen::MatrixXd cost_t = cost.transpose();
  SinkhornResult r;
  r.f = Eigen::VectorXd::Zero(a.size());
  r.g = Eigen::VectorXd::Zero(b.size());
  auto plan = [&] {
    Eigen::MatrixXd p(a.size(), b.size());
    for (Eigen::Index i = 0; i < a.size(); ++i) {
      for (Eigen::Index j = 0; j < b.size(); ++j) {
        p(i, j) = std::exp(log_a(i) + log_b(j) + (r.f(i) + r.g(j) - cost(i, j)) / o.epsilon);
      }
    }
    return p;
  };
  for (r.iterations = 0; r.iterations < o.max_iterations; ++r.iterations) {
    for (Eigen::Index i = 0; i < a.size(); ++i) r.f(i) = soft_min(cost.row(i), log_b, r.g, o.epsilon);
    for (Eigen::Index j = 0; j < b.size(); ++j) r.g(j) = soft_min(cost_t.row(j), log_a, r.f, o.epsilon);
    // After the g update the columns match b exactly; check the rows.
    if ((r.iterations + 1) % 10 == 0 || r.iterations + 1 == o.max_iterations) {
      r.plan = plan();
      if ((r.plan.rowwise().sum() - a).cwiseAbs().sum() <= o.tolerance) {
        r.converged = true;
        ++r.iterations;
        break;
      }
    }
  }
  if (r.plan.size() == 0 || !r.converged) r.plan = plan();
  r.transport_cost = (r.plan.array() * cost.array()).sum();
  return r;
}

}  // namespace sb::models
