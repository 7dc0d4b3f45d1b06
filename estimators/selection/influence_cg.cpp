// Influence functions by conjugate gradients: Koh & Liang (2017), ICML (Martens 2010's Hessian-free products)
#include <cmath>

#include "estimators/selection/influence_common.h"
#include "harness/core/errors.h"

namespace sb::selection {

namespace {

class InfluenceCg : public Valuer {
 public:
  struct Params {
    double tolerance = 1e-8;
    std::int64_t max_iterations = 1000;
  };
  explicit InfluenceCg(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override { return valuate(ctx).values; }

  Valuation valuate(const ValuationContext& ctx) const override {
    const InfluenceProblem p = influence_problem(ctx);
    Valuation out;
    out.values = p.values(solve(p, p.valid_gradient));
    if (ctx.want_attribution) {
      const Eigen::MatrixXd margin = p.valid_margin_gradients();
      Eigen::MatrixXd solved(margin.cols(), margin.rows());
      for (Eigen::Index t = 0; t < margin.rows(); ++t) solved.col(t) = solve(p, margin.row(t).transpose());
      out.attribution = p.attribution(solved);
    }
    return out;
  }

 private:
  Eigen::VectorXd solve(const InfluenceProblem& p, const Eigen::VectorXd& g) const {
    // Conjugate gradients from s = 0 on H s = g; H is positive definite on the
    // span of the gradients, where every iterate stays.
    Eigen::VectorXd s = Eigen::VectorXd::Zero(g.size()), r = g, d = g;
    double rr = r.squaredNorm();
    const double stop = params_.tolerance * params_.tolerance * rr;
    for (std::int64_t it = 0; it < params_.max_iterations && rr > stop; ++it) {
      const Eigen::VectorXd hd = p.hessian_vector(d);
      const double curvature = d.dot(hd);
      if (!(curvature > 0)) throw MethodError("influence-cg: non-positive curvature {} at iteration {}", curvature, it);
      const double step = rr / curvature;
      s += step * d;
      r -= step * hd;
      const double rr_next = r.squaredNorm();
      d = r + (rr_next / rr) * d;
      rr = rr_next;
    }
    return s;
  }

  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(InfluenceCg, "influence-cg")
    .describe("Influence functions with H^{-1} g by conjugate gradients on Hessian-vector products "
              "(no Hessian formed): one fit, at most max_iterations products")
    .paper("Koh & Liang (2017), Understanding black-box predictions via influence functions, ICML")
    .field(&InfluenceCg::Params::tolerance, "tolerance", 1e-15, 1.0, "stop when ||residual|| <= tolerance ||g||")
    .field(&InfluenceCg::Params::max_iterations, "max_iterations", 1, 10000000, "Hessian-vector products at most");

}  // namespace sb::selection
