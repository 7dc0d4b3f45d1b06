// CRAIG: Mirzasoleiman, Bilmes & Leskovec (2020), Coresets for data-efficient training of machine learning models, ICML
#include "estimators/selection/craig.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "benchmarks/selection/selection.h"
#include "estimators/models/classifier.h"
#include "estimators/models/linear.h"
#include "harness/core/errors.h"

namespace sb::selection {

FacilityLocation greedy_facility_location(const Eigen::MatrixXd& g, Eigen::Index count) {
  const Eigen::Index n = g.rows();
  SB_THROW_IF_NOT(InternalError, count >= 0 && count <= n, "facility location: {} of {} rows", count, n);
  Eigen::MatrixXd d(n, n);
  for (Eigen::Index i = 0; i < n; ++i) d.col(i) = (g.rowwise() - g.row(i)).rowwise().norm();
  const Eigen::MatrixXd similarity = d.maxCoeff() - d.array();
  Eigen::VectorXd best = Eigen::VectorXd::Zero(n);  // max similarity to the selected rows
  FacilityLocation out;
  std::vector<char> taken(static_cast<size_t>(n), 0);
  for (Eigen::Index step = 0; step < count; ++step) {
    Eigen::Index arg = -1;
    double top = -1;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (taken[static_cast<size_t>(j)]) continue;
      const double gain = (similarity.col(j) - best).cwiseMax(0.0).sum();
      if (gain > top) top = gain, arg = j;
    }
    taken[static_cast<size_t>(arg)] = 1;
    out.selected.push_back(arg);
    best = best.cwiseMax(similarity.col(arg));
  }
  out.weights.assign(out.selected.size(), 0.0);
  for (Eigen::Index i = 0; i < n && count > 0; ++i) {
    size_t nearest = 0;
    for (size_t s = 1; s < out.selected.size(); ++s) {
      if (d(i, out.selected[s]) < d(i, out.selected[nearest])) nearest = s;
    }
    out.weights[nearest] += 1;
  }
  return out;
}

namespace {

class Craig : public Valuer {
 public:
  struct Params {
    double fraction = 0.2;
  };
  explicit Craig(const Params& p) : fraction_(p.fraction) {}

  // Per class, the rows chosen by greedy facility location on the gradient
  // proxies (p_i - e_{y_i}: the loss gradient in the logits of the model fitted
  // on all rows, CRAIG's last-layer bound); a chosen row's value is its weight
  // (rows it stands for), the others 0.
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    std::vector<Eigen::Index> all(static_cast<size_t>(train.rows()));
    std::iota(all.begin(), all.end(), Eigen::Index{0});
    const auto model = ctx.utility->fit(all);
    Eigen::MatrixXd proxy = models::softmax_rows(model.logits(train.x));
    for (Eigen::Index i = 0; i < train.rows(); ++i) proxy(i, train.y(i)) -= 1.0;
    Eigen::VectorXd values = Eigen::VectorXd::Zero(train.rows());
    for (int label = 0; label < ctx.data->num_classes; ++label) {
      std::vector<Eigen::Index> rows;
      for (Eigen::Index i = 0; i < train.rows(); ++i) {
        if (train.y(i) == label) rows.push_back(i);
      }
      if (rows.empty()) continue;
      const auto count = std::max<Eigen::Index>(1, std::llround(fraction_ * static_cast<double>(rows.size())));
      const auto chosen = greedy_facility_location(models::select_rows(proxy, rows), count);
      for (size_t s = 0; s < chosen.selected.size(); ++s) {
        values(rows[static_cast<size_t>(chosen.selected[s])]) = chosen.weights[s];
      }
    }
    return values;
  }

 private:
  double fraction_;
};

}  // namespace

SB_REGISTER_VALUER(Craig, "craig")
    .describe("CRAIG coreset: per class, greedy facility location on the logit-gradient proxies p_i - e_y of the "
              "model fitted on all rows; a chosen row's value is the number of rows it stands for, others 0 (one fit)")
    .paper("Mirzasoleiman, Bilmes & Leskovec (2020), Coresets for data-efficient training of machine learning models, ICML")
    .field(&Craig::Params::fraction, "fraction", 1e-6, 1.0, "share of each class's rows chosen");

}  // namespace sb::selection
