// TRAK: Park, Georgiev, Ilyas, Leclerc & Madry (2023), TRAK: Attributing model behavior at scale, ICML
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "datasets/corruption.h"
#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "estimators/models/margin.h"
#include "estimators/models/sgd_mlp_checkpoints.h"
#include "estimators/selection/attribution.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::selection {
namespace {

int distinct_labels(const Eigen::VectorXi& y, const std::vector<Eigen::Index>& rows) {
  std::set<int> seen;
  for (auto i : rows) seen.insert(y(i));
  return static_cast<int>(seen.size());
}

class Trak : public Valuer {
 public:
  struct Params {
    std::int64_t projection_dim = 256;
    std::int64_t ensemble = 4;
    double subset_fraction = 0.5;
    double damping = 1e-3;
    // model = "mlp": each member a network of models/sgd_mlp.h (one hidden
    // ReLU layer) trained by SGD on the member's rows, its last layer's
    // margin gradients on the last hidden layer's features.
    std::string model = "logistic";
    std::int64_t hidden = 32;
    std::int64_t epochs = 20;
    std::int64_t batch_size = 32;
    double learning_rate = 0.05;
  };
  explicit Trak(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const Eigen::Index n = train.rows();
    const auto all = all_rows(n);
    if (distinct_labels(train.y, all) < ctx.data->num_classes) throw MethodError("trak: the training split misses a class");
    Eigen::MatrixXd kernel = Eigen::MatrixXd::Zero(n, valid.rows());
    Eigen::VectorXd q = Eigen::VectorXd::Zero(n);
    for (std::int64_t member = 0; member < params_.ensemble; ++member) {
      std::mt19937_64 rng(derive_seed(ctx.seed, fmt::format("trak/member-{}", member)));
      const auto rows = member_rows(ctx, rng);
      // A softmax layer on features: the inputs (logistic) or the network's
      // last hidden layer (mlp).
      models::SgdMlpLastLayer model;
      Eigen::MatrixXd train_features, valid_features;
      if (params_.model == "mlp") {
        const Eigen::VectorXd theta =
            train_mlp(ctx, rows, derive_seed(ctx.seed, fmt::format("trak/mlp-member-{}", member)));
        const models::SgdMlpShape shape = mlp_shape(ctx);
        model = models::sgd_mlp_last_layer(shape, theta);
        train_features = models::sgd_mlp_features(shape, theta, train.x);
        valid_features = models::sgd_mlp_features(shape, theta, valid.x);
      } else {
        auto fit = ctx.utility->fit(rows);
        model = {std::move(fit.weight), std::move(fit.bias)};
      }
      const Eigen::MatrixXd& train_x = train_features.size() ? train_features : train.x;
      const Eigen::MatrixXd& valid_x = valid_features.size() ? valid_features : valid.x;
      const Eigen::MatrixXd g = models::margin_gradients(train_x, train.y, model.weight, model.bias);
      const Eigen::MatrixXd g_valid = models::margin_gradients(valid_x, valid.y, model.weight, model.bias);
      // Gaussian projection P (D x projection_dim), entries N(0, 1/projection_dim).
      Eigen::MatrixXd projection(g.cols(), params_.projection_dim);
      const double scale = 1.0 / std::sqrt(static_cast<double>(params_.projection_dim));
      for (Eigen::Index c = 0; c < projection.cols(); ++c)
        for (Eigen::Index r = 0; r < projection.rows(); ++r) projection(r, c) = scale * data::standard_normal(rng);
      kernel += projected_gradient_kernel(g * projection, g_valid * projection, params_.damping);
      q += models::one_minus_true_probability(train_x, train.y, model.weight, model.bias);
    }
    // tau = (mean_k Q_k) (mean_k Phi_k (Phi_k^T Phi_k)^-1 phi_k(t)): the
    // paper's ensemble average, its one-minus-probability weights on the
    // training side; no soft-thresholding.
    const double members = static_cast<double>(params_.ensemble);
    Valuation out;
    out.attribution = (q / members).asDiagonal() * (kernel / members);
    out.values = mean_attribution(out.attribution);
    return out;
  }

 private:
  models::SgdMlpShape mlp_shape(const ValuationContext& ctx) const {
    return {static_cast<int>(ctx.data->train.x.cols()), static_cast<int>(params_.hidden), 1, ctx.data->num_classes};
  }
  Eigen::VectorXd train_mlp(const ValuationContext& ctx, const std::vector<Eigen::Index>& rows,
                            std::uint64_t seed) const {
    models::SgdMlpOptions o;
    o.epochs = params_.epochs;
    o.batch_size = params_.batch_size;
    o.learning_rate = params_.learning_rate;
    o.l2 = ctx.utility->options().l2;
    Eigen::VectorXi y(static_cast<Eigen::Index>(rows.size()));
    for (size_t i = 0; i < rows.size(); ++i) y(static_cast<Eigen::Index>(i)) = ctx.data->train.y(rows[i]);
    return models::sgd_mlp_train(mlp_shape(ctx), models::select_rows(ctx.data->train.x, rows), y, o, seed);
  }

  // A member's rows: all when subset_fraction = 1, else a uniformly random
  // subset of max(2, round(fraction n)) rows holding every class (a draw
  // missing one is redrawn, at most 100 times).
  std::vector<Eigen::Index> member_rows(const ValuationContext& ctx, std::mt19937_64& rng) const {
    const auto& y = ctx.data->train.y;
    const Eigen::Index n = y.size();
    if (params_.subset_fraction >= 1.0) return all_rows(n);
    const auto count = std::min<Eigen::Index>(n, std::max<Eigen::Index>(2, std::llround(params_.subset_fraction * n)));
    for (int attempt = 0; attempt < 100; ++attempt) {
      auto rows = data::draw_without_replacement(n, count, rng);
      if (distinct_labels(y, rows) == ctx.data->num_classes) {
        std::sort(rows.begin(), rows.end());
        return rows;
      }
    }
    throw MethodError("trak: 100 random subsets of {} rows all missed a class", count);
  }

  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(Trak, "trak")
    .describe("TRAK: correct-class-margin gradients of an ensemble of logistic models (each fitted on a random "
              "subset), randomly projected; tau = mean(1 - p) * mean(Phi (Phi^T Phi)^-1 phi); value = mean over "
              "validation rows")
    .paper("Park, Georgiev, Ilyas, Leclerc & Madry (2023), TRAK: Attributing model behavior at scale, ICML")
    .field(&Trak::Params::projection_dim, "projection_dim", 1, 1000000, "Gaussian random projection dimension")
    .field(&Trak::Params::ensemble, "ensemble", 1, 100000, "models averaged (one fit each)")
    .field(&Trak::Params::subset_fraction, "subset_fraction", 0.01, 1.0,
           "share of the training rows each model is fitted on (1 = all rows, members differ by projection only)")
    .field(&Trak::Params::damping, "damping", 0.0, 1e6,
           "ridge on Phi^T Phi, relative to its mean diagonal entry")
    .field(&Trak::Params::model, "model", {"logistic", "mlp"},
           "each member: the utility's logistic model (one fit), or an SGD-trained one-hidden-layer ReLU network "
           "(models/sgd_mlp.h; its last layer's gradients on the hidden features; not counted as a fit)")
    .field(&Trak::Params::hidden, "hidden", 1, 4096, "mlp: hidden units")
    .field(&Trak::Params::epochs, "epochs", 1, 100000, "mlp: SGD epochs")
    .field(&Trak::Params::batch_size, "batch_size", 1, 10000000, "mlp: SGD minibatch size")
    .field(&Trak::Params::learning_rate, "learning_rate", 1e-8, 1e3, "mlp: SGD step size");

}  // namespace sb::selection
