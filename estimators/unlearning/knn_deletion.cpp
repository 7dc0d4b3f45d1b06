// Exact deletion from a k-nearest-neighbour classifier: the model is its
// index of stored training rows, so removing the forget rows from the index
// is retraining without them, exactly (no approximation, no labels needed).
// Cost: one pass over the index with a binary search per stored row.
// Paper: Cao & Yang (2015), IEEE S&P (lazy learners such as kNN unlearn by deletion);
// Ginart et al. (2019), Making AI Forget You, NeurIPS (deletion-efficient learning).
#include <algorithm>

#include "benchmarks/unlearning/unlearning.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

class KnnDeletion : public Unlearner {
 public:
  void train(const UnlearningContext& ctx) override { index_ = *ctx.original; }  // the stored rows

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const auto& forget = ctx.data->forget;  // sorted
    Eigen::MatrixXd kept(index_.rows(), 1);
    Eigen::Index n = 0;
    for (Eigen::Index i = 0; i < index_.rows(); ++i)
      if (!std::binary_search(forget.begin(), forget.end(), static_cast<Eigen::Index>(index_(i, 0))))
        kept(n++, 0) = index_(i, 0);
    SB_THROW_IF_NOT(InputError, n > 0, "knn-deletion: the request deletes every stored row");
    index_ = kept.topRows(n);
    return {{index_}, {}};
  }

  std::vector<BaseKind> bases() const override { return {BaseKind::kKnn}; }
  bool sequential() const override { return true; }  // the index is the state
  bool regression() const override { return true; }   // kNN regression stores the same index

 private:
  Eigen::MatrixXd index_;  // stored training rows (indices into the training split), a column
};

}  // namespace

SB_REGISTER_UNLEARNER(KnnDeletion, "knn-deletion")
    .describe("knn only: delete the forget rows from the neighbour index (exactly the retrained kNN)")
    .paper("Cao & Yang (2015), Towards making systems forget with machine unlearning, IEEE S&P; Ginart, Guan, "
           "Valiant & Zou (2019), Making AI Forget You, NeurIPS");

}  // namespace sb::unlearning
