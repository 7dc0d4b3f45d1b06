#include <algorithm>

#include "benchmarks/selection/selection.h"
#include "estimators/models/linear.h"
#include "estimators/models/logistic_classifier.h"

namespace sb::selection {

Utility::Utility(const SelectionData& data, const UtilityOptions& options)
    : data_(&data), options_(options) {}

models::LogisticClassifier Utility::fit_uncounted(std::vector<Eigen::Index> rows,
                                                  const models::LogisticClassifier* start) const {
  std::sort(rows.begin(), rows.end());
  models::SoftmaxRegressionOptions o;
  o.l2 = options_.l2;
  o.gradient_tolerance = options_.tolerance;
  Eigen::VectorXi labels(static_cast<Eigen::Index>(rows.size()));
  for (size_t i = 0; i < rows.size(); ++i) labels(static_cast<Eigen::Index>(i)) = data_->train.y(rows[i]);
  return models::fit_logistic(models::select_rows(data_->train.x, rows), labels, data_->num_classes, o, start);
}

models::LogisticClassifier Utility::fit(std::vector<Eigen::Index> rows) const {
  ++fits_;
  return fit_uncounted(std::move(rows));
}

double Utility::accuracy_on(std::vector<Eigen::Index> subset, const data::Table& eval) const {
  if (subset.empty() || eval.rows() == 0) return 0;
  return fit_uncounted(std::move(subset)).accuracy(eval.x, eval.y);
}

double Utility::operator()(std::vector<Eigen::Index> subset) const {
  ++fits_;
  return accuracy_on(std::move(subset), data_->valid);
}

double Utility::warm(std::vector<Eigen::Index> subset, const models::LogisticClassifier& start) const {
  ++fits_;
  if (subset.empty() || data_->valid.rows() == 0) return 0;
  return fit_uncounted(std::move(subset), &start).accuracy(data_->valid.x, data_->valid.y);
}

Utility::Scored Utility::scored(std::vector<Eigen::Index> subset, const models::LogisticClassifier* start) const {
  ++fits_;
  Scored out{0, fit_uncounted(std::move(subset), start)};
  if (data_->valid.rows() > 0) out.value = out.model.accuracy(data_->valid.x, data_->valid.y);
  return out;
}

double Utility::of_mask(const std::vector<char>& mask) const {
  std::vector<Eigen::Index> subset;
  for (size_t i = 0; i < mask.size(); ++i) {
    if (mask[i]) subset.push_back(static_cast<Eigen::Index>(i));
  }
  return (*this)(std::move(subset));
}

double Utility::test_accuracy(std::vector<Eigen::Index> subset) const {
  return accuracy_on(std::move(subset), data_->test);
}

}  // namespace sb::selection
