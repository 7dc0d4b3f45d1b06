// KNN-Shapley: Jia et al. (2019), Efficient task-specific data valuation for nearest neighbor algorithms, PVLDB 12(11)
#include "estimators/selection/knn_shapley.h"

#include "benchmarks/selection/selection.h"
#include "estimators/models/knn.h"
#include "harness/core/errors.h"

namespace sb::selection {

Eigen::VectorXd knn_shapley_values(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k) {
  SB_THROW_IF_NOT(InputError, k >= 1 && x_train.rows() >= 1 && x_test.rows() == y_test.size(),
                  "knn-shapley: k = {}, {} training rows, {} test rows with {} labels", k, x_train.rows(),
                  x_test.rows(), y_test.size());
  const Eigen::Index n = x_train.rows();
  Eigen::VectorXd total = Eigen::VectorXd::Zero(n);
  Eigen::VectorXd s(n);
  for (Eigen::Index t = 0; t < x_test.rows(); ++t) {
    const auto alpha = models::neighbours_by_distance(x_train, x_test.row(t).transpose());
    auto match = [&](Eigen::Index rank) {  // rank 1-based, nearest first
      return y_train(alpha[static_cast<size_t>(rank - 1)]) == y_test(t) ? 1.0 : 0.0;
    };
    // Theorem 1: s_N = 1[match_N] / N; s_i = s_{i+1} + (1[match_i] - 1[match_{i+1}]) / K * min(K, i) / i.
    double next = match(n) / static_cast<double>(n);
    s(alpha[static_cast<size_t>(n - 1)]) = next;
    for (Eigen::Index i = n - 1; i >= 1; --i) {
      next += (match(i) - match(i + 1)) / k * static_cast<double>(std::min<Eigen::Index>(k, i)) /
              static_cast<double>(i);
      s(alpha[static_cast<size_t>(i - 1)]) = next;
    }
    total += s;
  }
  return total / static_cast<double>(x_test.rows());
}

namespace {

class KnnShapley : public Valuer {
 public:
  struct Params {
    std::int64_t k = 10;
  };
  explicit KnnShapley(const Params& p) : k_(static_cast<int>(p.k)) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    return knn_shapley_values(ctx.data->train.x, ctx.data->train.y, ctx.data->valid.x, ctx.data->valid.y, k_);
  }

 private:
  int k_;
};

}  // namespace

SB_REGISTER_VALUER(KnnShapley, "knn-shapley")
    .describe("Exact Shapley values of the K-nearest-neighbour utility (Theorem 1's recursion), "
              "averaged over the validation rows; no model fit")
    .paper("Jia et al. (2019), Efficient task-specific data valuation for nearest neighbor algorithms, PVLDB 12(11)")
    .field(&KnnShapley::Params::k, "k", 1, 100000, "neighbours K");

}  // namespace sb::selection
