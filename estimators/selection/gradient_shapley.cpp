// G-Shapley (one-epoch gradient Shapley): Ghorbani & Zou (2019), Data Shapley: equitable valuation of data for machine learning, ICML
#include "benchmarks/selection/semivalue.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/selection/permutation_sampler.h"

namespace sb::selection {
namespace {

class GradientShapley : public Valuer {
 public:
  struct Params : PermutationOptions {
    double learning_rate = 0.1;
  };
  explicit GradientShapley(const Params& p) : options_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const SelectionData& data = *ctx.data;
    const auto n = data.train.rows();
    const auto k = static_cast<Eigen::Index>(data.num_classes), p = data.train.x.cols();
    const double l2 = ctx.utility->options().l2, rate = options_.learning_rate;
    // The utility of a prefix is the validation accuracy of the model after
    // one SGD step per row of the prefix, in order, from W = 0, b = 0 (whose
    // accuracy is that of predicting class 0: ties go to the lower class).
    const PermutationMarginals marginals = [&](const std::vector<Eigen::Index>& order, Eigen::VectorXd& m) {
      models::LogisticClassifier model;
      model.num_classes = static_cast<int>(k);
      model.weight = Eigen::MatrixXd::Zero(k, p);
      model.bias = Eigen::VectorXd::Zero(k);
      double before = model.accuracy(data.valid.x, data.valid.y);
      m.resize(n);
      Eigen::VectorXi label(1);
      for (Eigen::Index step = 0; step < n; ++step) {
        const Eigen::Index row = order[static_cast<size_t>(step)];
        label(0) = data.train.y(row);
        const Eigen::RowVectorXd g = models::per_example_gradients(data.train.x.row(row), label, model.weight, model.bias);
        model.weight -= rate * (Eigen::Map<const Eigen::MatrixXd>(g.data(), k, p) + l2 * model.weight);
        model.bias -= rate * g.tail(k).transpose();
        const double after = model.accuracy(data.valid.x, data.valid.y);
        m(step) = after - before;
        before = after;
      }
    };
    return permutation_semivalue(n, marginals, permutation_importance(shapley_weights(static_cast<int>(n))), options_,
                                 ctx.seed);
  }

 private:
  Params options_;
};

using P = GradientShapley::Params;

}  // namespace

SB_REGISTER_VALUER(GradientShapley, "gradient-shapley")
    .describe("G-Shapley: Monte Carlo Shapley values of one-epoch SGD (one step per row, in the permutation's "
              "order, from zero weights; utility = validation accuracy after each step); no refits")
    .paper("Ghorbani & Zou (2019), Data Shapley: equitable valuation of data for machine learning, ICML")
    .field(&P::learning_rate, "learning_rate", 1e-8, 1e3, "SGD step size (on the per-row loss + (l2/2)||W||^2)")
    .field(static_cast<std::int64_t P::*>(&P::max_permutations), "max_permutations", 1, 100000000,
           "permutations (epochs) at most")
    .field(static_cast<std::int64_t P::*>(&P::min_permutations), "min_permutations", 1, 100000000,
           "permutations before the convergence check may stop")
    .field(static_cast<std::int64_t P::*>(&P::check_every), "check_every", 1, 1000000, "permutations between checks")
    .field(static_cast<double P::*>(&P::convergence), "convergence", 0.0, 10.0,
           "stop when the mean relative change over check_every permutations is below (0: never)");

}  // namespace sb::selection
