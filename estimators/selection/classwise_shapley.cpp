// Class-wise Shapley: Schoch, Xu & Ji (2022), CS-Shapley: class-wise Shapley values for data valuation in classification, NeurIPS
#include <cmath>
#include <random>

#include "benchmarks/selection/semivalue.h"
#include "datasets/random.h"
#include "estimators/selection/classwise_shapley.h"
#include "estimators/selection/permutation_sampler.h"

namespace sb::selection {

double classwise_utility(const Utility& utility, const std::vector<Eigen::Index>& rows, int label) {
  if (rows.empty()) return 0;
  const auto& valid = utility.data().valid;
  const Eigen::VectorXi predicted = utility.fit(rows).predict(valid.x);
  double in_class = 0, out_of_class = 0;
  for (Eigen::Index i = 0; i < valid.rows(); ++i) {
    if (predicted(i) != valid.y(i)) continue;
    (valid.y(i) == label ? in_class : out_of_class) += 1;
  }
  const auto n = static_cast<double>(valid.rows());
  return in_class / n * std::exp(out_of_class / n);
}

namespace {

class ClasswiseShapley : public Valuer {
 public:
  struct Params {
    std::int64_t contexts = 10;
    std::int64_t permutations = 10;
  };
  explicit ClasswiseShapley(const Params& p) : params_(p) {}

  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    const auto& train = ctx.data->train;
    const auto n = train.rows();
    Eigen::VectorXd values = Eigen::VectorXd::Zero(n);
    std::mt19937_64 rng(ctx.seed);
    PermutationOptions once;
    once.max_permutations = params_.permutations;
    once.convergence = 0;
    for (int label = 0; label < ctx.data->num_classes; ++label) {
      std::vector<Eigen::Index> in_class, out_of_class;
      for (Eigen::Index i = 0; i < n; ++i) (train.y(i) == label ? in_class : out_of_class).push_back(i);
      if (in_class.empty()) continue;
      const auto m = static_cast<Eigen::Index>(in_class.size());
      Eigen::VectorXd sum = Eigen::VectorXd::Zero(m);
      for (std::int64_t c = 0; c < params_.contexts; ++c) {
        // A context: each out-of-class row in with probability 1/2.
        std::vector<Eigen::Index> context;
        for (Eigen::Index r : out_of_class) {
          if (rng() >> 63) context.push_back(r);
        }
        // Shapley values of the in-class rows in the game S -> U(S + context).
        const PermutationMarginals marginals = [&](const std::vector<Eigen::Index>& order, Eigen::VectorXd& out) {
          out.resize(m);
          std::vector<Eigen::Index> rows = context;
          double before = classwise_utility(*ctx.utility, rows, label);
          for (Eigen::Index k = 0; k < m; ++k) {
            rows.push_back(in_class[static_cast<size_t>(order[static_cast<size_t>(k)])]);
            const double after = classwise_utility(*ctx.utility, rows, label);
            out(k) = after - before;
            before = after;
          }
        };
        sum += permutation_semivalue(m, marginals, permutation_importance(shapley_weights(static_cast<int>(m))), once,
                                     rng());
      }
      for (Eigen::Index k = 0; k < m; ++k) {
        values(in_class[static_cast<size_t>(k)]) = sum(k) / static_cast<double>(params_.contexts);
      }
    }
    return values;
  }

 private:
  Params params_;
};

}  // namespace

SB_REGISTER_VALUER(ClasswiseShapley, "classwise-shapley")
    .describe("CS-Shapley: per class c, Shapley values of the in-class rows in the game "
              "S -> a_c(S + T) exp(a_rest(S + T)), averaged over random out-of-class contexts T "
              "(each row in with probability 1/2); a = share of validation rows of class c (of the "
              "other classes) classified correctly")
    .paper("Schoch, Xu & Ji (2022), CS-Shapley: class-wise Shapley values for data valuation in classification, NeurIPS")
    .field(&ClasswiseShapley::Params::contexts, "contexts", 1, 100000000, "out-of-class contexts T per class")
    .field(&ClasswiseShapley::Params::permutations, "permutations", 1, 100000000,
           "permutations of the class's rows per context (fits = classes x contexts x permutations x class size)");

}  // namespace sb::selection
