// Exact removal from ridge regression by the Sherman-Morrison-Woodbury
// identity: with A = Z^T Z + lambda I kept from training and the forget rows
// Z_F, Y_F (one-hot; on a regression table the targets), the retrained weights are
//   theta' = theta + A^{-1} Z_F^T (I - Z_F A^{-1} Z_F^T)^{-1} (Z_F theta - Y_F),
// an m x m solve instead of a refit (m = forget rows). Successive requests:
// theta and A^{-1} are the state, each downdated by Woodbury.
// Paper: Woodbury (1950), Inverting modified matrices; as used for exact ridge unlearning by Cao & Yang (2015).
#include "benchmarks/unlearning/unlearning.h"
#include "harness/core/errors.h"

namespace sb::unlearning {
namespace {

class RidgeExact : public Unlearner {
 public:
  void train(const UnlearningContext& ctx) override {
    const Eigen::MatrixXd& z = ctx.data->train_z;
    Eigen::MatrixXd a = z.transpose() * z;
    a.diagonal().array() += ctx.model.lambda;
    inverse_ = a.llt().solve(Eigen::MatrixXd::Identity(a.rows(), a.cols()));
    theta_ = *ctx.original;
  }

  bool needs_forget_labels() const override { return true; }
  UnlearnedModel unlearn(const UnlearningContext& ctx) override {
    const UnlearningData& d = *ctx.data;
    const Eigen::MatrixXd& theta = theta_;
    const Eigen::MatrixXd& zf = d.forget_z;
    Eigen::MatrixXd residual = zf * theta;  // Z_F theta - Y_F (regression: Y_F = the targets t_F)
    if (d.regression()) residual.col(0) -= d.forget_t;
    else
      for (Eigen::Index i = 0; i < zf.rows(); ++i) residual(i, d.forget_y(i)) -= 1.0;
    const Eigen::MatrixXd a_inv_zt = inverse_ * zf.transpose();  // (p+1) x m
    const Eigen::MatrixXd m = Eigen::MatrixXd::Identity(zf.rows(), zf.rows()) - zf * a_inv_zt;
    const auto lu = m.partialPivLu();
    theta_ = theta + a_inv_zt * lu.solve(residual);
    // The state for a next request: (A - Z_F^T Z_F)^{-1} = A^{-1} + A^{-1} Z_F^T M^{-1} Z_F A^{-1} (Woodbury).
    inverse_ += a_inv_zt * lu.solve(a_inv_zt.transpose());
    return {{theta_}, {}};
  }
  bool sequential() const override { return true; }
  bool regression() const override { return true; }

  std::string incompatibility(models::LinearLoss loss) const override {
    return loss == models::LinearLoss::kSquared ? "" : "ridge-exact needs model = \"ridge\" (a closed-form fit)";
  }

 private:
  Eigen::MatrixXd inverse_;  // (Z^T Z + lambda I)^{-1} over the rows still kept
  Eigen::MatrixXd theta_;    // the model of the rows still kept
};

}  // namespace

SB_REGISTER_UNLEARNER(RidgeExact, "ridge-exact")
    .describe("ridge only: exact closed-form removal by Sherman-Morrison-Woodbury on the stored inverse")
    .paper("Woodbury (1950), Inverting modified matrices; Cao & Yang (2015), IEEE S&P");

}  // namespace sb::unlearning
