// The `selection` suite's typed interface: data valuation methods give one
// value per training row (higher = more helpful to a model trained on the
// rows), and the suite grades the values by noisy-point detection, point
// removal and agreement with exact ground truths (docs/SELECTION.md).
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datasets/table.h"
#include "estimators/models/logistic_classifier.h"
#include "harness/core/errors.h"
#include "harness/core/registry.h"

namespace sb::selection {

// One replication: standardised splits, the training split corrupted.
struct SelectionData {
  data::Table train, valid, test;
  std::vector<char> corrupted;  // per training row: 1 = changed by the corruption
  std::vector<char> valid_corrupted;  // per validation row: 1 = label flipped (flip_valid)
  // Targeted selection (target_classes set): per training row, 1 = from the
  // target domain (whence the validation and test rows); empty otherwise.
  std::vector<char> in_target;
  int num_classes = 0;  // 0: regression (targets in train/valid/test.target, standardised)
  bool regression() const { return num_classes == 0; }
};

// A named data set of the suite (the common split, corruption and utility
// parameters are declared once by the suite, benchmarks/selection/suite.cpp).
class SelectionDataset {
 public:
  virtual ~SelectionDataset() = default;
  // The whole table, deterministic given the seed.
  virtual data::Table load(std::uint64_t seed) const = 0;
  // True for a regression table (the ridge utility; methods tagged
  // task:regression only).
  virtual bool regression() const { return false; }
  // Checks at planning that the data exist and hold `rows_needed` rows (the
  // three splits) with a training split of n_train; throws InputError.
  virtual void validate(std::int64_t rows_needed, std::int64_t n_train) const = 0;
};

// The utility of a subset S of the training rows: validation accuracy of
// multinomial logistic regression (penalty l2, fitted to `tolerance`) on S.
// U(empty) = 0; a subset with one class predicts that class. A pure
// function of the set: rows are fitted in increasing index order.
// Regression data (SelectionData::regression): validation R^2 = 1 -
// SSE / SST (SST about the validation mean) of ridge regression on S
// (mean squared error / 2 + (l2/2)||w||^2, intercept unpenalised, closed
// form); U(empty) = 0, the R^2 of predicting the validation mean. The
// model-returning calls (fit, warm, scored's model) are classification only.
struct UtilityOptions {
  double l2 = 1e-2;
  double tolerance = 1e-6;
};

class Utility {
 public:
  Utility(const SelectionData& data, const UtilityOptions& options);
  double operator()(std::vector<Eigen::Index> subset) const;
  // U of a subset given as a 0/1 mask over the training rows.
  double of_mask(const std::vector<char>& mask) const;
  // The model fitted on the training rows `rows` (repeats allowed, e.g. a
  // bootstrap sample; non-empty), counted as a fit.
  models::LogisticClassifier fit(std::vector<Eigen::Index> rows) const;
  // U(subset) with the fit warm-started from `start` (a model fitted on
  // nearly the same rows; models::fit_logistic): the same optimum up to the
  // tolerance, in far fewer iterations. Counted as a fit.
  double warm(std::vector<Eigen::Index> subset, const models::LogisticClassifier& start) const;
  // U(subset) (non-empty) and the model behind it, the fit warm-started from
  // `start` when given (as warm()), so that a chain of growing prefixes can
  // start each fit from the previous one's model. Counted as a fit.
  struct Scored {
    double value = 0;
    models::LogisticClassifier model;
  };
  Scored scored(std::vector<Eigen::Index> subset, const models::LogisticClassifier* start) const;
  // Test accuracy (regression: test R^2) of the model fitted on `subset`
  // (grading, not counted).
  double test_accuracy(std::vector<Eigen::Index> subset) const;
  // Fits made by operator() and of_mask so far (the cost of a method).
  std::int64_t fits() const { return fits_; }
  const SelectionData& data() const { return *data_; }
  const UtilityOptions& options() const { return options_; }

 private:
  friend class PrefixUtility;  // utility_path.h: counts its fits, falls back to fit_uncounted
  double accuracy_on(std::vector<Eigen::Index> subset, const data::Table& eval) const;
  double ridge_r2_on(std::vector<Eigen::Index> subset, const data::Table& eval) const;
  models::LogisticClassifier fit_uncounted(std::vector<Eigen::Index> rows,
                                           const models::LogisticClassifier* start = nullptr) const;
  const SelectionData* data_;
  UtilityOptions options_;
  mutable std::int64_t fits_ = 0;
};

struct ValuationContext {
  const SelectionData* data = nullptr;
  const Utility* utility = nullptr;
  std::uint64_t seed = 0;  // the method's own random stream
  // Asks attribution methods for Valuation::attribution as well (the suite
  // sets it when the linear datamodeling score is graded).
  bool want_attribution = false;
};

// A method's output. attribution (attribution methods, when asked): n_train x
// n_valid, entry (i, t) = how much training row i raises validation row t's
// correct-class margin (models/margin.h); empty when the method gives none.
struct Valuation {
  Eigen::VectorXd values;
  Eigen::MatrixXd attribution;
};

class Valuer {
 public:
  virtual ~Valuer() = default;
  // One value per training row; higher = more valuable.
  virtual Eigen::VectorXd values(const ValuationContext& ctx) const = 0;
  // Values and, from attribution methods, the attribution (they override it).
  virtual Valuation valuate(const ValuationContext& ctx) const { return {values(ctx), {}}; }

  // Split cells (docs/ARCHITECTURE.md): a method whose values are the mean
  // over `units` independent units (permutations) declares them, and the
  // suite runs units [begin, end) anywhere (unit_sum: the sum of the units'
  // contributions, one entry per row) and reduces the sums in part order.
  // nullopt (the default): the cell runs whole through values().
  struct Split {
    std::uint64_t units = 0;
    std::uint64_t units_per_part = 0;
  };
  virtual std::optional<Split> split() const { return std::nullopt; }
  virtual Eigen::VectorXd unit_sum(const ValuationContext&, std::uint64_t, std::uint64_t) const {
    throw InternalError("this selection method declares no split, so it has no unit_sum");
  }
};

using SelectionDatasetRegistry = Registry<SelectionDataset>;
using ValuerRegistry = Registry<Valuer>;

}  // namespace sb::selection

#define SB_REGISTER_SELECTION_DATASET(Type, name) \
  SB_REGISTER_COMPONENT(::sb::selection::SelectionDataset, Type, "selection", "dataset", name)
#define SB_REGISTER_VALUER(Type, name) \
  SB_REGISTER_COMPONENT(::sb::selection::Valuer, Type, "selection", "method", name)
