// GraSS: Hu, Melkonian, Tang, Zhao & Ma (2025), GraSS: Scalable data attribution with gradient sparsification and sparse projection, NeurIPS (arXiv:2505.18976)
#include "estimators/selection/grass.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

#include "datasets/corruption.h"
#include "datasets/random.h"
#include "estimators/models/margin.h"
#include "estimators/selection/attribution.h"
#include "harness/core/errors.h"

namespace sb::selection {

Eigen::MatrixXd keep_top_k(const Eigen::MatrixXd& rows, Eigen::Index k) {
  if (k >= rows.cols()) return rows;
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(rows.rows(), rows.cols());
  std::vector<Eigen::Index> order(static_cast<size_t>(rows.cols()));
  for (Eigen::Index r = 0; r < rows.rows(); ++r) {
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](Eigen::Index a, Eigen::Index b) { return std::abs(rows(r, a)) > std::abs(rows(r, b)); });
    for (Eigen::Index j = 0; j < k; ++j) out(r, order[static_cast<size_t>(j)]) = rows(r, order[static_cast<size_t>(j)]);
  }
  return out;
}

SparseProjection::SparseProjection(Eigen::Index input_dim, Eigen::Index output_dim, Eigen::Index nonzeros,
                                   std::mt19937_64& rng)
    : input_dim_(input_dim), output_dim_(output_dim), nonzeros_(std::min(nonzeros, output_dim)) {
  const double scale = 1.0 / std::sqrt(static_cast<double>(nonzeros_));
  bucket_.reserve(static_cast<size_t>(input_dim_ * nonzeros_));
  for (Eigen::Index j = 0; j < input_dim_; ++j) {
    for (auto b : data::draw_without_replacement(output_dim_, nonzeros_, rng)) {
      bucket_.push_back(b);
      sign_.push_back((rng() >> 63) ? scale : -scale);
    }
  }
}

Eigen::MatrixXd SparseProjection::apply(const Eigen::MatrixXd& rows) const {
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(rows.rows(), output_dim_);
  for (Eigen::Index r = 0; r < rows.rows(); ++r) {
    for (Eigen::Index j = 0; j < input_dim_; ++j) {
      const double v = rows(r, j);
      if (v == 0) continue;  // sparsified away: the cost follows the nonzeros
      for (Eigen::Index l = 0; l < nonzeros_; ++l) {
        const auto at = static_cast<size_t>(j * nonzeros_ + l);
        out(r, bucket_[at]) += sign_[at] * v;
      }
    }
  }
  return out;
}

namespace {

// The compressed gradients feed TRAK's estimator with one model fitted on
// all rows: tau(i, t) = (1 - p_i) phi_i^T (Phi^T Phi + lambda I)^-1 phi_t,
// phi = SJLT(sparsify(margin gradient)).
class Grass : public Valuer {
 public:
  struct Params {
    std::string mask = "random";
    std::int64_t sparsity = 0;
    std::int64_t projection_dim = 256;
    std::int64_t nonzeros = 1;
    double damping = 1e-3;
  };
  explicit Grass(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const auto model = fit_all_classes(ctx, "grass");
    const Eigen::MatrixXd g = models::margin_gradients(train.x, train.y, model.weight, model.bias);
    const Eigen::MatrixXd g_valid = models::margin_gradients(valid.x, valid.y, model.weight, model.bias);
    // The random mask and the projection are drawn once and applied to the
    // training and the validation gradients alike.
    std::mt19937_64 rng(ctx.seed);
    const Eigen::Index dim = g.cols();
    std::vector<Eigen::Index> columns;
    if (params_.sparsity > 0 && params_.mask == "random")
      columns = data::draw_without_replacement(dim, std::min<Eigen::Index>(params_.sparsity, dim), rng);
    std::optional<SparseProjection> projection;
    if (params_.projection_dim > 0) projection.emplace(dim, params_.projection_dim, params_.nonzeros, rng);
    const auto compress = [&](const Eigen::MatrixXd& rows) {
      Eigen::MatrixXd kept = rows;
      if (params_.sparsity > 0 && params_.mask == "top-k") kept = keep_top_k(rows, params_.sparsity);
      if (!columns.empty()) {
        kept.setZero();
        for (auto j : columns) kept.col(j) = rows.col(j);
      }
      return projection ? projection->apply(kept) : kept;
    };
    const Eigen::MatrixXd train_features = compress(g), valid_features = compress(g_valid);
    Valuation out;
    out.attribution = models::one_minus_true_probability(train.x, train.y, model.weight, model.bias).asDiagonal() *
                      projected_gradient_kernel(train_features, valid_features, params_.damping);
    out.values = mean_attribution(out.attribution);
    return out;
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(Grass, "grass")
    .describe("GraSS: margin gradients sparsified (random or top-k mask) then sparsely projected (SJLT), fed to "
              "TRAK's estimator with one model fitted on all rows; value = mean over validation rows")
    .paper("Hu, Melkonian, Tang, Zhao & Ma (2025), GraSS: Scalable data attribution with gradient sparsification "
           "and sparse projection, NeurIPS (arXiv:2505.18976)")
    .field(&Grass::Params::mask, "mask", {"random", "top-k"},
           "random: the same random coordinates for every gradient; top-k: each gradient's largest entries")
    .field(&Grass::Params::sparsity, "sparsity", 0, 100000000, "coordinates kept (0: no sparsification)")
    .field(&Grass::Params::projection_dim, "projection_dim", 0, 1000000, "SJLT output dimension (0: no projection)")
    .field(&Grass::Params::nonzeros, "nonzeros", 1, 1000000, "SJLT nonzeros per input coordinate")
    .field(&Grass::Params::damping, "damping", 0.0, 1e6, "ridge on Phi^T Phi, relative to its mean diagonal entry");

}  // namespace sb::selection
