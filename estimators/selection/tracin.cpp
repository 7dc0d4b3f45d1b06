// TracIn: Pruthi, Liu, Kale & Sundararajan (2020), Estimating training data influence by tracing gradient descent, NeurIPS
#include "benchmarks/selection/selection.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/models/margin.h"
#include "estimators/models/softmax_sgd.h"

namespace sb::selection {
namespace {

class TracIn : public Valuer {
 public:
  struct Params {
    std::int64_t epochs = 5;
    std::int64_t batch_size = 32;
    double learning_rate = 0.1;
  };
  explicit TracIn(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    models::SoftmaxSgdOptions o;
    o.epochs = static_cast<int>(params_.epochs);
    o.batch_size = static_cast<int>(params_.batch_size);
    o.learning_rate = params_.learning_rate;
    o.l2 = ctx.utility->options().l2;
    const auto checkpoints = models::train_softmax_sgd(train.x, train.y, ctx.data->num_classes, o, ctx.seed);
    // TracInCP: sum over checkpoints of eta * grad loss_i . mean validation
    // gradient (positive: row i's steps lowered the validation loss).
    // The attribution: a step on row i moves validation row t's margin by
    // -eta grad f_t . grad loss_i to first order.
    Valuation out;
    out.values = Eigen::VectorXd::Zero(train.rows());
    if (ctx.want_attribution) out.attribution = Eigen::MatrixXd::Zero(train.rows(), valid.rows());
    for (const auto& c : checkpoints) {
      const Eigen::VectorXd valid_gradient =
          models::per_example_gradients(valid.x, valid.y, c.weight, c.bias).colwise().mean().transpose();
      const Eigen::MatrixXd train_gradients = models::per_example_gradients(train.x, train.y, c.weight, c.bias);
      out.values += c.learning_rate * (train_gradients * valid_gradient);
      if (ctx.want_attribution) {
        out.attribution -= c.learning_rate * (train_gradients *
                                              models::margin_gradients(valid.x, valid.y, c.weight, c.bias).transpose());
      }
    }
    return out;
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(TracIn, "tracin")
    .describe("TracInCP: the validation-loss gradient dotted with each row's loss gradient, times the step size, "
              "summed over the end-of-epoch checkpoints of seeded minibatch SGD on the logistic model")
    .paper("Pruthi, Liu, Kale & Sundararajan (2020), Estimating training data influence by tracing gradient "
           "descent, NeurIPS")
    .field(&TracIn::Params::epochs, "epochs", 1, 100000, "SGD epochs (one checkpoint each)")
    .field(&TracIn::Params::batch_size, "batch_size", 1, 10000000, "SGD minibatch size")
    .field(&TracIn::Params::learning_rate, "learning_rate", 1e-8, 1e3, "SGD step size");

}  // namespace sb::selection
