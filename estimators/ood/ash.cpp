// Activation shaping: prune all but the largest activations, then energy.
// Paper: Djurisic, Bozanic, Ashok & Liu (2023), Extremely simple activation shaping for out-of-distribution detection, ICLR
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class ActivationShaping final : public Detector {
 public:
  struct Params {
    std::string variant = "s";
    double percentile = 90.0;
  };
  explicit ActivationShaping(const Params& p)
      : variant_(p.variant), percentile_(p.percentile) {}

  void fit(const FitContext& ctx) override {
    detail::require_train(ctx, "ash");
    weight_ = ctx.weight;
    bias_ = ctx.bias;
  }

  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, weight_.cols(), "ash");
    const Eigen::MatrixXd shaped = shape(split.features);
    return detail::energy_score((shaped * weight_.transpose()).rowwise() + bias_.transpose());
  }

  // Per row: keep the K = m - round(m p / 100) largest entries (at least 1;
  // ties by lower index), zero the rest; then
  //   p: nothing more;  b: kept entries = s1 / K;  s: kept entries * exp(s1 / s2),
  // s1 = row sum before pruning, s2 = after. A row whose kept sum s2 is not
  // positive (ASH assumes ReLU activations) is left pruned, unscaled.
  Eigen::MatrixXd shape(const Eigen::MatrixXd& f) const {
    const long m = f.cols();
    const long keep = std::max<long>(1, m - std::lround(static_cast<double>(m) * percentile_ / 100.0));
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(f.rows(), m);
    std::vector<long> order(m);
    for (long i = 0; i < f.rows(); ++i) {
      std::iota(order.begin(), order.end(), 0L);
      std::stable_sort(order.begin(), order.end(),
                       [&](long a, long b) { return f(i, a) > f(i, b); });
      const double s1 = f.row(i).sum();
      double s2 = 0;
      for (long j = 0; j < keep; ++j) s2 += f(i, order[j]);
      for (long j = 0; j < keep; ++j) {
        const long c = order[j];
        if (variant_ == "p") {
          out(i, c) = f(i, c);
        } else if (variant_ == "b") {
          out(i, c) = s1 / static_cast<double>(keep);
        } else {
          out(i, c) = s2 > 0 ? f(i, c) * std::exp(s1 / s2) : f(i, c);
        }
      }
    }
    return out;
  }

 private:
  std::string variant_;
  double percentile_;
  Eigen::MatrixXd weight_;
  Eigen::VectorXd bias_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::ActivationShaping, "ash")
    .describe("Energy score after pruning features to their top (100 - p)% per example (ASH-P), "
              "binarising (ASH-B) or rescaling (ASH-S) what is kept")
    .paper("Djurisic, Bozanic, Ashok & Liu (2023), Extremely simple activation shaping for out-of-distribution detection, ICLR")
    .field(&sb::ood::ActivationShaping::Params::variant, "variant", {"s", "p", "b"}, "ASH-S (scale), ASH-P (prune only) or ASH-B (binarise)")
    .field(&sb::ood::ActivationShaping::Params::percentile, "percentile", 0.0, 100.0, "prune percentile p: the smallest p% of each feature vector are zeroed");
