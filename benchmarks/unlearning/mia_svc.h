// SalUn's entropy membership attack (the "MIA-Efficacy" of Fan et al. 2024,
// from the evaluation code of Jia et al. 2023): a support vector machine with
// an RBF kernel, trained on the entropy of the predicted class distribution of
// retain rows (members) and test rows (non-members), then applied to the
// forget rows (docs/UNLEARNING.md, "Metrics").
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::unlearning {

// -sum_c p_c log p_c of each row of probabilities (0 log 0 = 0).
std::vector<double> prediction_entropies(const Eigen::MatrixXd& probabilities);

// C-SVM on scalar features with the kernel K(a, b) = exp(-gamma (a - b)^2),
// solved as libsvm (and so scikit-learn's SVC) solves it: SMO on the dual
//   min (1/2) a^T Q a - 1^T a,  0 <= a_i <= C,  y^T a = 0,  Q_ij = y_i y_j K_ij,
// with second-order working-set selection (Fan, Chen & Lin 2005), stopping
// when max_{I_up} -y_i G_i - min_{I_low} -y_i G_i <= tolerance; the offset is
// libsvm's (mean of y_i G_i over the free a_i, else the midpoint of its bounds).
class RbfSvc {
 public:
  RbfSvc(double c, double gamma, double tolerance = 1e-3) : c_(c), gamma_(gamma), tolerance_(tolerance) {}
  // positive[i]: the class of x[i] (+1 when true, else -1). Throws InputError
  // unless both classes are present.
  void fit(const std::vector<double>& x, const std::vector<bool>& positive);
  // sum_i a_i y_i K(x_i, v) - rho: > 0 predicts the positive class.
  double decision(double v) const;
  int iterations() const { return iterations_; }

 private:
  double c_, gamma_, tolerance_;
  std::vector<double> support_x_, support_coef_;  // x_i and a_i y_i for a_i > 0
  double rho_ = 0;
  int iterations_ = 0;
};

// SalUn's MIA-Efficacy: the share of forget rows that the attack predicts as
// non-members. The attack: RbfSvc(C = 3, gamma = 1 (scikit-learn's "auto" for
// one feature), tolerance 1e-3) on entropies of members (+1) and
// non-members (-1). 1: every forget row looks unseen.
double entropy_mia_efficacy(const std::vector<double>& member_entropies,
                            const std::vector<double>& nonmember_entropies,
                            const std::vector<double>& forget_entropies);

}  // namespace sb::unlearning
