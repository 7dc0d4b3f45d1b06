// Certified removal by a Newton step with loss perturbation: the model is
// trained on L_D(theta) + b^T theta, b ~ N(0, sigma^2 I) drawn at training
// time; a request takes one Newton step on the retain objective,
//   theta- = theta - H_R(theta)^{-1} (grad L_R(theta) + b),
// whose gradient residual r = ||grad L_R(theta-) + b|| (computed exactly: the
// tightest of the paper's bounds) certifies (epsilon, delta)-removal while
// r <= sigma epsilon / c, c = sqrt(2 log(1.5 / delta)) (Theorem 3). Past that
// budget the model is retrained on the retain rows (with the same b).
// sigma = 0: no perturbation and no certificate (never retrains).
// Successive requests (Guo et al.'s Algorithm for a stream of removals): each
// request steps from the model the previous one left, the residuals add up
// (the certificate of the composition), and the model is retrained when their
// sum passes the budget, which starts again from the retrained residual.
// Paper: Guo, Goldstein, Hannun & van der Maaten (2020), Certified Data Removal from Machine Learning Models, ICML.
#include <cmath>
#include <limits>
#include <random>

#include "benchmarks/unlearning/unlearning.h"
#include "datasets/random.h"

namespace sb::unlearning {
namespace {

class NewtonRemoval : public Unlearner {
 public:
  struct Params {
    double sigma = 0.0;
    double epsilon = 1.0;
    double delta = 1e-4;
  };
  explicit NewtonRemoval(const Params& p) : p_(p) {}

  void train(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    spent_residual_ = 0;
    if (p_.sigma == 0) {
      perturbation_ = Eigen::MatrixXd::Zero(ctx.original->rows(), ctx.original->cols());
      trained_ = *ctx.original;
      return;
    }
    std::mt19937_64 rng(ctx.seed);
    perturbation_.resize(ctx.original->rows(), ctx.original->cols());
    for (Eigen::Index i = 0; i < perturbation_.size(); ++i)
      perturbation_.data()[i] = p_.sigma * data::standard_normal(rng);
    trained_ = fit_linear(ctx.model, d.train_rows(), d.num_classes, *ctx.original, perturbation_);
  }

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    Eigen::MatrixXd gradient;
    linear_objective(ctx.model, d.retain_rows(), trained_, &gradient);
    gradient += perturbation_;
    Eigen::MatrixXd theta = trained_ - models::solve_linear_hessian(ctx.model, d.retain_z, trained_, gradient);
    linear_objective(ctx.model, d.retain_rows(), theta, &gradient);
    const double residual = (gradient + perturbation_).norm();
    UnlearnedModel out;
    double retrained = 0;
    if (p_.sigma > 0) {
      const double allowed = p_.sigma * p_.epsilon / std::sqrt(2.0 * std::log(1.5 / p_.delta));
      spent_residual_ += residual;  // the requests so far (0 before the first)
      out.diagnostics.emplace_back("budget_used", spent_residual_ / allowed);
      if (spent_residual_ > allowed) {
        theta = fit_linear(ctx.model, d.retain_rows(), d.num_classes, theta, perturbation_);
        retrained = 1;
        linear_objective(ctx.model, d.retain_rows(), theta, &gradient);
        spent_residual_ = (gradient + perturbation_).norm();
      }
      // The epsilon that the returned model's residuals certify at this (sigma, delta) (Theorem 3 solved
      // for epsilon): epsilon * budget_used without a retrain, about 0 after one.
      out.diagnostics.emplace_back("epsilon_spent",
                                   spent_residual_ * std::sqrt(2.0 * std::log(1.5 / p_.delta)) / p_.sigma);
    }
    out.diagnostics.emplace_back("retrained", retrained);
    trained_ = theta;  // the next request steps from here
    out.thetas.push_back(std::move(theta));
    return out;
  }

  bool sequential() const override { return true; }
  // Least squares: one Newton step lands on the (perturbed) retain optimum exactly.
  bool regression() const override { return true; }

 private:
  Params p_;
  Eigen::MatrixXd perturbation_, trained_;
  double spent_residual_ = 0;  // sum of the gradient residuals since the last retrain
};

}  // namespace

SB_REGISTER_UNLEARNER(NewtonRemoval, "newton-removal")
    .describe("one Newton step on the retain objective from a loss-perturbed model; retrains when the "
              "(epsilon, delta) certificate's residual budget is spent")
    .paper("Guo, Goldstein, Hannun & van der Maaten (2020), Certified Data Removal from Machine Learning Models, ICML")
    .field(&NewtonRemoval::Params::sigma, "sigma", 0.0, 1e6, "sd of the loss perturbation b (0: none, uncertified)")
    .field(&NewtonRemoval::Params::epsilon, "epsilon", 1e-6, 1e6, "certificate's epsilon")
    .field(&NewtonRemoval::Params::delta, "delta", 1e-12, 0.5, "certificate's delta");

}  // namespace sb::unlearning
