#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "estimators/models/lbfgs.h"
#include "estimators/models/mlp.h"
#include "estimators/models/softmax_regression.h"
#include "harness/core/errors.h"

namespace sb::models {
namespace {

Eigen::MatrixXd random_matrix(Eigen::Index r, Eigen::Index c, std::mt19937_64& rng) {
  std::normal_distribution<double> n;
  Eigen::MatrixXd m(r, c);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = n(rng);
  return m;
}

// ODIN loss written out directly: -log softmax(z / T)[argmax z], z = W f(x) + b.
double odin_loss(const Classifier& model, const Eigen::RowVectorXd& x, double t, int c) {
  const Eigen::RowVectorXd z = model.logits_from_features(model.features(x)).row(0) / t;
  const double mx = z.maxCoeff();
  return -(z(c) - mx - std::log((z.array() - mx).exp().sum()));
}

void expect_input_gradient_matches(const Classifier& model, const Eigen::MatrixXd& x,
                                   double t) {
  const Eigen::MatrixXd g = model.input_gradient(x, t);
  ASSERT_EQ(g.rows(), x.rows());
  ASSERT_EQ(g.cols(), x.cols());
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    Eigen::Index c;
    model.logits_from_features(model.features(x.row(i))).row(0).maxCoeff(&c);
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      Eigen::RowVectorXd plus = x.row(i), minus = x.row(i);
      plus(j) += h;
      minus(j) -= h;
      const double numeric =
          (odin_loss(model, plus, t, static_cast<int>(c)) - odin_loss(model, minus, t, static_cast<int>(c))) / (2 * h);
      EXPECT_NEAR(g(i, j), numeric, 1e-6 * std::max(1.0, std::abs(numeric))) << i << "," << j;
    }
  }
}

TEST(SoftmaxRegression, ObjectiveGradientMatchesFiniteDifferences) {
  std::mt19937_64 rng(1);
  const Eigen::MatrixXd x = random_matrix(20, 4, rng), w = random_matrix(3, 4, rng);
  const Eigen::VectorXd b = random_matrix(3, 1, rng);
  Eigen::VectorXi y(20);
  for (int i = 0; i < 20; ++i) y(i) = i % 3;
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  softmax_objective(x, y, w, b, 0.3, &gw, &gb);
  const double h = 1e-6;
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    Eigen::MatrixXd wp = w, wm = w;
    wp.data()[i] += h;
    wm.data()[i] -= h;
    const double numeric = (softmax_objective(x, y, wp, b, 0.3, nullptr, nullptr) -
                            softmax_objective(x, y, wm, b, 0.3, nullptr, nullptr)) / (2 * h);
    EXPECT_NEAR(gw.data()[i], numeric, 1e-7);
  }
  for (Eigen::Index i = 0; i < b.size(); ++i) {
    Eigen::VectorXd bp = b, bm = b;
    bp(i) += h;
    bm(i) -= h;
    const double numeric = (softmax_objective(x, y, w, bp, 0.3, nullptr, nullptr) -
                            softmax_objective(x, y, w, bm, 0.3, nullptr, nullptr)) / (2 * h);
    EXPECT_NEAR(gb(i), numeric, 1e-7);
  }
  // Closed form at W = 0, b = 0: every class has probability 1/k, loss = log k.
  EXPECT_NEAR(softmax_objective(x, y, Eigen::MatrixXd::Zero(3, 4), Eigen::VectorXd::Zero(3), 1.0,
                                nullptr, nullptr),
              std::log(3.0), 1e-15);
}

// Three well-separated blobs in 2-D.
void blobs(int n, std::uint64_t seed, Eigen::MatrixXd& x, Eigen::VectorXi& y) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.5);
  const double centres[3][2] = {{0, 4}, {4, -2}, {-4, -2}};
  x.resize(n, 2);
  y.resize(n);
  for (int i = 0; i < n; ++i) {
    y(i) = i % 3;
    x(i, 0) = centres[y(i)][0] + noise(rng);
    x(i, 1) = centres[y(i)][1] + noise(rng);
  }
}

double accuracy(const Classifier& m, const Eigen::MatrixXd& x, const Eigen::VectorXi& y) {
  const Eigen::MatrixXd z = m.logits_from_features(m.features(x));
  int ok = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    Eigen::Index c;
    z.row(i).maxCoeff(&c);
    ok += c == y(i);
  }
  return static_cast<double>(ok) / x.rows();
}

TEST(SoftmaxRegression, FitsSeparableDataToStationarity) {
  Eigen::MatrixXd x, xt;
  Eigen::VectorXi y, yt;
  blobs(300, 2, x, y);
  blobs(300, 3, xt, yt);
  SoftmaxRegressionOptions o;
  o.l2 = 1e-2;
  const SoftmaxRegression model(x, y, 3, o);
  EXPECT_TRUE(model.converged());
  EXPECT_EQ(accuracy(model, xt, yt), 1.0);
  // First-order optimality checked independently of the optimiser's report.
  Eigen::MatrixXd gw;
  Eigen::VectorXd gb;
  softmax_objective(x, y, model.weight(), model.bias(), o.l2, &gw, &gb);
  EXPECT_LT(gw.cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_LT(gb.cwiseAbs().maxCoeff(), 1e-5);
  EXPECT_EQ(model.features(xt), xt);
}

TEST(SoftmaxRegression, InputGradientMatchesFiniteDifferences) {
  Eigen::MatrixXd x;
  Eigen::VectorXi y;
  blobs(60, 4, x, y);
  const SoftmaxRegression model(x, y, 3);
  expect_input_gradient_matches(model, x.topRows(5), 1.0);
  expect_input_gradient_matches(model, x.topRows(5), 1000.0);
}

TEST(SoftmaxRegression, RejectsBadInput) {
  Eigen::MatrixXd x(3, 2);
  x.setZero();
  Eigen::VectorXi y(3);
  y << 0, 1, 5;
  EXPECT_THROW(SoftmaxRegression(x, y, 3), InputError);
  EXPECT_THROW(SoftmaxRegression(x, Eigen::VectorXi::Zero(2), 3), InputError);
}

TEST(Lbfgs, MinimisesAQuadraticExactly) {
  // f(x) = 1/2 x'Ax - b'x, minimiser A^{-1} b.
  Eigen::Matrix3d a;
  a << 4, 1, 0, 1, 3, 0.5, 0, 0.5, 2;
  const Eigen::Vector3d b(1, -2, 3);
  auto f = [&](const Eigen::VectorXd& x, Eigen::VectorXd& g) {
    g = a * x - b;
    return 0.5 * x.dot(a * x) - b.dot(x);
  };
  LbfgsOptions o;
  o.gradient_tolerance = 1e-10;
  const auto r = minimize_lbfgs(f, Eigen::VectorXd::Zero(3), o);
  EXPECT_TRUE(r.converged);
  EXPECT_LT((r.x - a.ldlt().solve(b)).norm(), 1e-9);
}

MlpParameters random_mlp(std::mt19937_64& rng, int p, int h, int k) {
  return {random_matrix(h, p, rng), random_matrix(h, 1, rng), random_matrix(k, h, rng),
          random_matrix(k, 1, rng)};
}

TEST(Mlp, ObjectiveGradientMatchesFiniteDifferences) {
  std::mt19937_64 rng(5);
  const MlpParameters params = random_mlp(rng, 3, 6, 4);
  const Eigen::MatrixXd x = random_matrix(15, 3, rng);
  Eigen::VectorXi y(15);
  for (int i = 0; i < 15; ++i) y(i) = i % 4;
  MlpParameters g;
  mlp_objective(params, x, y, 0.1, &g);
  const double h = 1e-6;
  auto check = [&](Eigen::MatrixXd MlpParameters::*field_m, Eigen::VectorXd MlpParameters::*field_v,
                   const Eigen::MatrixXd* gm, const Eigen::VectorXd* gv) {
    const Eigen::Index size = field_m ? (params.*field_m).size() : (params.*field_v).size();
    for (Eigen::Index i = 0; i < size; ++i) {
      MlpParameters plus = params, minus = params;
      double* pp = field_m ? (plus.*field_m).data() : (plus.*field_v).data();
      double* pm = field_m ? (minus.*field_m).data() : (minus.*field_v).data();
      pp[i] += h;
      pm[i] -= h;
      const double numeric =
          (mlp_objective(plus, x, y, 0.1, nullptr) - mlp_objective(minus, x, y, 0.1, nullptr)) / (2 * h);
      const double analytic = gm ? gm->data()[i] : gv->data()[i];
      EXPECT_NEAR(analytic, numeric, 1e-6) << i;
    }
  };
  check(&MlpParameters::w1, nullptr, &g.w1, nullptr);
  check(nullptr, &MlpParameters::b1, nullptr, &g.b1);
  check(&MlpParameters::w2, nullptr, &g.w2, nullptr);
  check(nullptr, &MlpParameters::b2, nullptr, &g.b2);
}

TEST(Mlp, InputGradientMatchesFiniteDifferences) {
  std::mt19937_64 rng(6);
  const Mlp model(random_mlp(rng, 4, 8, 3));
  expect_input_gradient_matches(model, random_matrix(6, 4, rng), 1.0);
  expect_input_gradient_matches(model, random_matrix(3, 4, rng), 50.0);
}

TEST(Mlp, LearnsSeparableDataAndIsDeterministic) {
  Eigen::MatrixXd x, xt;
  Eigen::VectorXi y, yt;
  blobs(300, 7, x, y);
  blobs(300, 8, xt, yt);
  MlpOptions o;
  o.hidden = 16;
  o.epochs = 30;
  o.batch_size = 32;
  o.learning_rate = 1e-2;
  o.seed = 42;
  const Mlp a(x, y, 3, o), b(x, y, 3, o);
  EXPECT_EQ(accuracy(a, xt, yt), 1.0);
  EXPECT_EQ(a.weight(), b.weight());  // bitwise identical for the same seed
  EXPECT_EQ(a.hidden_weight(), b.hidden_weight());
  EXPECT_EQ(a.features(xt).cols(), 16);
  EXPECT_GE(a.features(xt).minCoeff(), 0.0);  // ReLU features
  o.seed = 43;
  const Mlp c(x, y, 3, o);
  EXPECT_NE(a.weight(), c.weight());
}

TEST(Mlp, RejectsBadOptions) {
  Eigen::MatrixXd x;
  Eigen::VectorXi y;
  blobs(30, 1, x, y);
  MlpOptions o;
  o.hidden = 0;
  EXPECT_THROW(Mlp(x, y, 3, o), InputError);
  o.hidden = 4;
  o.learning_rate = 0;
  EXPECT_THROW(Mlp(x, y, 3, o), InputError);
}

TEST(SoftmaxRows, DividesByTheTemperatureFirstAndRowsSumToOne) {
  std::mt19937_64 rng(11);
  const Eigen::MatrixXd logits = random_matrix(7, 6, rng) * 5.0;
  const Eigen::MatrixXd p = softmax_rows(logits, 3.0);
  EXPECT_EQ(p, softmax_rows(Eigen::MatrixXd(logits / 3.0)));
  EXPECT_EQ(softmax_rows(logits, 1.0), softmax_rows(logits));
  for (Eigen::Index i = 0; i < p.rows(); ++i) EXPECT_NEAR(p.row(i).sum(), 1.0, 1e-12);
  EXPECT_TRUE((p.array() > 0).all());
}

// The OOD detector's step on features and the learners' input gradients
// share this one gradient.
TEST(OdinFeatureGradient, IsTheLogitGradientThroughTheHead) {
  std::mt19937_64 rng(12);
  const Eigen::MatrixXd logits = random_matrix(5, 4, rng), weight = random_matrix(4, 3, rng);
  const Eigen::MatrixXd through_head = odin_logit_gradient(logits, 10.0) * weight;
  EXPECT_EQ(odin_feature_gradient(logits, weight, 10.0), through_head);
  EXPECT_THROW(odin_feature_gradient(logits, weight, 0.0), InputError);
}

}  // namespace
}  // namespace sb::models
