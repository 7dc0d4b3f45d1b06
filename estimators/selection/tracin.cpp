// TracIn: Pruthi, Liu, Kale & Sundararajan (2020), Estimating training data influence by tracing gradient descent, NeurIPS
#include <string>
#include <vector>

#include "benchmarks/selection/selection.h"
#include "estimators/models/logistic_classifier.h"
#include "estimators/models/margin.h"
#include "estimators/models/sgd_mlp_checkpoints.h"
#include "estimators/models/softmax_sgd.h"

namespace sb::selection {
namespace {

class TracIn : public Valuer {
 public:
  struct Params {
    std::int64_t epochs = 5;
    std::int64_t batch_size = 32;
    double learning_rate = 0.1;
    std::string model = "logistic";  // or "mlp": last-layer gradients of the network
    std::int64_t hidden = 32;        // mlp: hidden units (one hidden layer)
    std::int64_t checkpoint_every = 1;  // epochs between checkpoints (the last epoch always ends one)
  };
  explicit TracIn(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    // Per checkpoint: the model (a softmax layer on some features), the
    // features of the training and validation rows (empty: the inputs), and
    // the step size.
    struct Checkpoint {
      Eigen::MatrixXd weight, train_features, valid_features;
      Eigen::VectorXd bias;
      double learning_rate = 0;
    };
    const auto& train = ctx.data->train;
    const auto& valid = ctx.data->valid;
    const double l2 = ctx.utility->options().l2;
    std::vector<Checkpoint> checkpoints;
    if (params_.model == "mlp") {
      const models::SgdMlpShape shape{static_cast<int>(train.x.cols()), static_cast<int>(params_.hidden), 1,
                                      ctx.data->num_classes};
      models::SgdMlpOptions o;
      o.epochs = params_.epochs;
      o.batch_size = params_.batch_size;
      o.learning_rate = params_.learning_rate;
      o.l2 = l2;
      for (const auto& c : models::sgd_mlp_train_checkpoints(shape, train.x, train.y, o, ctx.seed,
                                                             params_.checkpoint_every)) {
        auto last = models::sgd_mlp_last_layer(shape, c.theta);
        checkpoints.push_back({std::move(last.weight), models::sgd_mlp_features(shape, c.theta, train.x),
                               models::sgd_mlp_features(shape, c.theta, valid.x), std::move(last.bias),
                               c.learning_rate});
      }
    } else {
      models::SoftmaxSgdOptions o;
      o.epochs = static_cast<int>(params_.epochs);
      o.batch_size = static_cast<int>(params_.batch_size);
      o.learning_rate = params_.learning_rate;
      o.l2 = l2;
      const auto all = models::train_softmax_sgd(train.x, train.y, ctx.data->num_classes, o, ctx.seed);
      for (size_t e = 0; e < all.size(); ++e) {
        if ((e + 1) % static_cast<size_t>(params_.checkpoint_every) != 0 && e + 1 != all.size()) continue;
        checkpoints.push_back({all[e].weight, {}, {}, all[e].bias, all[e].learning_rate});
      }
    }
    // TracInCP: sum over checkpoints of eta * grad loss_i . mean validation
    // gradient (positive: row i's steps lowered the validation loss).
    // The attribution: a step on row i moves validation row t's margin by
    // -eta grad f_t . grad loss_i to first order.
    Valuation out;
    out.values = Eigen::VectorXd::Zero(train.rows());
    if (ctx.want_attribution) out.attribution = Eigen::MatrixXd::Zero(train.rows(), valid.rows());
    for (const auto& c : checkpoints) {
      const Eigen::MatrixXd& train_x = c.train_features.size() ? c.train_features : train.x;
      const Eigen::MatrixXd& valid_x = c.valid_features.size() ? c.valid_features : valid.x;
      const Eigen::VectorXd valid_gradient =
          models::per_example_gradients(valid_x, valid.y, c.weight, c.bias).colwise().mean().transpose();
      const Eigen::MatrixXd train_gradients = models::per_example_gradients(train_x, train.y, c.weight, c.bias);
      out.values += c.learning_rate * (train_gradients * valid_gradient);
      if (ctx.want_attribution) {
        out.attribution -= c.learning_rate * (train_gradients * models::margin_gradients(valid_x, valid.y,
                                                                                         c.weight, c.bias)
                                                                    .transpose());
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
              "summed over the checkpoints of seeded minibatch SGD on the logistic model, or on a one-hidden-layer "
              "ReLU network with the gradients of its last layer")
    .paper("Pruthi, Liu, Kale & Sundararajan (2020), Estimating training data influence by tracing gradient "
           "descent, NeurIPS")
    .field(&TracIn::Params::epochs, "epochs", 1, 100000, "SGD epochs")
    .field(&TracIn::Params::batch_size, "batch_size", 1, 10000000, "SGD minibatch size")
    .field(&TracIn::Params::learning_rate, "learning_rate", 1e-8, 1e3, "SGD step size")
    .field(&TracIn::Params::model, "model", {"logistic", "mlp"},
           "the model SGD trains: logistic (all its parameters' gradients) or mlp (models/sgd_mlp.h, one hidden "
           "ReLU layer; the gradients of its last layer)")
    .field(&TracIn::Params::hidden, "hidden", 1, 4096, "mlp: hidden units")
    .field(&TracIn::Params::checkpoint_every, "checkpoint_every", 1, 100000,
           "epochs between checkpoints (the last epoch's end is always one)");

}  // namespace sb::selection
