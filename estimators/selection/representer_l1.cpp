// High-dimensional representers (L1): Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional models, ICML
#include "benchmarks/selection/selection.h"
#include "estimators/selection/representer.h"

namespace sb::selection {

std::vector<Eigen::MatrixXd> l1_representer_kernels(const Eigen::MatrixXd& x, const Eigen::MatrixXd& x_eval,
                                                    const Eigen::MatrixXd& weight) {
  std::vector<Eigen::MatrixXd> out;
  for (Eigen::Index c = 0; c < weight.rows(); ++c) {
    out.push_back(x * weight.row(c).cwiseAbs().asDiagonal() * x_eval.transpose());
  }
  return out;
}

namespace {

class RepresenterL1 : public Valuer {
 public:
  using Params = PenalizedRepresenterOptions;
  explicit RepresenterL1(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    return penalized_representer_valuation(ctx, "representer-l1", models::WeightPenalty::l1, params_,
                                           l1_representer_kernels);
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(RepresenterL1, "representer-l1")
    .describe("L1 representer values: logistic regression with an L1 penalty (FISTA); row i's share alpha_{i,y_t} "
              "sum_j |W_{y_t j}| x_ij x_tj of each validation row's true-class logit, summed over validation rows")
    .paper("Tsai, Yeh & Ravikumar (2023), Representer point selection for explaining regularized high-dimensional "
           "models, ICML")
    .field(&RepresenterL1::Params::strength, "strength", 1e-8, 1e6, "lambda of the penalty lambda ||W||_1")
    .field(&RepresenterL1::Params::tolerance, "tolerance", 1e-14, 1e-2, "FISTA stop: max |gradient mapping|")
    .field(&RepresenterL1::Params::max_iterations, "max_iterations", 1, 100000000, "FISTA iterations at most");

}  // namespace sb::selection
