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

LayeredOrder layered_order(const Eigen::MatrixXd& candidates, const Eigen::MatrixXd& target) {
  const Eigen::Index n = candidates.rows(), m = target.rows();
  SB_THROW_IF_NOT(InputError, m >= 1, "TAROT's selection needs a target row");
  // Each target row's candidates by increasing distance.
  std::vector<std::vector<Eigen::Index>> nearest(static_cast<size_t>(m));
  for (Eigen::Index j = 0; j < m; ++j) {
    const Eigen::VectorXd d = (candidates.rowwise() - target.row(j)).rowwise().squaredNorm();
    auto& list = nearest[static_cast<size_t>(j)];
    list.resize(static_cast<size_t>(n));
    std::iota(list.begin(), list.end(), Eigen::Index{0});
    std::stable_sort(list.begin(), list.end(), [&](Eigen::Index a, Eigen::Index b) { return d(a) < d(b); });
  }
  LayeredOrder out;
  std::vector<char> taken(static_cast<size_t>(n), 0);
  for (Eigen::Index layer = 0; layer < n; ++layer) {
    for (const auto& list : nearest) {
      const Eigen::Index c = list[static_cast<size_t>(layer)];
      if (!taken[static_cast<size_t>(c)]) taken[static_cast<size_t>(c)] = 1, out.order.push_back(c);
    }
    const auto size = static_cast<Eigen::Index>(out.order.size());
    if (out.layer_end.empty() || out.layer_end.back() < size) out.layer_end.push_back(size);
  }
  return out;
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
  };
  explicit Tarot(const Params& p) : p_(p) {}

  // Whitened features of the training (candidate) and validation (target)
  // rows; the layered nearest-neighbour order is the fixed-size selection at
  // every size; the selected subset is the first k* layers, k* the first
  // number of layers whose entropic OT cost to the target does not decrease
  // when one more layer is added. Value: (n - rank)/n, minus 1 beyond the
  // selected subset (order kept; value > 0 marks TAROT's OT-chosen subset).
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train.x;
    const auto& target = ctx.data->valid.x;
    const Eigen::Index n = train.rows();
    Eigen::MatrixXd pooled(n + target.rows(), train.cols());
    pooled << train, target;
    const Whitening w = fit_whitening(pooled, p_.ridge);
    const Eigen::MatrixXd wc = whiten(w, train), wt = whiten(w, target);
    const auto layers = layered_order(wc, wt);
    const Eigen::MatrixXd cost = squared_distances(wc, wt).cwiseMax(0.0);
    models::SinkhornOptions o;
    o.epsilon = p_.epsilon * std::max(cost.mean(), 1e-12);
    o.tolerance = 1e-6;  // enough to compare the prefixes' costs
    const Eigen::VectorXd b = Eigen::VectorXd::Constant(wt.rows(), 1.0 / static_cast<double>(wt.rows()));
    auto ot_cost = [&](Eigen::Index k) {
      const std::vector<Eigen::Index> chosen(layers.order.begin(), layers.order.begin() + k);
      return models::sinkhorn(Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k)), b, cost(chosen, Eigen::all), o)
          .transport_cost;
    };
    Eigen::Index selected = layers.layer_end.front();
    double best = ot_cost(selected);
    for (size_t l = 1; l < layers.layer_end.size(); ++l) {
      const double c = ot_cost(layers.layer_end[l]);
      if (!(c < best)) break;
      best = c, selected = layers.layer_end[l];
    }
    Eigen::VectorXd v(n);
    for (Eigen::Index r = 0; r < n; ++r)
      v(layers.order[static_cast<size_t>(r)]) =
          static_cast<double>(n - r) / static_cast<double>(n) - (r < selected ? 0.0 : 1.0);
    return v;
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_VALUER(Tarot, "tarot")
    .describe("Layered nearest-neighbour selection (the i-th nearest candidate of every validation/target row, layer "
              "by layer) in Cholesky-whitened feature space; the chosen subset adds layers while the entropic OT cost "
              "(Sinkhorn) to the target decreases; value = (n - rank)/n, minus 1 beyond it; no model fit")
    .paper("Feng, Nie, Liu & Alahi (2025), TAROT: Targeted data selection via optimal transport, ICML")
    .field(&Tarot::Params::ridge, "ridge", 0.0, 1e6, "added to the covariance's diagonal, times its mean variance")
    .field(&Tarot::Params::epsilon, "epsilon", 1e-4, 1e3, "entropic regularisation, times the mean squared distance");

}  // namespace sb::selection
