#include "estimators/unlearning/impl/descent.h"

#include <algorithm>
#include <numeric>
#include <random>

#include "datasets/random.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::unlearning {

Eigen::VectorXi select_labels(const Eigen::VectorXi& y, const std::vector<Eigen::Index>& rows) {
  Eigen::VectorXi out(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = y(rows[i]);
  return out;
}

Eigen::VectorXi random_other_labels(const Eigen::VectorXi& y, int num_classes, std::mt19937_64& rng) {
  SB_THROW_IF_NOT(InputError, num_classes >= 2, "random labels: needs two classes or more, got {}", num_classes);
  Eigen::VectorXi out(y.size());
  const auto k = static_cast<std::uint64_t>(num_classes);
  for (Eigen::Index i = 0; i < y.size(); ++i)
    out(i) = static_cast<int>((static_cast<std::uint64_t>(y(i)) + 1 + data::uniform_index(rng, k - 1)) % k);
  return out;
}

namespace {

// Cycles through a part's rows in batches, reshuffling at each pass.
class BatchStream {
 public:
  BatchStream(const DescentPart& part, std::int64_t batch, std::uint64_t seed)
      : part_(part), batch_(batch), rng_(seed) {
    order_.resize(part.z ? static_cast<size_t>(part.z->rows()) : 0);
    std::iota(order_.begin(), order_.end(), Eigen::Index{0});
    data::shuffle_in_place(order_, rng_);
  }
  size_t rows() const { return order_.size(); }
  // The mean loss gradient over the next batch (unpenalised).
  Eigen::MatrixXd next_gradient(const models::PenalizedLinear& model, const Eigen::MatrixXd& theta) {
    if (next_ >= order_.size()) next_ = 0, data::shuffle_in_place(order_, rng_);
    const size_t end = std::min(order_.size(), next_ + static_cast<size_t>(batch_));
    const std::vector<Eigen::Index> rows(order_.begin() + static_cast<std::ptrdiff_t>(next_),
                                         order_.begin() + static_cast<std::ptrdiff_t>(end));
    next_ = end;
    Eigen::MatrixXd g;
    linear_objective(model, select_linear_rows({part_.z, part_.y, part_.t}, rows).view(), theta, &g, false);
    return g / static_cast<double>(rows.size());
  }

 private:
  const DescentPart& part_;
  std::int64_t batch_;
  std::mt19937_64 rng_;
  std::vector<Eigen::Index> order_;
  size_t next_ = 0;
};

}  // namespace

Eigen::MatrixXd descend(const models::PenalizedLinear& model, Eigen::MatrixXd theta, const DescentPart& retain,
                        const DescentPart& forget, const DescentOptions& o, std::uint64_t seed,
                        const Eigen::MatrixXd* mask) {
  const bool use_retain = retain.weight > 0 && retain.z && retain.z->rows() > 0;
  const bool use_forget = forget.weight > 0 && forget.z && forget.z->rows() > 0;
  SB_THROW_IF_NOT(InputError, use_retain || use_forget, "descend: neither part has weight and rows");
  BatchStream retain_stream(retain, o.batch_size, seed ^ 0x5eedULL), forget_stream(forget, o.batch_size, seed);
  const size_t lead_rows = use_retain ? retain_stream.rows() : forget_stream.rows();
  const auto steps_per_epoch = static_cast<std::int64_t>((lead_rows + static_cast<size_t>(o.batch_size) - 1) /
                                                         static_cast<size_t>(o.batch_size));
  const double shrink = use_retain ? model.lambda / static_cast<double>(retain_stream.rows()) : 0.0;
  for (std::int64_t step = 0; step < o.epochs * steps_per_epoch; ++step) {
    Eigen::MatrixXd g = Eigen::MatrixXd::Zero(theta.rows(), theta.cols());
    if (use_retain) g += retain.weight * (retain_stream.next_gradient(model, theta) + shrink * theta);
    if (use_forget) g -= forget.weight * forget_stream.next_gradient(model, theta);
    if (mask) g = g.cwiseProduct(*mask);
    theta -= o.learning_rate * g;
  }
  return theta;
}

}  // namespace sb::unlearning
