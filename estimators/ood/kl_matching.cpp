// Distance of the softmax vector to per-class mean softmax templates.
// Paper: Hendrycks et al. (2022), Scaling out-of-distribution detection for real-world settings, ICML
#include <cmath>
#include <limits>
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class KlMatching final : public Detector {
 public:
  // Template d_c = mean softmax of the training rows the model predicts as
  // c (the paper's "predicted class" templates; no labels needed).
  void fit(const FitContext& ctx) override {
    detail::require_train(ctx, "kl-matching");
    num_classes_ = ctx.num_classes;
    const Eigen::MatrixXd prob = models::softmax_rows(detail::train_logits(ctx));
    const Eigen::VectorXi pred = detail::argmax_rows(prob);
    const detail::ClassStats stats = detail::class_means(prob, pred, num_classes_);
    templates_ = stats.means;
    has_template_.clear();
    for (long c : stats.counts) has_template_.push_back(c > 0);
  }

  // -min_c KL(p(x) || d_c) over the classes that have a template.
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_logits(split, num_classes_, "kl-matching");
    const Eigen::MatrixXd prob = models::softmax_rows(split.logits);
    Eigen::VectorXd out(prob.rows());
    for (long i = 0; i < prob.rows(); ++i) {
      double best = std::numeric_limits<double>::infinity();
      for (long c = 0; c < num_classes_; ++c) {
        if (!has_template_[c]) continue;
        double kl = 0;
        for (long j = 0; j < prob.cols(); ++j)
          if (prob(i, j) > 0) kl += prob(i, j) * std::log(prob(i, j) / templates_(c, j));
        best = std::min(best, kl);
      }
      out(i) = -best;
    }
    return out;
  }

 private:
  long num_classes_ = -1;
  Eigen::MatrixXd templates_;  // k x k
  std::vector<bool> has_template_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::KlMatching, "kl-matching")
    .describe("-min_c KL(softmax || mean softmax of training rows predicted as c)")
    .paper("Hendrycks et al. (2022), Scaling out-of-distribution detection for real-world settings, ICML");
