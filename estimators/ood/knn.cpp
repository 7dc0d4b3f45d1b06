// Distance to the k-th nearest training feature after L2 normalisation.
// Paper: Sun, Ming, Zhu & Li (2022), Out-of-distribution detection with deep nearest neighbors, ICML
#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <vector>

#include "estimators/ood/common.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

class Knn final : public Detector {
 public:
  struct Params {
    std::int64_t k = 50;
    double train_fraction = 1.0;
  };
  explicit Knn(const Params& p)
      : k_(static_cast<int>(p.k)), train_fraction_(p.train_fraction) {}

  // Indexes the normalised training features, or a uniformly drawn subset of
  // round(fraction * n) of them (the paper's alpha), drawn from the cell seed.
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "knn");
    const long n = train.features.rows();
    const Eigen::MatrixXd normed = detail::l2_normalize_rows(train.features);
    if (train_fraction_ >= 1.0) {
      index_ = std::make_unique<detail::KnnIndex>(normed);
    } else {
      const long keep = std::max<long>(1, std::lround(train_fraction_ * static_cast<double>(n)));
      std::vector<long> rows(n);
      std::iota(rows.begin(), rows.end(), 0L);
      std::mt19937_64 rng(derive_seed(ctx.seed, "knn-train-subset"));
      // Partial Fisher-Yates: the first `keep` entries are a uniform subset.
      for (long i = 0; i < keep; ++i) {
        std::uniform_int_distribution<long> pick(i, n - 1);
        std::swap(rows[i], rows[pick(rng)]);
      }
      rows.resize(keep);
      std::sort(rows.begin(), rows.end());
      Eigen::MatrixXd subset(keep, normed.cols());
      for (long i = 0; i < keep; ++i) subset.row(i) = normed.row(rows[i]);
      index_ = std::make_unique<detail::KnnIndex>(subset);
    }
    SB_THROW_IF_NOT(MethodError, k_ <= index_->size(),
                    "knn: k = {} exceeds the {} training rows indexed (train_fraction = {})", k_,
                    index_->size(), train_fraction_);
  }

  // -||z - z_(k)|| with z the normalised feature and z_(k) its k-th nearest
  // indexed training feature.
  Eigen::VectorXd score(const Split& split) const override {
    SB_THROW_IF_NOT(InternalError, index_ != nullptr, "knn: score() before fit()");
    detail::require_features(split, index_->dim(), "knn");
    return -index_->kth_distance(detail::l2_normalize_rows(split.features), k_);
  }

 private:
  int k_;
  double train_fraction_;
  std::unique_ptr<detail::KnnIndex> index_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Knn, "knn")
    .describe("-distance to the k-th nearest L2-normalised training feature (exact search)")
    .paper("Sun, Ming, Zhu & Li (2022), Out-of-distribution detection with deep nearest neighbors, ICML")
    .field(&sb::ood::Knn::Params::k, "k", 1, 1000000, "neighbour rank k")
    .field(&sb::ood::Knn::Params::train_fraction, "train_fraction", 1e-4, 1.0, "fraction of training rows indexed (uniform subset from the seed)");
