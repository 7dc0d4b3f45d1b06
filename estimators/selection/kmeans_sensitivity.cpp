// k-means sensitivity sampling: Bachem, Lucic & Krause (2017), Practical coreset constructions for machine learning, arXiv:1703.06476
#include <algorithm>

#include "benchmarks/selection/selection.h"
#include "estimators/models/kmeans.h"
#include "estimators/models/linear.h"

namespace sb::selection {
namespace {

class KMeansSensitivity : public Valuer {
 public:
  struct Params {
    std::int64_t clusters = 10;
  };
  explicit KMeansSensitivity(const Params& p) : clusters_(p.clusters) {}

  // Per class (a coreset must keep every class), a k-means solution B of the
  // class's rows and the sensitivity upper bound
  //   s(x) = d(x, B)^2 / cost(B) + 1 / |cluster of x|,
  // the probability (up to normalisation) with which a coreset samples x.
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    Eigen::VectorXd s = Eigen::VectorXd::Zero(train.rows());
    for (int label = 0; label < ctx.data->num_classes; ++label) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < train.rows(); ++i) {
        if (train.y(i) == label) rows.push_back(i);
      }
      if (rows.empty()) continue;
      const int k = static_cast<int>(std::min<std::int64_t>(clusters_, static_cast<std::int64_t>(rows.size())));
      const auto r = models::kmeans(models::select_rows(train.x, rows), k, ctx.seed + static_cast<std::uint64_t>(label));
      Eigen::VectorXd size = Eigen::VectorXd::Zero(k);
      for (Eigen::Index i = 0; i < r.assignment.size(); ++i) size(r.assignment(i)) += 1;
      const double cost = r.distance2.sum();
      for (size_t i = 0; i < rows.size(); ++i) {
        const auto j = static_cast<Eigen::Index>(i);
        s(rows[i]) = (cost > 0 ? r.distance2(j) / cost : 0.0) + 1.0 / size(r.assignment(j));
      }
    }
    return s;
  }

 private:
  std::int64_t clusters_;
};

}  // namespace

SB_REGISTER_VALUER(KMeansSensitivity, "kmeans-sensitivity")
    .describe("Sensitivity of each row in a per-class k-means coreset: d(x, B)^2 / cost(B) + 1 / |cluster(x)| "
              "(k-means++ then Lloyd); higher = sampled more; no model fit")
    .paper("Bachem, Lucic & Krause (2017), Practical coreset constructions for machine learning, arXiv:1703.06476")
    .field(&KMeansSensitivity::Params::clusters, "clusters", 1, 100000, "k-means clusters per class");

}  // namespace sb::selection
