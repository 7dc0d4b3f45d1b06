#include <algorithm>

#include "benchmarks/selection/selection.h"
#include "estimators/models/linear.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/models/ridge.h"
#include "harness/core/errors.h"

namespace sb::selection {

Utility::Utility(const SelectionData& data, const UtilityOptions& options)
    : data_(&data), options_(options) {}

models::LogisticClassifier Utility::fit_uncounted(std::vector<Eigen::Index> rows,
                                                  const models::LogisticClassifier* start) const {
  SB_THROW_IF_NOT(MethodError, !data_->regression(),
                  "this method needs the classification model of the utility; the data set is a regression table");
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

double Utility::ridge_r2_on(std::vector<Eigen::Index> subset, const data::Table& eval) const {
  std::sort(subset.begin(), subset.end());
  // mean squared error / 2 + (l2/2)||w||^2 is ||r||^2 + m l2 ||w||^2 up to a factor.
  const auto m = static_cast<double>(subset.size());
  const models::RidgeFit fit = models::fit_ridge(models::select_rows(data_->train.x, subset),
                                                 models::select_rows(data_->train.target, subset), m * options_.l2);
  const Eigen::VectorXd residual = eval.target - fit.predict(eval.x);
  const double total = (eval.target.array() - eval.target.mean()).square().sum();
  return total > 0 ? 1.0 - residual.squaredNorm() / total : 0.0;
}

double Utility::accuracy_on(std::vector<Eigen::Index> subset, const data::Table& eval) const {
  if (subset.empty() || eval.rows() == 0) return 0;
  if (data_->regression()) return ridge_r2_on(std::move(subset), eval);
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
  if (data_->regression()) return {(*this)(std::move(subset)), {}};  // closed form: nothing to warm-start
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
