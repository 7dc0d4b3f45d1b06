// CCS: Zheng, Liu, Lai & Prakash (2023), Coverage-centric coreset selection for high pruning rates, ICLR
#include "estimators/selection/ccs.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "benchmarks/selection/selection.h"
#include "datasets/corruption.h"
#include "estimators/models/softmax_sgd.h"
#include "harness/core/errors.h"

namespace sb::selection {

std::vector<int> strata_of(const std::vector<double>& scores, int strata) {
  SB_THROW_IF_NOT(InputError, strata >= 1, "strata: {} (need >= 1)", strata);
  std::vector<int> out(scores.size(), 0);
  if (scores.empty()) return out;
  const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  if (!(*hi > *lo)) return out;
  for (size_t i = 0; i < scores.size(); ++i) {
    const double position = std::floor((scores[i] - *lo) / (*hi - *lo) * strata);
    out[i] = static_cast<int>(std::min<double>(position, strata - 1));
  }
  return out;
}

std::vector<Eigen::Index> allocate_budget(const std::vector<Eigen::Index>& sizes, Eigen::Index budget) {
  std::vector<size_t> order(sizes.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] < sizes[b]; });
  std::vector<Eigen::Index> out(sizes.size(), 0);
  Eigen::Index left = budget;
  for (size_t t = 0; t < order.size(); ++t) {
    const auto strata_left = static_cast<Eigen::Index>(order.size() - t);
    out[order[t]] = std::min(sizes[order[t]], left / strata_left);
    left -= out[order[t]];
  }
  return out;
}

CcsSelection ccs_select(const Eigen::VectorXd& difficulty, double prune_fraction, int strata, Eigen::Index budget,
                        std::mt19937_64& rng) {
  const Eigen::Index n = difficulty.size();
  SB_THROW_IF_NOT(InputError, prune_fraction >= 0 && prune_fraction < 1 && budget >= 0,
                  "ccs: prune fraction {} not in [0, 1) or budget {} < 0", prune_fraction, budget);
  CcsSelection out;
  out.pruned.assign(static_cast<size_t>(n), 0);
  out.selected.assign(static_cast<size_t>(n), 0);
  std::vector<Eigen::Index> hardest(static_cast<size_t>(n));
  std::iota(hardest.begin(), hardest.end(), Eigen::Index{0});
  std::stable_sort(hardest.begin(), hardest.end(), [&](Eigen::Index a, Eigen::Index b) {
    return difficulty(a) > difficulty(b) || (difficulty(a) == difficulty(b) && a > b);
  });
  const auto pruned = std::min<Eigen::Index>(n, std::llround(prune_fraction * static_cast<double>(n)));
  for (Eigen::Index i = 0; i < pruned; ++i) out.pruned[static_cast<size_t>(hardest[static_cast<size_t>(i)])] = 1;
  std::vector<Eigen::Index> kept;
  std::vector<double> scores;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!out.pruned[static_cast<size_t>(i)]) kept.push_back(i), scores.push_back(difficulty(i));
  }
  const auto stratum = strata_of(scores, strata);
  std::vector<std::vector<Eigen::Index>> members(static_cast<size_t>(strata));
  for (size_t i = 0; i < kept.size(); ++i) members[static_cast<size_t>(stratum[i])].push_back(kept[i]);
  std::vector<Eigen::Index> sizes;
  for (const auto& m : members) sizes.push_back(static_cast<Eigen::Index>(m.size()));
  const auto take = allocate_budget(sizes, std::min<Eigen::Index>(budget, static_cast<Eigen::Index>(kept.size())));
  for (size_t s = 0; s < members.size(); ++s) {
    for (Eigen::Index j : data::draw_without_replacement(sizes[s], take[s], rng))
      out.selected[static_cast<size_t>(members[s][static_cast<size_t>(j)])] = 1;
  }
  return out;
}

Eigen::VectorXd area_under_margin(const Eigen::MatrixXd& x, const Eigen::VectorXi& y,
                                  const std::vector<Eigen::MatrixXd>& weights,
                                  const std::vector<Eigen::VectorXd>& biases) {
  SB_THROW_IF_NOT(InternalError, !weights.empty() && weights.size() == biases.size(), "aum: {} weights, {} biases",
                  weights.size(), biases.size());
  Eigen::VectorXd aum = Eigen::VectorXd::Zero(x.rows());
  for (size_t c = 0; c < weights.size(); ++c) {
    const Eigen::MatrixXd z = (x * weights[c].transpose()).rowwise() + biases[c].transpose();
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      double other = -INFINITY;
      for (Eigen::Index k = 0; k < z.cols(); ++k) {
        if (k != y(i)) other = std::max(other, z(i, k));
      }
      aum(i) += z(i, y(i)) - other;
    }
  }
  return aum / static_cast<double>(weights.size());
}

namespace {

class Ccs : public Valuer {
 public:
  struct Params {
    double fraction = 0.2;
    double prune_hard = 0.1;
    std::int64_t strata = 50;
    std::int64_t epochs = 10;
    std::int64_t batch_size = 32;
    double learning_rate = 0.1;
  };
  explicit Ccs(const Params& p) : p_(p) {}

  // Difficulty = -AUM over the epoch checkpoints of seeded minibatch SGD;
  // CCS selects max(1, round(fraction n)) rows. Value: 1 selected, 0 kept
  // but not selected, -1 pruned as hardest.
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    models::SoftmaxSgdOptions o;
    o.epochs = static_cast<int>(p_.epochs);
    o.batch_size = static_cast<int>(p_.batch_size);
    o.learning_rate = p_.learning_rate;
    o.l2 = ctx.utility->options().l2;
    const auto checkpoints = models::train_softmax_sgd(train.x, train.y, ctx.data->num_classes, o, ctx.seed);
    std::vector<Eigen::MatrixXd> weights;
    std::vector<Eigen::VectorXd> biases;
    for (const auto& c : checkpoints) weights.push_back(c.weight), biases.push_back(c.bias);
    const Eigen::VectorXd difficulty = -area_under_margin(train.x, train.y, weights, biases);
    const auto budget = std::max<Eigen::Index>(1, std::llround(p_.fraction * static_cast<double>(train.rows())));
    std::mt19937_64 rng(ctx.seed + 1);  // the SGD stream uses ctx.seed
    const auto chosen = ccs_select(difficulty, p_.prune_hard, static_cast<int>(p_.strata), budget, rng);
    Eigen::VectorXd v(train.rows());
    for (Eigen::Index i = 0; i < v.size(); ++i)
      v(i) = chosen.pruned[static_cast<size_t>(i)] ? -1.0 : (chosen.selected[static_cast<size_t>(i)] ? 1.0 : 0.0);
    return v;
  }

 private:
  Params p_;
};

}  // namespace

SB_REGISTER_VALUER(Ccs, "ccs")
    .describe("Coverage-centric coreset: prune the prune_hard share of hardest rows (difficulty = -AUM over SGD "
              "epochs), stratify the rest into equal-width difficulty bins and sample fraction * n rows with CCS's "
              "smallest-stratum-first budget; value 1 selected, 0 not, -1 pruned; no utility fit")
    .paper("Zheng, Liu, Lai & Prakash (2023), Coverage-centric coreset selection for high pruning rates, ICLR")
    .field(&Ccs::Params::fraction, "fraction", 1e-6, 1.0, "coreset size as a share of the training rows")
    .field(&Ccs::Params::prune_hard, "prune_hard", 0.0, 0.99, "share of the hardest rows pruned first (beta)")
    .field(&Ccs::Params::strata, "strata", 1, 100000, "equal-width difficulty strata")
    .field(&Ccs::Params::epochs, "epochs", 1, 100000, "SGD epochs (AUM checkpoints)")
    .field(&Ccs::Params::batch_size, "batch_size", 1, 1000000, "SGD minibatch size")
    .field(&Ccs::Params::learning_rate, "learning_rate", 1e-8, 1e3, "SGD step size");

}  // namespace sb::selection
