// SISA (sharded, isolated, sliced, aggregated) training: the training rows
// are split into `shards` disjoint shards by a seeded permutation, one model
// is fitted per shard (penalty lambda * shard rows / training rows at
// training, the same per row, then fixed), and a request retrains exactly
// the shards that hold a forget row, on their remaining rows. Predictions average the shard models' class
// probabilities (ridge: outputs). One slice per shard (no slicing: the
// base models are fitted in one go, so slices would not save work).
// Paper: Bourtoule et al. (2021), Machine Unlearning, IEEE S&P.
#include <algorithm>
#include <numeric>
#include <random>

#include "benchmarks/unlearning/unlearning.h"
#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/sisa.h"

namespace sb::unlearning {

std::vector<std::vector<Eigen::Index>> sisa_shards(Eigen::Index n, std::int64_t shards, std::uint64_t seed) {
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::mt19937_64 rng(seed);
  data::shuffle_in_place(order, rng);
  const auto count = static_cast<size_t>(std::min<std::int64_t>(shards, n));
  std::vector<std::vector<Eigen::Index>> out(count);
  for (size_t i = 0; i < order.size(); ++i) out[i % count].push_back(order[i]);
  for (auto& rows : out) std::sort(rows.begin(), rows.end());
  return out;
}

namespace {

class Sisa : public Unlearner {
 public:
  struct Params {
    std::int64_t shards = 5;
  };
  explicit Sisa(const Params& p) : p_(p) {}

  void train(const UnlearningContext& ctx) override {
    shard_rows_ = sisa_shards(ctx.data->train_z.rows(), p_.shards, ctx.seed);
    models_.clear();
    trained_sizes_.clear();
    for (const auto& rows : shard_rows_) {
      models_.push_back(fit_shard(ctx, rows, rows.size()));
      trained_sizes_.push_back(rows.size());
    }
  }
  bool sequential() const override { return true; }  // the shards' rows and models are the state
  bool regression() const override { return true; }

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    std::vector<char> forgotten(static_cast<size_t>(d.train_z.rows()), 0);
    for (auto i : d.forget) forgotten[static_cast<size_t>(i)] = 1;
    UnlearnedModel out;
    double retrained = 0;
    for (size_t s = 0; s < shard_rows_.size(); ++s) {
      std::vector<Eigen::Index> kept;
      for (auto i : shard_rows_[s])
        if (!forgotten[static_cast<size_t>(i)]) kept.push_back(i);
      if (kept.size() == shard_rows_[s].size()) {
        if (!kept.empty()) out.thetas.push_back(models_[s]);
        continue;
      }
      retrained += 1;
      shard_rows_[s] = kept;
      if (!kept.empty()) {  // a shard emptied by the request is dropped from the ensemble
        models_[s] = fit_shard(ctx, kept, trained_sizes_[s]);
        out.thetas.push_back(models_[s]);
      }
    }
    out.diagnostics.emplace_back("retrained", retrained);
    return out;
  }

  // The model of `rows`, a shard that held `shard_size` rows at training
  // (its penalty is fixed then, as the base model's is).
  static Eigen::MatrixXd fit_shard(const UnlearningContext& ctx, const std::vector<Eigen::Index>& rows,
                                   size_t shard_size) {
    const UnlearningData& d = *ctx.data;
    models::PenalizedLinear model = ctx.model;
    model.lambda *= static_cast<double>(shard_size) / static_cast<double>(d.train_z.rows());
    return fit_linear(model, select_linear_rows(d.train_rows(), rows).view(), d.num_classes);
  }

 private:
  Params p_;
  std::vector<std::vector<Eigen::Index>> shard_rows_;
  std::vector<Eigen::MatrixXd> models_;
  std::vector<size_t> trained_sizes_;  // shard rows at training (their penalty share is fixed then)
};

}  // namespace

SB_REGISTER_UNLEARNER(Sisa, "sisa")
    .describe("shard models averaged; a request retrains exactly the shards holding forget rows")
    .paper("Bourtoule et al. (2021), Machine Unlearning, IEEE S&P")
    .field(&Sisa::Params::shards, "shards", 1, 100000, "disjoint shards of the training rows (one model each)");

}  // namespace sb::unlearning
