// OOD-gated unlearning, O3 adapted. O3 (Gao et al. 2025) pairs each
// unlearning update (an orthogonal LoRA adapter) with an out-of-distribution
// detector trained on the data to forget, and applies the update only to
// inputs the detector matches to that data. Adapted here to one request on
// the MLP: the detector is the OOD suite's energy score (Liu et al. 2020:
// logsumexp of the logits, higher = more in-distribution; recomputed here, the
// suites do not link each other) under the original model, and it decides per
// request whether the update applies: the gate opens when the forget rows'
// scores are told apart from the retain rows', |AUROC - 1/2| > margin (AUROC
// = P(score of a forget row > score of a retain row) + 1/2 P(equal)); a
// request whose rows the model treats like any retained row (a random subset)
// keeps the original at no cost. The update is fine-tuning on the retain
// rows (`epochs` of minibatch SGD on their mean cross-entropy). Diagnostics:
// `gate_open` (0/1) and `gate_auroc`. No forget label is read.
// Paper: Gao et al. (2025), On Large Language Model Continual Unlearning, ICLR (the O3 framework).
#include <cmath>

#include "benchmarks/unlearning/metrics.h"
#include "benchmarks/unlearning/protocol.h"
#include "estimators/unlearning/impl/descent.h"
#include "estimators/unlearning/impl/mlp_descent.h"

namespace sb::unlearning {
namespace {

std::vector<double> energy_scores(const Eigen::MatrixXd& logits) {
  std::vector<double> out(static_cast<size_t>(logits.rows()));
  for (Eigen::Index i = 0; i < logits.rows(); ++i) {
    const double m = logits.row(i).maxCoeff();
    out[static_cast<size_t>(i)] = m + std::log((logits.row(i).array() - m).exp().sum());
  }
  return out;
}

class OodGated : public Unlearner {
 public:
  struct Params {
    double margin = 0.1;
    std::int64_t epochs = 5;
    double learning_rate = 0.05;
    std::int64_t batch_size = 32;
  };
  explicit OodGated(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const auto& shape = ctx.base.mlp_shape;
    const Eigen::MatrixXd xr = mlp_inputs(d.retain_z), xf = mlp_inputs(d.forget_z);
    const Eigen::VectorXd& original = ctx.original->col(0);
    // membership_auroc(a, b) = P(a < b) + 1/2 P(a = b): negated scores give P(forget score > retain score).
    auto negated = [](std::vector<double> v) {
      for (auto& x : v) x = -x;
      return v;
    };
    const double auroc = membership_auroc(negated(energy_scores(models::sgd_mlp_forward(shape, original, xf).logits)),
                                          negated(energy_scores(models::sgd_mlp_forward(shape, original, xr).logits)));
    const bool open = std::abs(auroc - 0.5) > p_.margin;
    UnlearnedModel out;
    out.thetas.push_back(
        open ? Eigen::MatrixXd(mlp_descend(original, xr.rows(), 0, p_.epochs, p_.batch_size, p_.learning_rate,
                                           ctx.seed,
                                           [&](const Eigen::VectorXd& t, const std::vector<Eigen::Index>& r,
                                               const std::vector<Eigen::Index>&) {
                                             return mlp_cross_entropy_gradient(shape, t, mlp_rows(xr, r),
                                                                               select_labels(d.retain_y, r));
                                           }))
             : *ctx.original);
    out.diagnostics = {{"gate_open", open ? 1.0 : 0.0}, {"gate_auroc", auroc}};
    return out;
  }
  std::vector<BaseKind> bases() const override { return {BaseKind::kMlp}; }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(OodGated, "ood-gated")
    .describe("mlp: an energy-score OOD detector decides per request whether the retain fine-tuning update "
              "applies (the forget rows' scores told apart from the retain rows')")
    .paper("Gao et al. (2025), On Large Language Model Continual Unlearning, ICLR (O3, adapted); energy score: "
           "Liu, Wang, Owens & Li (2020), NeurIPS")
    .field(&OodGated::Params::margin, "margin", 0.0, 0.5, "the gate opens when |AUROC - 1/2| > margin")
    .field(&OodGated::Params::epochs, "epochs", 0, 100000, "update: passes over the retain rows")
    .field(&OodGated::Params::learning_rate, "learning_rate", 0.0, 100.0, "update: step size")
    .field(&OodGated::Params::batch_size, "batch_size", 1, 10000000, "update: rows per step");

}  // namespace sb::unlearning
