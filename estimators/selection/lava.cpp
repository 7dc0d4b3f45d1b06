// LAVA: Just et al. (2023), LAVA: data valuation without pre-specified learning algorithms, ICLR
#include "benchmarks/selection/selection.h"
#include "estimators/models/sinkhorn.h"
#include "harness/core/errors.h"

namespace sb::selection {
namespace {

Eigen::MatrixXd squared_distances(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  return ((-2.0 * x * y.transpose()).colwise() + x.rowwise().squaredNorm()).rowwise() +
         y.rowwise().squaredNorm().transpose();
}

Eigen::VectorXd uniform(Eigen::Index n) { return Eigen::VectorXd::Constant(n, 1.0 / static_cast<double>(n)); }

class Lava : public Valuer {
 public:
  struct Params {
    double epsilon = 0.1;
    double label_weight = 1.0;
  };
  explicit Lava(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const int k = ctx.data->num_classes;
    const auto n = train.rows();
    SB_THROW_IF_NOT(InputError, n >= 2, "lava: needs at least 2 training rows, got {}", n);
    const Eigen::MatrixXd feature_cost = squared_distances(train.x, valid.x);
    // Scale-free epsilon: in units of the mean feature cost.
    models::SinkhornOptions o;
    o.epsilon = params_.epsilon * std::max(feature_cost.mean(), 1e-12);
    // Label distances: entropic OT cost between the class-conditional
    // feature distributions (train class c vs validation class c').
    Eigen::MatrixXd label_cost = Eigen::MatrixXd::Zero(k, k);
    for (int c = 0; c < k; ++c) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < n; ++i) {
        if (train.y(i) == c) rows.push_back(i);
      }
      for (int d = 0; d < k; ++d) {
        std::vector<Eigen::Index> cols;
        for (Eigen::Index j = 0; j < valid.rows(); ++j) {
          if (valid.y(j) == d) cols.push_back(j);
        }
        if (rows.empty() || cols.empty()) continue;
        const Eigen::MatrixXd block = feature_cost(rows, cols);
        label_cost(c, d) = models::sinkhorn(uniform(block.rows()), uniform(block.cols()), block, o).transport_cost;
      }
    }
    Eigen::MatrixXd cost = feature_cost;
    for (Eigen::Index i = 0; i < n; ++i) {
      for (Eigen::Index j = 0; j < valid.rows(); ++j) cost(i, j) += params_.label_weight * label_cost(train.y(i), valid.y(j));
    }
    const auto ot = models::sinkhorn(uniform(n), uniform(valid.rows()), cost, o);
    // Calibrated gradient of the OT distance in the weight of row i:
    // f_i - mean of the other rows' potentials; a large one means moving mass
    // onto row i lengthens the distance to the validation data (harmful).
    const double total = ot.f.sum();
    Eigen::VectorXd values(n);
    for (Eigen::Index i = 0; i < n; ++i) values(i) = -(ot.f(i) - (total - ot.f(i)) / static_cast<double>(n - 1));
    return values;
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(Lava, "lava")
    .describe("Negated calibrated gradient of the entropic OT distance between the training and validation "
              "sets under the cost ||x - x'||^2 + label_weight * W(y, y'), W the OT cost between class-conditional "
              "feature distributions; no model fit")
    .paper("Just et al. (2023), LAVA: data valuation without pre-specified learning algorithms, ICLR")
    .field(&Lava::Params::epsilon, "epsilon", 1e-4, 1e3, "entropic regularisation, times the mean squared distance")
    .field(&Lava::Params::label_weight, "label_weight", 0.0, 1e6, "weight of the label distance in the cost");

}  // namespace sb::selection
