// TAROT: Feng, Nie, Liu & Alahi (2025), TAROT: Targeted data selection via optimal transport, ICML
#include "estimators/selection/tarot.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "benchmarks/selection/selection.h"
#include "estimators/models/sinkhorn.h"
#include "harness/core/errors.h"

namespace sb::selection {

Whitening fit_whitening(const Eigen::MatrixXd& reference, double ridge) {
  SB_THROW_IF_NOT(InputError, reference.rows() >= 1 && ridge >= 0, "whitening: {} rows, ridge {}", reference.rows(),
                  ridge);
  Whitening w;
  w.mean = reference.colwise().mean();
  const Eigen::MatrixXd centred = reference.rowwise() - w.mean;
  Eigen::MatrixXd sigma = centred.transpose() * centred / static_cast<double>(reference.rows());
  const double scale = sigma.trace() / static_cast<double>(sigma.rows());
  sigma.diagonal().array() += ridge * (scale > 0 ? scale : 1.0);
  const Eigen::LLT<Eigen::MatrixXd> llt(sigma);
  SB_THROW_IF_NOT(MethodError, llt.info() == Eigen::Success,
                  "whitening: the feature covariance is not positive definite (raise ridge, now {})", ridge);
  w.lower = llt.matrixL();
  return w;
}

Eigen::MatrixXd whiten(const Whitening& w, const Eigen::MatrixXd& x) {
  const Eigen::MatrixXd centred = (x.rowwise() - w.mean).transpose();  // d x n
  return w.lower.triangularView<Eigen::Lower>().solve(centred).transpose();
}

std::vector<Eigen::Index> round_robin_order(const Eigen::MatrixXd& candidates, const Eigen::MatrixXd& target) {
  const Eigen::Index n = candidates.rows(), m = target.rows();
  SB_THROW_IF_NOT(InputError, m >= 1, "round-robin selection needs a target row");
  // Each target row's candidates by increasing distance, then a cursor per
  // target row that skips the candidates already taken.
  std::vector<std::vector<Eigen::Index>> nearest(static_cast<size_t>(m));
  for (Eigen::Index j = 0; j < m; ++j) {
    const Eigen::VectorXd d = (candidates.rowwise() - target.row(j)).rowwise().squaredNorm();
    auto& list = nearest[static_cast<size_t>(j)];
    list.resize(static_cast<size_t>(n));
    std::iota(list.begin(), list.end(), Eigen::Index{0});
    std::stable_sort(list.begin(), list.end(), [&](Eigen::Index a, Eigen::Index b) { return d(a) < d(b); });
  }
  std::vector<size_t> cursor(static_cast<size_t>(m), 0);
  std::vector<char> taken(static_cast<size_t>(n), 0);
  std::vector<Eigen::Index> order;
  for (Eigen::Index turn = 0; static_cast<Eigen::Index>(order.size()) < n; turn = (turn + 1) % m) {
    const auto& list = nearest[static_cast<size_t>(turn)];
    size_t& c = cursor[static_cast<size_t>(turn)];
    while (taken[static_cast<size_t>(list[c])]) ++c;
    taken[static_cast<size_t>(list[c])] = 1;
    order.push_back(list[c]);
  }
  return order;
}

namespace {

Eigen::MatrixXd squared_distances(const Eigen::MatrixXd& x, const Eigen::MatrixXd& y) {
  return ((-2.0 * x * y.transpose()).colwise() + x.rowwise().squaredNorm()).rowwise() +
         y.rowwise().squaredNorm().transpose();
}

class Tarot : public Valuer {
 public:
  struct Params {
    double ridge = 1e-2;
    double epsilon = 0.1;
    std::int64_t ratio_steps = 20;
  };
  explicit Tarot(const Params& p) : p_(p) {}

  // Whitened features of the training (candidate) and validation (target)
  // rows; the round-robin order is the fixed-size selection at every size;
  // the selection ratio k*/n minimises the entropic OT cost between the first
  // k chosen rows and the target over k = round(j n / ratio_steps). Value:
  // (n - rank)/n, minus 1 for rows beyond the first k* (order kept; value > 0
  // marks TAROT's OT-chosen subset).
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train.x;
    const auto& target = ctx.data->valid.x;
    const Eigen::Index n = train.rows();
    Eigen::MatrixXd pooled(n + target.rows(), train.cols());
    pooled << train, target;
    const Whitening w = fit_whitening(pooled, p_.ridge);
    const Eigen::MatrixXd wc = whiten(w, train), wt = whiten(w, target);
    const auto order = round_robin_order(wc, wt);
    const Eigen::MatrixXd cost = squared_distances(wc, wt).cwiseMax(0.0);
    models::SinkhornOptions o;
    o.epsilon = p_.epsilon * std::max(cost.mean(), 1e-12);
    o.tolerance = 1e-6;  // enough to compare the prefixes' costs
    const Eigen::VectorXd b = Eigen::VectorXd::Constant(wt.rows(), 1.0 / static_cast<double>(wt.rows()));
    Eigen::Index best_k = n;
    double best = INFINITY;
    for (std::int64_t j = 1; j <= p_.ratio_steps; ++j) {
      const auto k = std::max<Eigen::Index>(1, std::llround(static_cast<double>(j * n) / static_cast<double>(p_.ratio_steps)));
      const std::vector<Eigen::Index> chosen(order.begin(), order.begin() + k);
      const double ot = models::sinkhorn(Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k)), b,
                                         cost(chosen, Eigen::all), o).transport_cost;
      if (ot < best) best = ot, best_k = k;
    }
    Eigen::VectorXd v(n);
    for (Eigen::Index r = 0; r < n; ++r)
      v(order[static_cast<size_t>(r)]) = static_cast<double>(n - r) / static_cast<double>(n) - (r < best_k ? 0.0 : 1.0);
    return v;
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_VALUER(Tarot, "tarot")
    .describe("Round-robin nearest-neighbour selection toward the validation (target) rows in Cholesky-whitened "
              "feature space; the selection ratio minimises the entropic OT cost (Sinkhorn) of the chosen prefix to "
              "the target; value = (n - rank)/n, minus 1 beyond the OT-optimal prefix; no model fit")
    .paper("Feng, Nie, Liu & Alahi (2025), TAROT: Targeted data selection via optimal transport, ICML")
    .field(&Tarot::Params::ridge, "ridge", 0.0, 1e6, "added to the covariance's diagonal, times its mean variance")
    .field(&Tarot::Params::epsilon, "epsilon", 1e-4, 1e3, "entropic regularisation, times the mean squared distance")
    .field(&Tarot::Params::ratio_steps, "ratio_steps", 1, 10000, "selection ratios tried: j / ratio_steps, j = 1..");

}  // namespace sb::selection
