// Simplified Hopfield energy: inner product with the predicted class's pattern.
// Paper: Zhang, Fu, Wang, Zheng, Zou & Lu (2023), Out-of-distribution detection based on in-distribution data patterns memorization with modern Hopfield energy, ICLR
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class SimplifiedHopfieldEnergy final : public Detector {
 public:
  // Stored pattern of class c = mean feature of the training rows of class c
  // that the model classifies correctly; a class without such rows falls
  // back to the mean of all its rows (zero pattern if it has none).
  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "she");
    num_classes_ = ctx.num_classes;
    const Eigen::VectorXi pred = detail::argmax_rows(detail::train_logits(ctx));
    Eigen::VectorXi correct_label = train.labels;
    long n_correct = 0;
    for (long i = 0; i < pred.size(); ++i) {
      if (pred(i) == train.labels(i)) {
        correct_label(n_correct) = train.labels(i);
        ++n_correct;
      }
    }
    Eigen::MatrixXd correct_rows(n_correct, train.features.cols());
    for (long i = 0, r = 0; i < pred.size(); ++i)
      if (pred(i) == train.labels(i)) correct_rows.row(r++) = train.features.row(i);
    const detail::ClassStats on_correct =
        detail::class_means(correct_rows, correct_label.head(n_correct), num_classes_);
    const detail::ClassStats on_all =
        detail::class_means(train.features, train.labels, num_classes_);
    patterns_ = on_correct.means;
    for (int c = 0; c < num_classes_; ++c)
      if (on_correct.counts[c] == 0) patterns_.row(c) = on_all.means.row(c);
  }

  // f . s_yhat, yhat = argmax of the example's logits.
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, patterns_.cols(), "she");
    detail::require_logits(split, num_classes_, "she");
    const Eigen::VectorXi pred = detail::argmax_rows(split.logits);
    Eigen::VectorXd out(split.features.rows());
    for (long i = 0; i < out.size(); ++i) out(i) = split.features.row(i).dot(patterns_.row(pred(i)));
    return out;
  }

 private:
  long num_classes_ = -1;
  Eigen::MatrixXd patterns_;  // k x m
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::SimplifiedHopfieldEnergy, "she")
    .describe("Inner product of the feature with the mean training feature of its predicted class (correctly classified rows)")
    .paper("Zhang, Fu, Wang, Zheng, Zou & Lu (2023), Out-of-distribution detection based on in-distribution data patterns memorization with modern Hopfield energy, ICLR");
