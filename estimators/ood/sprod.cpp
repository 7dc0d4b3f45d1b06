// Several prototypes per class, split off where class means misassign rows.
// Paper: Zohrabi, Hasani, Soleymani Baghshah, A. Rohrbach, M. Rohrbach & Rohban (2025), Spurious-aware prototype refinement for reliable out-of-distribution detection, NeurIPS (arXiv:2506.23881)
//
// Implemented from the paper's description as understood here, not from its
// code (see docs/OOD-DETECTORS.md): (1) one prototype per class = mean
// feature; (2) every training row is assigned to its nearest prototype over
// all classes; the rows of class c assigned to class c' != c form a
// subgroup (a spurious-feature group) that gets its own prototype of class c
// when it has at least `min_group` rows (smaller ones stay with the main
// prototype of c); (3) `refine_steps` rounds of reassigning every row of c
// to the nearest prototype of c and recomputing the means (empty prototypes
// are dropped). Score = -min distance to all prototypes.
#include <limits>
#include <vector>

#include "estimators/ood/common.h"

namespace sb::ood {
namespace {

class Sprod final : public Detector {
 public:
  struct Params {
    std::int64_t min_group = 2;
    std::int64_t refine_steps = 2;
    bool normalize = true;
  };
  explicit Sprod(const Params& p)
      : min_group_(p.min_group),
        refine_steps_(p.refine_steps),
        normalize_(p.normalize) {}

  void fit(const FitContext& ctx) override {
    const Split& train = detail::require_train(ctx, "sprod");
    const Eigen::MatrixXd f = normalize_ ? detail::l2_normalize_rows(train.features) : train.features;
    const int k = ctx.num_classes;
    const long n = f.rows();
    // Stage 1: class means.
    const detail::ClassStats stats = detail::class_means(f, train.labels, k);
    std::vector<int> present;
    for (int c = 0; c < k; ++c)
      if (stats.counts[c] > 0) present.push_back(c);
    // Stage 2: subgroups of rows that the class means misassign.
    std::vector<long> group(n);  // prototype index per row
    std::vector<int> owner;      // class of each prototype
    std::vector<std::vector<long>> group_of_pair(k, std::vector<long>(k, -1));
    std::vector<long> group_size;
    for (long i = 0; i < n; ++i) {
      int nearest = present.front();
      double best = std::numeric_limits<double>::infinity();
      for (int c : present) {
        const double d = (f.row(i) - stats.means.row(c)).squaredNorm();
        if (d < best) best = d, nearest = c;
      }
      const int y = train.labels(i);
      long& g = group_of_pair[y][nearest];
      if (g < 0) {
        g = static_cast<long>(owner.size());
        owner.push_back(y);
        group_size.push_back(0);
      }
      group[i] = g;
      ++group_size[g];
    }
    for (long i = 0; i < n; ++i) {
      const int y = train.labels(i);
      if (group_size[group[i]] < min_group_ && group_of_pair[y][y] >= 0 && group[i] != group_of_pair[y][y])
        group[i] = group_of_pair[y][y];
    }
    // Stage 3: within-class refinement.
    for (long step = 0; step <= refine_steps_; ++step) {
      prototypes_ = means_of_groups(f, group, owner.size());
      if (step == refine_steps_) break;
      for (long i = 0; i < n; ++i) {
        double best = std::numeric_limits<double>::infinity();
        for (long g = 0; g < static_cast<long>(owner.size()); ++g) {
          if (owner[g] != train.labels(i) || !alive_[g]) continue;
          const double d = (f.row(i) - prototypes_.row(g)).squaredNorm();
          if (d < best) best = d, group[i] = g;
        }
      }
    }
    Eigen::MatrixXd kept(0, f.cols());
    for (long g = 0; g < static_cast<long>(owner.size()); ++g) {
      if (!alive_[g]) continue;
      kept.conservativeResize(kept.rows() + 1, Eigen::NoChange);
      kept.row(kept.rows() - 1) = prototypes_.row(g);
    }
    prototypes_ = kept;
  }

  Eigen::VectorXd score(const Split& split) const override {
    detail::require_features(split, prototypes_.cols(), "sprod");
    const Eigen::MatrixXd f = normalize_ ? detail::l2_normalize_rows(split.features) : split.features;
    Eigen::VectorXd out(f.rows());
    for (long i = 0; i < f.rows(); ++i)
      out(i) = -std::sqrt((prototypes_.rowwise() - f.row(i)).rowwise().squaredNorm().minCoeff());
    return out;
  }

  const Eigen::MatrixXd& prototypes() const { return prototypes_; }

 private:
  Eigen::MatrixXd means_of_groups(const Eigen::MatrixXd& f, const std::vector<long>& group,
                                  size_t num_groups) {
    Eigen::MatrixXd sums = Eigen::MatrixXd::Zero(static_cast<long>(num_groups), f.cols());
    std::vector<long> counts(num_groups, 0);
    for (long i = 0; i < f.rows(); ++i) {
      sums.row(group[i]) += f.row(i);
      ++counts[group[i]];
    }
    alive_.assign(num_groups, false);
    for (size_t g = 0; g < num_groups; ++g) {
      if (counts[g] == 0) continue;
      alive_[g] = true;
      sums.row(static_cast<long>(g)) /= static_cast<double>(counts[g]);
    }
    return sums;
  }

  long min_group_;
  long refine_steps_;
  bool normalize_;
  std::vector<bool> alive_;
  Eigen::MatrixXd prototypes_;  // one row per prototype
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_DETECTOR(sb::ood::Sprod, "sprod")
    .describe("-min distance to class prototypes refined into subgroup prototypes where class means misassign training rows")
    .paper("Zohrabi et al. (2025), Spurious-aware prototype refinement for reliable out-of-distribution detection, NeurIPS (arXiv:2506.23881)")
    .field(&sb::ood::Sprod::Params::min_group, "min_group", 1, 1000000, "smallest misassigned subgroup that gets its own prototype")
    .field(&sb::ood::Sprod::Params::refine_steps, "refine_steps", 0, 100, "within-class reassignment rounds after the subgroups are formed")
    .field(&sb::ood::Sprod::Params::normalize, "normalize", "L2-normalise features before computing prototypes and distances");
