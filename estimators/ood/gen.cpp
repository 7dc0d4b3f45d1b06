// Generalised entropy of the top-M softmax probabilities, negated.
// Paper: Liu, Lochman & Zach (2023), GEN: Pushing the limits of softmax-based out-of-distribution detection, CVPR
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class GeneralisedEntropy final : public Detector {
 public:
  struct Params {
    double gamma = 0.1;
    std::int64_t top_m = 100;
  };
  explicit GeneralisedEntropy(const Params& p)
      : gamma_(p.gamma), top_m_(p.top_m) {}
  void fit(const FitContext& ctx) override { num_classes_ = ctx.num_classes; }
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_logits(split, num_classes_, "gen");
    const Eigen::MatrixXd prob = models::softmax_rows(split.logits);
    // M larger than the number of classes uses all of them.
    const long m = std::min<long>(top_m_, prob.cols());
    Eigen::VectorXd out(prob.rows());
    std::vector<double> row(prob.cols());
    for (long i = 0; i < prob.rows(); ++i) {
      for (long j = 0; j < prob.cols(); ++j) row[j] = prob(i, j);
      std::partial_sort(row.begin(), row.begin() + m, row.end(), std::greater<>());
      double g = 0;
      for (long j = 0; j < m; ++j) g += std::pow(row[j], gamma_) * std::pow(1.0 - row[j], gamma_);
      out(i) = -g;
    }
    return out;
  }

 private:
  double gamma_;
  long top_m_;
  long num_classes_ = -1;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::GeneralisedEntropy, "gen")
    .describe("Negated generalised entropy sum_j p_j^gamma (1 - p_j)^gamma over the top-M probabilities")
    .paper("Liu, Lochman & Zach (2023), GEN: Pushing the limits of softmax-based out-of-distribution detection, CVPR")
    .field(&sb::ood::GeneralisedEntropy::Params::gamma, "gamma", 1e-3, 10.0, "entropy exponent gamma")
    .field(&sb::ood::GeneralisedEntropy::Params::top_m, "top_m", 1, 1000000, "number M of largest probabilities used (capped at the number of classes)");
