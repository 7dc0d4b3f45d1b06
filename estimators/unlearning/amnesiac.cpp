// Amnesiac unlearning: the model is trained by minibatch SGD from zero
// (amnesiac.h's schedule; each step theta -= lr * [mean loss gradient over the
// batch + (lambda / n) theta]) and every step's parameter update is stored
// with the rows of its batch. A request subtracts the updates of every batch
// that held a forget row, then fine-tunes on the retain rows for
// `repair_epochs` (minibatch SGD as `finetune`) to repair the damage.
// The method's model is its own SGD-trained one, not the exact original.
// Paper: Graves, Nagisetty & Ganesh (2021), Amnesiac Machine Learning, AAAI.
#include "estimators/unlearning/amnesiac.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "benchmarks/unlearning/unlearning.h"
#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "estimators/unlearning/impl/descent.h"

namespace sb::unlearning {

std::vector<std::vector<Eigen::Index>> amnesiac_batches(Eigen::Index n, std::int64_t batch_size, std::int64_t epochs,
                                                        std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Eigen::Index> order(static_cast<size_t>(n));
  std::vector<std::vector<Eigen::Index>> out;
  for (std::int64_t e = 0; e < epochs; ++e) {
    std::iota(order.begin(), order.end(), Eigen::Index{0});
    data::shuffle_in_place(order, rng);
    for (size_t start = 0; start < order.size(); start += static_cast<size_t>(batch_size)) {
      const size_t end = std::min(order.size(), start + static_cast<size_t>(batch_size));
      out.emplace_back(order.begin() + static_cast<std::ptrdiff_t>(start),
                       order.begin() + static_cast<std::ptrdiff_t>(end));
    }
  }
  return out;
}

namespace {

class Amnesiac : public Unlearner {
 public:
  struct Params {
    std::int64_t epochs = 5;
    double learning_rate = 0.1;
    std::int64_t batch_size = 64;
    std::int64_t repair_epochs = 1;
  };
  explicit Amnesiac(const Params& p) : p_(p) {}

  void train(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    batches_ = amnesiac_batches(d.train_z.rows(), p_.batch_size, p_.epochs, ctx.seed);
    theta_ = Eigen::MatrixXd::Zero(ctx.original->rows(), ctx.original->cols());
    updates_.clear();
    removed_.assign(batches_.size(), 0);
    requests_ = 0;
    const double shrink = ctx.model.lambda / static_cast<double>(d.train_z.rows());
    for (const auto& rows : batches_) {
      Eigen::MatrixXd g;
      models::linear_objective(ctx.model, models::select_rows(d.train_z, rows), select_labels(d.train.y, rows), theta_,
                               &g, false);
      updates_.push_back(-p_.learning_rate * (g / static_cast<double>(rows.size()) + shrink * theta_));
      theta_ += updates_.back();
    }
  }

  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    std::vector<char> forgotten(static_cast<size_t>(d.train_z.rows()), 0);
    for (auto i : d.forget) forgotten[static_cast<size_t>(i)] = 1;
    Eigen::MatrixXd theta = theta_;
    removed_.resize(batches_.size(), 0);
    for (size_t t = 0; t < batches_.size(); ++t) {
      const auto& rows = batches_[t];
      if (removed_[t]) continue;  // a previous request subtracted it
      if (std::any_of(rows.begin(), rows.end(), [&](Eigen::Index i) { return forgotten[static_cast<size_t>(i)]; })) {
        theta -= updates_[t];
        removed_[t] = 1;
      }
    }
    if (p_.repair_epochs > 0) {
      const DescentOptions o{p_.repair_epochs, p_.learning_rate, p_.batch_size};
      theta = descend(ctx.model, theta, {&d.retain_z, &d.retain_y, 1.0}, {}, o, ctx.seed + 1 + requests_);
    }
    ++requests_;
    theta_ = theta;  // successive requests continue from here
    return {{theta}, {}};
  }

  // Successive requests subtract each stored update at most once, so without
  // repair k requests equal one request of their union.
  bool sequential() const override { return true; }

 private:
  std::vector<char> removed_;  // per stored batch: its update already subtracted
  std::uint64_t requests_ = 0;
  Params p_;
  std::vector<std::vector<Eigen::Index>> batches_;
  std::vector<Eigen::MatrixXd> updates_;
  Eigen::MatrixXd theta_;
};

}  // namespace

SB_REGISTER_UNLEARNER(Amnesiac, "amnesiac")
    .describe("SGD training with stored updates; a request subtracts the updates of batches holding forget rows, "
              "then fine-tunes on the retain rows")
    .paper("Graves, Nagisetty & Ganesh (2021), Amnesiac Machine Learning, AAAI")
    .field(&Amnesiac::Params::epochs, "epochs", 1, 100000, "training passes over the training rows")
    .field(&Amnesiac::Params::learning_rate, "learning_rate", 0.0, 100.0, "step size (training and repair)")
    .field(&Amnesiac::Params::batch_size, "batch_size", 1, 10000000, "rows per step")
    .field(&Amnesiac::Params::repair_epochs, "repair_epochs", 0, 100000, "fine-tuning passes over the retain rows");

}  // namespace sb::unlearning
