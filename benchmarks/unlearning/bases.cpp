// The unlearning suite's base-model families (linear, kNN, MLP): their
// options, fits on a set of training rows and predictions; and the views of
// a replication under successive requests (docs/UNLEARNING.md).
#include <algorithm>
#include <cmath>

#include "benchmarks/unlearning/protocol.h"
#include "estimators/models/knn_votes.h"
#include "estimators/models/linear.h"
#include "estimators/models/sgd_mlp_regression.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::unlearning {
namespace {

Eigen::MatrixXd rows_of(const Eigen::MatrixXd& z, const std::vector<Eigen::Index>& rows) {
  return models::select_rows(z, rows);
}
Eigen::VectorXi labels_of(const Eigen::VectorXi& y, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXi out(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = y(rows[i]);
  return out;
}

}  // namespace

const char* base_name(BaseKind kind) {
  switch (kind) {
    case BaseKind::kLinear: return "linear (logistic or ridge)";
    case BaseKind::kKnn: return "knn";
    case BaseKind::kMlp: return "mlp";
  }
  return "?";
}

BaseSpec base_spec(const CommonParams& c, int inputs, int num_classes) {
  BaseSpec b;
  b.kind = c.model == "knn" ? BaseKind::kKnn : c.model == "mlp" ? BaseKind::kMlp : BaseKind::kLinear;
  b.knn_k = static_cast<int>(c.knn_k);
  // A regression network (num_classes 0) has one output unit.
  b.mlp_shape = {inputs, static_cast<int>(c.mlp_hidden), static_cast<int>(c.mlp_layers), std::max(1, num_classes)};
  b.mlp_options = {c.mlp_epochs, c.mlp_batch_size, c.mlp_learning_rate, c.mlp_l2};
  return b;
}

std::uint64_t mlp_seed(std::uint64_t seed) { return derive_seed(seed, "unlearning/mlp"); }

Eigen::MatrixXd fit_base(const UnlearningContext& ctx, const std::vector<Eigen::Index>& rows, std::uint64_t seed) {
  const UnlearningData& d = *ctx.data;
  switch (ctx.base.kind) {
    case BaseKind::kKnn: {
      Eigen::MatrixXd index(static_cast<Eigen::Index>(rows.size()), 1);
      for (size_t i = 0; i < rows.size(); ++i) index(static_cast<Eigen::Index>(i)) = static_cast<double>(rows[i]);
      return index;
    }
    case BaseKind::kMlp:
      if (d.regression())
        return models::sgd_mlp_train_regression(ctx.base.mlp_shape, mlp_inputs(rows_of(d.train_z, rows)),
                                                models::select_rows(d.train.target, rows), ctx.base.mlp_options, seed);
      return models::sgd_mlp_train(ctx.base.mlp_shape, mlp_inputs(rows_of(d.train_z, rows)),
                                   labels_of(d.train.y, rows), ctx.base.mlp_options, seed);
    case BaseKind::kLinear: break;
  }
  return fit_linear(ctx.model, select_linear_rows(d.train_rows(), rows).view(), d.num_classes);
}

void select_parts(UnlearningData& d) {
  d.forget_z = rows_of(d.train_z, d.forget);
  d.retain_z = rows_of(d.train_z, d.retain);
  d.forget_y = labels_of(d.train.y, d.forget);
  d.retain_y = labels_of(d.train.y, d.retain);
  if (d.regression()) {
    d.forget_t = models::select_rows(d.train.target, d.forget);
    d.retain_t = models::select_rows(d.train.target, d.retain);
  }
}

UnlearningData request_view(const UnlearningData& data, size_t j, bool cumulative) {
  SB_THROW_IF_NOT(InternalError, j < data.requests.size(), "request_view: no request {}", j);
  std::vector<char> gone(static_cast<size_t>(data.train.rows()), 0);
  std::vector<Eigen::Index> forget;
  for (size_t r = 0; r <= j; ++r)
    for (auto i : data.requests[r]) {
      gone[static_cast<size_t>(i)] = 1;
      if (cumulative || r == j) forget.push_back(i);
    }
  std::sort(forget.begin(), forget.end());
  UnlearningData out = data;
  out.forget = std::move(forget);
  out.retain.clear();
  for (Eigen::Index i = 0; i < data.train.rows(); ++i)
    if (!gone[static_cast<size_t>(i)]) out.retain.push_back(i);
  select_parts(out);
  return out;
}

Eigen::MatrixXd base_predictions(const Prepared& p, const std::vector<Eigen::MatrixXd>& thetas,
                                 const Eigen::MatrixXd& z) {
  SB_THROW_IF_NOT(InternalError, !thetas.empty(), "base_predictions: no model");
  if (p.base.kind == BaseKind::kLinear) return ensemble_predictions(p.model, thetas, z);
  const bool regression = p.data.regression();
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(z.rows(), regression ? 1 : p.data.num_classes);
  for (const auto& theta : thetas) {
    if (p.base.kind == BaseKind::kMlp) {
      if (regression) sum.col(0) += models::sgd_mlp_outputs(p.base.mlp_shape, theta.col(0), mlp_inputs(z));
      else sum += models::sgd_mlp_probabilities(p.base.mlp_shape, theta.col(0), mlp_inputs(z));
    } else {
      std::vector<Eigen::Index> index(static_cast<size_t>(theta.rows()));
      for (Eigen::Index i = 0; i < theta.rows(); ++i) index[static_cast<size_t>(i)] = std::llround(theta(i, 0));
      if (regression)
        sum.col(0) += models::knn_mean_targets(p.data.train_z, p.data.train.target, index, z, p.base.knn_k);
      else
        sum += models::knn_vote_probabilities(p.data.train_z, p.data.train.y, index, z, p.base.knn_k,
                                              p.data.num_classes);
    }
  }
  return sum / static_cast<double>(thetas.size());
}

}  // namespace sb::unlearning
