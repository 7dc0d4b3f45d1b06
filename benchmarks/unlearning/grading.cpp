// Grading: an unlearned model's predictions on the replication's parts,
// read against the retrain oracle's (benchmarks/unlearning/metrics.h,
// docs/UNLEARNING.md, "Metrics"), the MLP oracle noise floor, and the
// suite's metric declarations.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "benchmarks/unlearning/metrics.h"
#include "benchmarks/unlearning/mia_svc.h"
#include "benchmarks/unlearning/protocol.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {

Eigen::MatrixXd ensemble_predictions(const models::PenalizedLinear& model, const std::vector<Eigen::MatrixXd>& thetas,
                                     const Eigen::MatrixXd& z) {
  SB_THROW_IF_NOT(InternalError, !thetas.empty(), "ensemble_predictions: no model");
  Eigen::MatrixXd sum = models::linear_predictions(model, z, thetas[0]);
  for (size_t i = 1; i < thetas.size(); ++i) sum += models::linear_predictions(model, z, thetas[i]);
  return sum / static_cast<double>(thetas.size());
}

std::vector<double> prediction_losses(const models::PenalizedLinear& model, const Eigen::MatrixXd& predictions,
                                      const Eigen::VectorXi& y) {
  std::vector<double> out(static_cast<size_t>(y.size()));
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    if (model.loss == models::LinearLoss::kSoftmax) {
      out[static_cast<size_t>(i)] = -std::log(predictions(i, y(i)));
    } else {
      Eigen::RowVectorXd r = predictions.row(i);
      r(y(i)) -= 1.0;
      out[static_cast<size_t>(i)] = 0.5 * r.squaredNorm();
    }
  }
  return out;
}

namespace {

// Per-example squared errors (1/2)(prediction - target)^2 of one-column predictions.
std::vector<double> regression_losses(const Eigen::MatrixXd& predictions, const Eigen::VectorXd& targets) {
  const Eigen::VectorXd r = predictions.col(0) - targets;
  std::vector<double> out(static_cast<size_t>(r.size()));
  for (Eigen::Index i = 0; i < r.size(); ++i) out[static_cast<size_t>(i)] = 0.5 * r(i) * r(i);
  return out;
}

// Accuracies (regression: mean squared errors) and membership AUROC of one
// model on the replication's parts.
struct Scores {
  Eigen::MatrixXd forget, retain, test, heldout;  // predictions
  double acc_forget = 0, acc_retain = 0, acc_test = 0, mia = 0;  // regression: the MSEs
  double mia_efficacy = std::numeric_limits<double>::quiet_NaN();  // softmax only
  std::vector<double> forget_losses;
};

Scores score(const Prepared& p, const std::vector<Eigen::MatrixXd>& thetas) {
  const UnlearningData& d = p.data;
  Scores s;
  s.forget = base_predictions(p, thetas, d.forget_z);
  s.retain = base_predictions(p, thetas, d.retain_z);
  s.test = base_predictions(p, thetas, d.test_z);
  s.heldout = base_predictions(p, thetas, d.heldout_z);
  if (d.regression()) {
    s.acc_forget = mean_squared_error(s.forget.col(0), d.forget_t);
    s.acc_retain = mean_squared_error(s.retain.col(0), d.retain_t);
    s.acc_test = mean_squared_error(s.test.col(0), d.test.target);
    s.forget_losses = regression_losses(s.forget, d.forget_t);
    s.mia = membership_auroc(s.forget_losses, regression_losses(s.heldout, d.heldout.target));
    return s;
  }
  s.acc_forget = accuracy(s.forget, d.forget_y);
  s.acc_retain = accuracy(s.retain, d.retain_y);
  s.acc_test = accuracy(s.test, d.test.y);
  s.forget_losses = prediction_losses(p.model, s.forget, d.forget_y);
  s.mia = membership_auroc(s.forget_losses, prediction_losses(p.model, s.heldout, d.heldout.y));
  if (p.model.loss == models::LinearLoss::kSoftmax) {
    // SalUn's shadow data: the first |test| retain rows (members) and the test rows.
    const auto retain_entropies = prediction_entropies(s.retain);
    const auto members = std::min(retain_entropies.size(), static_cast<size_t>(d.test.rows()));
    s.mia_efficacy = entropy_mia_efficacy({retain_entropies.begin(), retain_entropies.begin() + members},
                                          prediction_entropies(s.test), prediction_entropies(s.forget));
  }
  return s;
}

}  // namespace

std::vector<std::pair<std::string, double>> grade(const Prepared& p, const UnlearnedModel& unlearned) {
  SB_THROW_IF_NOT(InternalError, !unlearned.thetas.empty(), "grade: the method returned no model");
  const Scores m = score(p, unlearned.thetas), o = score(p, {p.oracle});
  const bool regression = p.data.regression();
  // Ridge outputs and regression predictions read as means of unit-variance Gaussians.
  const bool gaussian = regression || p.model.loss == models::LinearLoss::kSquared;
  const char* prefix = regression ? "mse" : "acc";
  std::vector<std::pair<std::string, double>> out = {
      {fmt::format("{}_forget", prefix), m.acc_forget},
      {fmt::format("{}_retain", prefix), m.acc_retain},
      {fmt::format("{}_test", prefix), m.acc_test},
      {"mia_auroc", m.mia},
      {"gap_forget", std::abs(m.acc_forget - o.acc_forget)},
      {"gap_retain", std::abs(m.acc_retain - o.acc_retain)},
      {"gap_test", std::abs(m.acc_test - o.acc_test)},
      {"gap_mia", std::abs(m.mia - o.mia)},
  };
  out.emplace_back("avg_gap", (out[4].second + out[5].second + out[6].second + out[7].second) / 4.0);
  if (!gaussian) {
    out.emplace_back("mia_efficacy", m.mia_efficacy);
    out.emplace_back("gap_mia_efficacy", std::abs(m.mia_efficacy - o.mia_efficacy));
  }
  out.emplace_back("privleak", privleak(m.mia, o.mia));
  out.emplace_back("abs_privleak", std::abs(privleak(m.mia, o.mia)));
  out.emplace_back("kl_forget", mean_kl(o.forget, m.forget, gaussian));
  out.emplace_back("kl_test", mean_kl(o.test, m.test, gaussian));
  out.emplace_back("forget_quality", ks_pvalue(m.forget_losses, o.forget_losses));
  if (unlearned.thetas.size() == 1 && p.base.kind != BaseKind::kKnn) {
    const Eigen::MatrixXd& theta = unlearned.thetas[0];
    out.emplace_back("param_rel_l2", relative_l2(theta, p.oracle));
    if (p.base.kind == BaseKind::kLinear) {
      Eigen::MatrixXd gradient;
      linear_objective(p.model, p.data.retain_rows(), theta, &gradient);
      out.emplace_back("grad_residual", gradient.norm());
    }
  }
  // Non-convex base: every gap also read against the oracle noise floor (omitted where the floor is 0).
  for (const auto& [name, floor] : p.noise_floor)
    for (const auto& [metric, value] : std::vector<std::pair<std::string, double>>(out))
      if (metric == name && floor > 0) out.emplace_back(name + "/noise_floor", value / floor);
  if (!p.noise_floor.empty()) {
    for (const auto& [name, floor] : p.noise_floor)
      if (name == "avg_gap") out.emplace_back("noise_floor", floor);
  }
  return out;
}

const std::vector<std::string>& noise_floor_metrics() {
  static const std::vector<std::string> names = {"gap_forget",  "gap_retain",       "gap_test",  "gap_mia",
                                                 "avg_gap",     "gap_mia_efficacy", "abs_privleak",
                                                 "kl_forget",   "kl_test",          "param_rel_l2"};
  return names;
}

std::vector<std::pair<std::string, double>> noise_floor(const Prepared& p) {
  Prepared bare = p;
  bare.noise_floor.clear();
  std::map<std::string, double> sum;
  for (const auto& retrain : p.noise_retrains)
    for (const auto& [name, value] : grade(bare, UnlearnedModel{{retrain}, {}})) sum[name] += value;
  std::vector<std::pair<std::string, double>> out;
  if (p.noise_retrains.empty()) return out;
  for (const auto& name : noise_floor_metrics())
    if (sum.count(name)) out.emplace_back(name, sum[name] / static_cast<double>(p.noise_retrains.size()));
  return out;
}

std::vector<MetricInfo> unlearning_metric_infos() {
  // The first metric with a direction is the suite's primary one (rankings, CD diagrams): avg_gap. Forget-set
  // accuracy and membership scores have no better end of their own; they are read against the oracle's.
  std::vector<MetricInfo> infos = {
      {"avg_gap", false, "mean of gap_forget, gap_retain, gap_test and gap_mia (SalUn's avg. gap)"},
      undirected_metric("acc_forget", "accuracy on the forget set (1 - UA); read against the oracle's (gap_forget)"),
      {"acc_retain", true, "accuracy on the retain set (RA)"},
      {"acc_test", true, "accuracy on the test split (TA)"},
      undirected_metric("mse_forget",
                        "regression: mean squared error on the forget set (standardised targets); "
                        "read against the oracle's (gap_forget)"),
      {"mse_retain", false, "regression: mean squared error on the retain set"},
      {"mse_test", false, "regression: mean squared error on the test split"},
      undirected_metric("mia_auroc",
                        "membership AUROC of the loss: forget rows vs held-out rows (0.5: look unseen; "
                        "read against the oracle's, gap_mia)"),
      {"gap_forget", false, "|acc_forget - the oracle's| (regression: of mse_forget)"},
      {"gap_retain", false, "|acc_retain - the oracle's| (regression: of mse_retain)"},
      {"gap_test", false, "|acc_test - the oracle's| (regression: of mse_test)"},
      {"gap_mia", false, "|mia_auroc - the oracle's|"},
      undirected_metric("mia_efficacy",
                        "SalUn's MIA-Efficacy: share of forget rows an RBF SVM on prediction entropies "
                        "(retain rows vs test rows) calls non-members; read against the oracle's (logistic)"),
      {"gap_mia_efficacy", false, "|mia_efficacy - the oracle's| (logistic)"},
      undirected_metric("privleak",
                        "MUSE's PrivLeak: (mia_auroc - the oracle's) / the oracle's * 100 (0: leaks "
                        "as the oracle; > 0 under-, < 0 over-unlearning)"),
      {"abs_privleak", false, "|privleak|"},
      {"kl_forget", false, "mean KL(oracle || method) of the predictions on the forget set (ridge: (1/2)||diff||^2)",
       true},
      {"kl_test", false, "mean KL(oracle || method) of the predictions on the test split (ridge: (1/2)||diff||^2)",
       true},
      {"forget_quality", true, "two-sample KS p-value of the forget losses, method vs oracle (TOFU)"},
      {"param_rel_l2", false, "||theta - theta_oracle|| / ||theta_oracle|| (single models)"},
      {"grad_residual", false, "||gradient of the retain objective|| at the method's model (0 at the oracle)"},
      {"speedup", true,
       "oracle fit seconds / the method's unlearning seconds (a timing: not reproducible bit for bit)"},
      undirected_metric("noise_floor", "mlp: the mean avg_gap of retrains from other seeds (the oracle noise floor)"),
      {"retrained", false,
       "newton-removal: 1 when the (epsilon, delta) budget forced a retrain; sisa: shards retrained"},
      {"budget_used", false, "newton-removal: gradient residual / the residual the certificate allows"},
      undirected_metric("gate_open", "ood-gated: 1 when the detector let the update apply"),
      undirected_metric("gate_auroc", "ood-gated: AUROC of the energy score, forget rows vs retain rows"),
      {"epsilon_spent", false,
       "newton-removal (sigma > 0): the epsilon the returned model's gradient residual "
       "certifies, residual * sqrt(2 log(1.5/delta)) / sigma"},
  };
  for (const auto& name : noise_floor_metrics())
    infos.push_back({name + "/noise_floor", false,
                     "mlp: " + name + " / its mean over retrains from other seeds (1: as far as seed noise)",
                     name == "kl_forget" || name == "kl_test"});  // a KL may be +inf
  return infos;
}

}  // namespace sb::unlearning
