#include "benchmarks/selection/utility_path.h"

#include <limits>

namespace sb::selection {

PrefixUtility::PrefixUtility(const Utility& utility) : utility_(&utility) {
  const SelectionData& data = utility.data();
  prefix_.reserve(static_cast<size_t>(data.train.rows()));
  if (data.num_classes == 2) {
    positive_ = (data.train.y.array() == 1).cast<int>();
    binary_.emplace(data.train.x, positive_, utility.options().l2, utility.options().tolerance);
    valid_margin_.resize(data.valid.rows());
  }
}

void PrefixUtility::clear() {
  prefix_.clear();
  previous_.reset();
  if (binary_) binary_->clear();
}

double PrefixUtility::binary_accuracy() {
  const data::Table& valid = utility_->data().valid;
  if (valid.rows() == 0) return 0;
  Eigen::Index right = 0;
  if (!binary_->both_classes()) {
    right = (valid.y.array() == binary_->only_class()).count();
  } else {
    // Class 1 where its logit is larger; a tie goes to the lower class, as
    // LogisticClassifier::predict's does.
    valid_margin_.noalias() = valid.x * binary_->weight();
    for (Eigen::Index i = 0; i < valid.rows(); ++i) right += (valid_margin_(i) + binary_->bias() > 0) == (valid.y(i) == 1);
  }
  return static_cast<double>(right) / static_cast<double>(valid.rows());
}

double PrefixUtility::add(Eigen::Index row) {
  prefix_.push_back(row);
  if (!binary_) {
    Utility::Scored s = utility_->scored(prefix_, previous_ ? &*previous_ : nullptr);
    if (!utility_->data().regression()) previous_ = std::move(s.model);
    return s.value;
  }
  ++utility_->fits_;
  if (!binary_->add(row)) {
    // Newton's method gave up: the softmax fit from the last iterate decides,
    // with (W_0, W_1) = (-w/2, w/2) and (b_0, b_1) = (-b/2, b/2).
    models::LogisticClassifier start;
    start.num_classes = 2;
    start.weight.resize(2, binary_->weight().size());
    start.weight.row(0) = -0.5 * binary_->weight().transpose();
    start.weight.row(1) = 0.5 * binary_->weight().transpose();
    start.bias = Eigen::Vector2d(-0.5 * binary_->bias(), 0.5 * binary_->bias());
    const models::LogisticClassifier fit = utility_->fit_uncounted(prefix_, &start);
    binary_->set((fit.weight.row(1) - fit.weight.row(0)).transpose(), fit.bias(1) - fit.bias(0));
  }
  return binary_accuracy();
}

}  // namespace sb::selection
