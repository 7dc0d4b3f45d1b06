// The MLP unlearning methods (blindspot, gaussian-finetune, label-agnostic,
// lunar, ood-gated) against independent computations: plain gradient descent
// by hand, the blindspot network refitted here, the Gaussian targets'
// moments, frozen layers kept bit for bit, AUROC by pair counting.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "benchmarks/unlearning/protocol.h"
#include "datasets/random.h"
#include "estimators/unlearning/gaussian_finetune.h"
#include "estimators/unlearning/impl/mlp_descent.h"
#include "harness/core/suite.h"
#include "tests/benchmarks/unlearning/test_util.h"

namespace sb::unlearning {
namespace {

using test_util::dataset_params;
using test_util::run_method;

std::shared_ptr<const Prepared> mlp_replication(const std::string& forget = "random", std::uint64_t seed = 3) {
  return prepare("gaussian-classifier",
                 dataset_params("gaussian-classifier", {{"n", std::int64_t{500}},
                                                        {"d", std::int64_t{5}},
                                                        {"classes", std::int64_t{3}},
                                                        {"n_train", std::int64_t{300}},
                                                        {"n_test", std::int64_t{100}},
                                                        {"n_heldout", std::int64_t{100}},
                                                        {"forget", forget},
                                                        {"fraction", 0.05},
                                                        {"forget_class", std::int64_t{1}},
                                                        {"model", std::string("mlp")},
                                                        {"mlp_hidden", std::int64_t{8}},
                                                        {"mlp_epochs", std::int64_t{10}},
                                                        {"noise_seeds", std::int64_t{0}}}),
                 seed);
}

Eigen::VectorXd theta_of(const UnlearnedModel& m) { return m.thetas.at(0).col(0); }

// `steps` full-batch gradient steps on the retain rows' mean cross-entropy from the original.
Eigen::VectorXd retain_gradient_descent(const Prepared& p, int steps, double lr) {
  Eigen::VectorXd theta = p.original.col(0);
  for (int s = 0; s < steps; ++s) {
    Eigen::VectorXd g;
    models::sgd_mlp_objective(p.base.mlp_shape, theta, mlp_inputs(p.data.retain_z), p.data.retain_y, 0.0, &g);
    theta -= lr * g;
  }
  return theta;
}

double hidden_distance(const Prepared& p, const Eigen::VectorXd& theta, const Eigen::MatrixXd& z,
                       const Eigen::MatrixXd& target) {
  return (models::sgd_mlp_forward(p.base.mlp_shape, theta, mlp_inputs(z)).hidden.back() - target).norm();
}

const std::map<std::string, ParamValue> kFullBatch = {{"epochs", std::int64_t{3}},
                                                      {"batch_size", std::int64_t{100000}}};

TEST(MlpMethods, WithoutTheirForgetTermsTheyAreRetainGradientDescent) {
  const auto p = mlp_replication();
  const Eigen::VectorXd expected = retain_gradient_descent(*p, 3, 0.05);
  ASSERT_GT((expected - p->original.col(0)).norm(), 1e-6);
  auto blind = kFullBatch;
  blind["forget_weight"] = 0.0, blind["activation_weight"] = 0.0;
  EXPECT_LT((theta_of(run_method(*p, "blindspot", blind)) - expected).cwiseAbs().maxCoeff(), 1e-10);
  auto gauss = kFullBatch;
  gauss["forget_weight"] = 0.0;
  EXPECT_LT((theta_of(run_method(*p, "gaussian-finetune", gauss)) - expected).cwiseAbs().maxCoeff(), 1e-10);
  auto gated = kFullBatch;
  gated["margin"] = 0.0;
  const auto open = run_method(*p, "ood-gated", gated);
  EXPECT_LT((theta_of(open) - expected).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(MlpMethods, NoneReadsTheForgetLabels) {
  const auto p = mlp_replication("class");
  const UnlearningData hidden = without_forget_labels(p->data);
  for (const char* method : {"blindspot", "gaussian-finetune", "label-agnostic", "lunar", "ood-gated"}) {
    SCOPED_TRACE(method);
    const auto* entry = UnlearnerRegistry::instance().find(method);
    EXPECT_FALSE(entry->make(resolve_params(entry->info.params, {}, method))->needs_forget_labels());
    EXPECT_EQ(theta_of(run_method(*p, method, {}, &hidden)), theta_of(run_method(*p, method)));
  }
}

TEST(Blindspot, PullsTheForgetOutputsToTheBlindspotNetwork) {
  const auto p = mlp_replication();
  const auto& shape = p->base.mlp_shape;
  // The blindspot network refitted here: 2 epochs on the retain rows from the method's stream.
  models::SgdMlpOptions o = p->base.mlp_options;
  o.epochs = 2;
  const Eigen::VectorXd blind =
      models::sgd_mlp_train(shape, mlp_inputs(p->data.retain_z), p->data.retain_y, o, derive_seed(11, "blindspot"));
  const Eigen::MatrixXd xf = mlp_inputs(p->data.forget_z);
  const Eigen::MatrixXd q = models::sgd_mlp_probabilities(shape, blind, xf);
  auto kl_to_blind = [&](const Eigen::VectorXd& t) {  // mean KL(p_blind || p) over the forget rows
    const Eigen::MatrixXd pr = models::sgd_mlp_probabilities(shape, t, xf);
    return (q.array() * (q.array() / pr.array()).log()).sum() / static_cast<double>(xf.rows());
  };
  const auto out = run_method(*p, "blindspot", {{"epochs", std::int64_t{20}}, {"forget_weight", 5.0}});
  EXPECT_LT(kl_to_blind(theta_of(out)), 0.5 * kl_to_blind(p->original.col(0)));
}

TEST(MlpMethods, SoftLabelGradientMatchesFiniteDifferences) {
  const models::SgdMlpShape shape{3, 4, 2, 3};
  std::mt19937_64 rng(5);
  Eigen::MatrixXd x(5, 3), q(5, 3);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = data::standard_normal(rng);
  for (Eigen::Index i = 0; i < q.size(); ++i) q.data()[i] = data::uniform01(rng) + 0.1;
  q = q.array().colwise() / q.rowwise().sum().array();
  const Eigen::VectorXd theta = models::sgd_mlp_init(shape, 2);
  auto f = [&](const Eigen::VectorXd& t) {  // 2 * mean soft-label cross-entropy
    const Eigen::MatrixXd p = models::sgd_mlp_probabilities(shape, t, x);
    return -2.0 * (q.array() * p.array().log()).sum() / 5.0;
  };
  const Eigen::VectorXd g = mlp_soft_label_gradient(shape, theta, x, q, 2.0);
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    Eigen::VectorXd up = theta, down = theta;
    up(i) += 1e-6, down(i) -= 1e-6;
    EXPECT_NEAR(g(i), (f(up) - f(down)) / 2e-6, 1e-6) << i;
  }
}

TEST(GaussianFinetune, TargetsHaveTheRetainLogitMoments) {
  Eigen::MatrixXd logits(4, 2);
  logits << 0, 10, 2, 10, 4, 14, 6, 14;  // column means 3, 12; population sds sqrt(5), 2
  std::mt19937_64 rng(1);
  const Eigen::MatrixXd t = gaussian_logit_targets(logits, 40000, rng);
  const Eigen::RowVectorXd mean = t.colwise().mean();
  const Eigen::RowVectorXd sd = ((t.rowwise() - mean).array().square().colwise().mean()).sqrt();
  EXPECT_NEAR(mean(0), 3.0, 0.05);
  EXPECT_NEAR(mean(1), 12.0, 0.05);
  EXPECT_NEAR(sd(0), std::sqrt(5.0), 0.03);
  EXPECT_NEAR(sd(1), 2.0, 0.03);
}

TEST(LabelAgnostic, KeepsTheHeadAndMovesForgetRepresentationsAwayWithoutLabels) {
  const auto p = mlp_replication();
  const auto& shape = p->base.mlp_shape;
  const Eigen::VectorXd original = p->original.col(0);
  // beta = 0 at the original: the retain distance is 0, so nothing moves.
  EXPECT_LT((theta_of(run_method(*p, "label-agnostic", {{"beta", 0.0}})) - original).cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::VectorXd theta = theta_of(run_method(*p, "label-agnostic", {{"align_epochs", std::int64_t{0}}}));
  const auto head = mlp_output_layer_begin(shape);
  EXPECT_EQ(theta.tail(theta.size() - head), original.tail(theta.size() - head));
  EXPECT_GT((theta.head(head) - original.head(head)).norm(), 0.0);
  // The forget representations approach the retain rows' mean representation (computed here).
  const Eigen::MatrixXd hf = models::sgd_mlp_forward(shape, original, mlp_inputs(p->data.forget_z)).hidden.back();
  const Eigen::MatrixXd hr = models::sgd_mlp_forward(shape, original, mlp_inputs(p->data.retain_z)).hidden.back();
  const Eigen::MatrixXd mean = hr.colwise().mean().replicate(hf.rows(), 1);
  EXPECT_LT(hidden_distance(*p, theta, p->data.forget_z, mean), 0.9 * (hf - mean).norm());
  // Stage 2 (realignment) brings the retain representations back towards the original's.
  const Eigen::VectorXd aligned = theta_of(run_method(*p, "label-agnostic", {{"align_epochs", std::int64_t{5}}}));
  EXPECT_LT(hidden_distance(*p, aligned, p->data.retain_z, hr), hidden_distance(*p, theta, p->data.retain_z, hr));
  // No label is read: every label hidden (-1), the same model bit for bit.
  UnlearningData hidden = p->data;
  hidden.train.y.setConstant(-1), hidden.retain_y.setConstant(-1), hidden.forget_y.setConstant(-1);
  EXPECT_EQ(theta_of(run_method(*p, "label-agnostic", {}, &hidden)), theta_of(run_method(*p, "label-agnostic")));
  EXPECT_EQ(theta_of(run_method(*p, "lunar", {}, &hidden)), theta_of(run_method(*p, "lunar")));
}

TEST(Lunar, MovesOnlyTheLastHiddenLayerTowardsTheRedirectedActivations) {
  const auto p = mlp_replication();
  const auto& shape = p->base.mlp_shape;
  const Eigen::VectorXd original = p->original.col(0);
  EXPECT_LT((theta_of(run_method(*p, "lunar", {{"scale", 0.0}})) - original).cwiseAbs().maxCoeff(), 1e-12);
  const Eigen::VectorXd theta = theta_of(run_method(*p, "lunar", {{"epochs", std::int64_t{30}}}));
  const auto [begin, end] = mlp_last_hidden_layer(shape);
  EXPECT_EQ(begin, 0);  // one hidden layer: the first layer produces h_L
  EXPECT_EQ(end, 8 * 5 + 8);
  EXPECT_EQ(theta.tail(theta.size() - end), original.tail(theta.size() - end));
  // The target, computed here: h0(x_f) + (mean_r h0 - mean_f h0).
  Eigen::MatrixXd target = models::sgd_mlp_forward(shape, original, mlp_inputs(p->data.forget_z)).hidden.back();
  const Eigen::MatrixXd hr = models::sgd_mlp_forward(shape, original, mlp_inputs(p->data.retain_z)).hidden.back();
  target.rowwise() += hr.colwise().mean() - target.colwise().mean();
  // (Part of the target is out of reach: coordinates below 0, which a ReLU cannot give.)
  EXPECT_LT(hidden_distance(*p, theta, p->data.forget_z, target),
            0.85 * hidden_distance(*p, original, p->data.forget_z, target));
}

TEST(OodGated, TheEnergyAurocDecidesWhetherTheUpdateApplies) {
  const auto p = mlp_replication("class");
  const auto& shape = p->base.mlp_shape;
  const Eigen::VectorXd original = p->original.col(0);
  // The AUROC by pair counting of energies log sum exp(logits), forget vs retain.
  auto energies = [&](const Eigen::MatrixXd& z) {
    const Eigen::MatrixXd l = models::sgd_mlp_forward(shape, original, mlp_inputs(z)).logits;
    return Eigen::VectorXd(l.array().exp().rowwise().sum().log());
  };
  const Eigen::VectorXd ef = energies(p->data.forget_z), er = energies(p->data.retain_z);
  double wins = 0;
  for (Eigen::Index i = 0; i < ef.size(); ++i)
    for (Eigen::Index j = 0; j < er.size(); ++j) wins += ef(i) > er(j) ? 1.0 : ef(i) == er(j) ? 0.5 : 0.0;
  const double auroc = wins / static_cast<double>(ef.size() * er.size());
  const auto closed = run_method(*p, "ood-gated", {{"margin", 0.5}});
  std::map<std::string, double> c(closed.diagnostics.begin(), closed.diagnostics.end());
  EXPECT_NEAR(c.at("gate_auroc"), auroc, 1e-12);
  EXPECT_EQ(c.at("gate_open"), 0.0);
  EXPECT_EQ(theta_of(closed), original);
  // Just below the observed |AUROC - 1/2| the gate opens; just above it stays shut.
  const double gap = std::abs(auroc - 0.5);
  ASSERT_GT(gap, 0.01);
  std::map<std::string, double> o;
  for (const auto& [k, v] : run_method(*p, "ood-gated", {{"margin", gap - 0.005}}).diagnostics) o[k] = v;
  EXPECT_EQ(o.at("gate_open"), 1.0);
  EXPECT_EQ(theta_of(run_method(*p, "ood-gated", {{"margin", gap + 0.005}})), original);
}

}  // namespace
}  // namespace sb::unlearning
