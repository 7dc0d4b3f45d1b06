// Logit/softmax-based detectors against their formulas computed by loops.
#include <algorithm>
#include <cmath>
#include <functional>

#include "tests/estimators/ood/helpers.h"

namespace sb::ood::testing {
namespace {

TEST(Msp, ClosedFormOnLogits123) {
  Split s;
  s.logits = Eigen::MatrixXd{{1.0, 2.0, 3.0}};
  FitContext ctx;
  ctx.num_classes = 3;
  auto d = make_detector("msp");
  d->fit(ctx);
  const double e = std::exp(1.0);
  EXPECT_NEAR(d->score(s)(0), std::exp(3.0) / (e + e * e + e * e * e), 1e-15);
}

TEST(Msp, MatchesLoopSoftmaxOnTinyModel) {
  TinyProblem t;
  auto d = make_detector("msp");
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    const auto p = loop_softmax(t.test.logits, i);
    EXPECT_NEAR(got(i), *std::max_element(p.begin(), p.end()), 1e-14) << "row " << i;
  }
}

TEST(MaxLogit, IsTheLargestLogit) {
  TinyProblem t;
  auto d = make_detector("max-logit");
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    double mx = -1e300;
    for (long c = 0; c < 3; ++c) mx = std::max(mx, t.test.logits(i, c));
    EXPECT_EQ(got(i), mx);
  }
}

TEST(Energy, IsTemperatureTimesLogSumExp) {
  TinyProblem t;
  for (double temp : {1.0, 2.0, 0.5}) {
    auto d = make_detector("energy", {{"temperature", temp}});
    d->fit(t.ctx);
    const Eigen::VectorXd got = d->score(t.test);
    for (long i = 0; i < got.size(); ++i)
      EXPECT_NEAR(got(i), loop_energy(t.test.logits, i, temp), 1e-12) << "T=" << temp;
  }
  // Stable for large logits (naive exp overflows).
  Split big;
  big.logits = Eigen::MatrixXd{{1000.0, 1000.0, 0.0}};
  auto d = make_detector("energy");
  d->fit(t.ctx);
  EXPECT_NEAR(d->score(big)(0), 1000.0 + std::log(2.0), 1e-9);
}

TEST(Energy, RejectsLogitsOfAnotherWidth) {
  TinyProblem t;
  auto d = make_detector("energy");
  d->fit(t.ctx);
  Split s;
  s.logits = Eigen::MatrixXd::Zero(2, 4);
  EXPECT_THROW(d->score(s), InputError);
}

TEST(Gen, GeneralisedEntropyOfTopM) {
  TinyProblem t;
  const double gamma = 0.5;
  auto d = make_detector("gen", {{"gamma", gamma}, {"top_m", std::int64_t{2}}});
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    auto p = loop_softmax(t.test.logits, i);
    std::sort(p.begin(), p.end(), std::greater<>());
    const double g = std::sqrt(p[0] * (1 - p[0])) + std::sqrt(p[1] * (1 - p[1]));
    EXPECT_NEAR(got(i), -g, 1e-14);
  }
  // top_m above the number of classes uses all three.
  auto all = make_detector("gen", {{"gamma", gamma}, {"top_m", std::int64_t{100}}});
  all->fit(t.ctx);
  const auto p = loop_softmax(t.test.logits, 0);
  double g = 0;
  for (double v : p) g += std::sqrt(v * (1 - v));
  EXPECT_NEAR(all->score(t.test)(0), -g, 1e-14);
}

TEST(KlMatching, MinKlToPredictedClassTemplates) {
  TinyProblem t;
  auto d = make_detector("kl-matching");
  d->fit(t.ctx);
  // Templates: mean softmax over training rows grouped by predicted class.
  double tmpl[3][3] = {};
  int count[3] = {};
  for (long i = 0; i < t.train.logits.rows(); ++i) {
    const auto p = loop_softmax(t.train.logits, i);
    const long pred = std::max_element(p.begin(), p.end()) - p.begin();
    for (int c = 0; c < 3; ++c) tmpl[pred][c] += p[c];
    ++count[pred];
  }
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    const auto p = loop_softmax(t.test.logits, i);
    double best = 1e300;
    for (int k = 0; k < 3; ++k) {
      if (count[k] == 0) continue;
      double kl = 0;
      for (int c = 0; c < 3; ++c) kl += p[c] * std::log(p[c] / (tmpl[k][c] / count[k]));
      best = std::min(best, kl);
    }
    EXPECT_NEAR(got(i), -best, 1e-12) << "row " << i;
  }
}

// ODIN on features: f' = f - eps sign(W^T (p_T - e_yhat) / T).
TEST(Odin, FeaturePerturbationWithoutModel) {
  TinyProblem t;
  const double temp = 2.0, eps = 0.1;
  auto d = make_detector("odin", {{"temperature", temp}, {"epsilon", eps}});
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(t.test);
  for (long i = 0; i < got.size(); ++i) {
    const auto p = loop_softmax(t.test.logits, i, temp);
    const long pred = std::max_element(p.begin(), p.end()) - p.begin();
    Eigen::MatrixXd f1(1, 2);
    for (long j = 0; j < 2; ++j) {
      double g = 0;
      for (long c = 0; c < 3; ++c) g += t.w(c, j) * (p[c] - (c == pred ? 1.0 : 0.0)) / temp;
      const double sign = g > 0 ? 1.0 : (g < 0 ? -1.0 : 0.0);
      f1(0, j) = t.test.features(i, j) - eps * sign;
    }
    const auto q = loop_softmax(loop_logits(f1, t.w, t.b), 0, temp);
    EXPECT_NEAR(got(i), *std::max_element(q.begin(), q.end()), 1e-14) << "row " << i;
  }
}

// A stand-in model: features = 2 x, and a fixed input gradient.
class DoublingModel final : public Classifier {
 public:
  DoublingModel(const Eigen::MatrixXd& w, const Eigen::VectorXd& b, Eigen::MatrixXd grad)
      : grad_(std::move(grad)) {
    weight_ = w;
    bias_ = b;
  }
  Eigen::MatrixXd features(const Eigen::MatrixXd& x) const override { return 2.0 * x; }
  Eigen::MatrixXd input_gradient(const Eigen::MatrixXd& x, double) const override {
    EXPECT_EQ(x.rows(), grad_.rows());
    return grad_;
  }

 private:
  Eigen::MatrixXd grad_;
};

TEST(Odin, InputPerturbationThroughModel) {
  TinyProblem t;
  const double temp = 10.0, eps = 0.05;
  const Eigen::MatrixXd x{{0.5, 0.5}, {1.0, -2.0}};
  const Eigen::MatrixXd grad{{0.3, -0.2}, {0.0, 1.5}};
  DoublingModel model(t.w, t.b, grad);
  t.ctx.model = &model;
  Split s = make_split(2.0 * x, t.w, t.b);
  s.inputs = x;
  auto d = make_detector("odin", {{"temperature", temp}, {"epsilon", eps}});
  d->fit(t.ctx);
  const Eigen::VectorXd got = d->score(s);
  // x' = x - eps sign(grad): row 0 -> (0.45, 0.55), row 1 -> (1.0, -2.05).
  const Eigen::MatrixXd xp{{0.45, 0.55}, {1.0, -2.05}};
  const Eigen::MatrixXd logits = loop_logits(2.0 * xp, t.w, t.b);
  for (long i = 0; i < 2; ++i) {
    const auto q = loop_softmax(logits, i, temp);
    EXPECT_NEAR(got(i), *std::max_element(q.begin(), q.end()), 1e-14);
  }
}

}  // namespace
}  // namespace sb::ood::testing
