// Negative free energy T * logsumexp(logits / T).
// Paper: Liu, Wang, Owens & Li (2020), Energy-based out-of-distribution detection, NeurIPS
#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class Energy final : public Detector {
 public:
  struct Params { double temperature = 1.0; };
  explicit Energy(const Params& p) : temperature_(p.temperature) {}
  void fit(const FitContext& ctx) override { num_classes_ = ctx.num_classes; }
  Eigen::VectorXd score(const Split& split) const override {
    detail::require_logits(split, num_classes_, "energy");
    return detail::energy_score(split.logits, temperature_);
  }

 private:
  double temperature_;
  long num_classes_ = -1;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Energy, "energy")
    .describe("Negative free energy T * logsumexp(logits / T)")
    .paper("Liu, Wang, Owens & Li (2020), Energy-based out-of-distribution detection, NeurIPS")
    .field(&sb::ood::Energy::Params::temperature, "temperature", 1e-3, 1e3, "temperature T");
