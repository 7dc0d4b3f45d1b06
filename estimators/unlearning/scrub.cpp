// SCRUB: the original model is a teacher, the student starts as its copy.
// Each epoch, while epoch < max_epochs, one pass of "max" steps over forget
// batches ascends the mean KL(teacher || student) on them; then one pass of
// "min" steps over retain batches descends
//   alpha * mean KL(teacher || student) + gamma * (mean loss + (lambda / n_r) theta).
// The KL's gradient in theta is z^T (student - teacher predictions) / batch
// (ridge: outputs read as unit-variance Gaussian means). It vanishes while
// the student equals the teacher, so the min steps move first.
// Paper: Kurmanji, Triantafillou, Hayes & Triantafillou (2023), Towards Unbounded Machine Unlearning, NeurIPS.
#include <algorithm>
#include <numeric>
#include <random>
#include <vector>

#include "benchmarks/unlearning/unlearning.h"
#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {
namespace {

class Scrub : public Unlearner {
 public:
  struct Params {
    double alpha = 1.0;
    double gamma = 1.0;
    std::int64_t max_epochs = 2;
    std::int64_t epochs = 5;
    double learning_rate = 0.1;
    std::int64_t batch_size = 64;
  };
  explicit Scrub(const Params& p) : p_(p) {}

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const Eigen::MatrixXd& teacher = *ctx.original;
    Eigen::MatrixXd theta = teacher;
    std::mt19937_64 rng(ctx.seed);
    const double shrink = ctx.model.lambda / static_cast<double>(d.retain_z.rows());
    for (std::int64_t epoch = 0; epoch < p_.epochs; ++epoch) {
      if (epoch < p_.max_epochs) {
        for (const auto& rows : batches(d.forget_z.rows(), rng)) {
          const Eigen::MatrixXd z = models::select_rows(d.forget_z, rows);
          theta += p_.learning_rate * kl_gradient(ctx.model, z, teacher, theta);
        }
      }
      for (const auto& rows : batches(d.retain_z.rows(), rng)) {
        const Eigen::MatrixXd z = models::select_rows(d.retain_z, rows);
        Eigen::MatrixXd g = p_.alpha * kl_gradient(ctx.model, z, teacher, theta);
        if (p_.gamma > 0) {
          Eigen::MatrixXd loss_gradient;
          models::linear_objective(ctx.model, z, select_labels(d.retain_y, rows), theta, &loss_gradient, false);
          g += p_.gamma * (loss_gradient / static_cast<double>(rows.size()) + shrink * theta);
        }
        theta -= p_.learning_rate * g;
      }
    }
    return {{theta}, {}};
  }

 private:
  // d/dtheta of the mean over z's rows of KL(teacher || student).
  static Eigen::MatrixXd kl_gradient(const models::PenalizedLinear& model, const Eigen::MatrixXd& z,
                                     const Eigen::MatrixXd& teacher, const Eigen::MatrixXd& student) {
    const Eigen::MatrixXd diff =
        models::linear_predictions(model, z, student) - models::linear_predictions(model, z, teacher);
    return z.transpose() * diff / static_cast<double>(z.rows());
  }

  // A seeded permutation of [0, n) cut into batches.
  std::vector<std::vector<Eigen::Index>> batches(Eigen::Index n, std::mt19937_64& rng) const {
    std::vector<Eigen::Index> order(static_cast<size_t>(n));
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    data::shuffle_in_place(order, rng);
    std::vector<std::vector<Eigen::Index>> out;
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(p_.batch_size)) {
      const size_t end = std::min(order.size(), start + static_cast<size_t>(p_.batch_size));
      out.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start), order.begin() + static_cast<std::ptrdiff_t>(end));
    }
    return out;
  }

  Params p_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Scrub, "scrub")
    .describe("teacher-student: ascend KL on forget batches, descend KL + loss on retain batches")
    .paper("Kurmanji, Triantafillou, Hayes & Triantafillou (2023), Towards Unbounded Machine Unlearning, NeurIPS")
    .field(&Scrub::Params::alpha, "alpha", 0.0, 1e3, "weight of the KL on retain batches")
    .field(&Scrub::Params::gamma, "gamma", 0.0, 1e3, "weight of the loss on retain batches")
    .field(&Scrub::Params::max_epochs, "max_epochs", 0, 100000, "epochs that start with a max pass over the forget rows")
    .field(&Scrub::Params::epochs, "epochs", 0, 100000, "epochs (each ends with a min pass over the retain rows)")
    .field(&Scrub::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size")
    .field(&Scrub::Params::batch_size, "batch_size", 1, 10000000, "rows per step");

}  // namespace sb::unlearning
