// The unlearning suite's metrics as plain functions (exact definitions in
// docs/UNLEARNING.md, "Metrics"), exposed for tests.
#pragma once

#include <Eigen/Dense>

#include <vector>

namespace sb::unlearning {

// Share of rows whose argmax column of `predictions` (n x k; ties: the lower
// class) equals y. NaN for no rows.
double accuracy(const Eigen::MatrixXd& predictions, const Eigen::VectorXi& y);

// Mean over rows of (prediction - target)^2 (regression tables). NaN for no rows.
double mean_squared_error(const Eigen::VectorXd& predictions, const Eigen::VectorXd& targets);

// Membership-inference AUROC of the per-example loss: the probability that a
// forget row has a lower loss than a held-out row, ties counting 1/2
// (Mann-Whitney). 1 = the forget rows look like members, 0.5 = like unseen rows.
double membership_auroc(const std::vector<double>& forget_losses, const std::vector<double>& heldout_losses);

// MUSE's PrivLeak as OpenUnlearning computes it: (auc_unlearned -
// auc_retrain) / (auc_retrain + 1e-10) * 100, both AUCs of one membership
// attack with the forget rows as the positives (membership_auroc). 0: the
// unlearned model leaks as much as the retrained one; > 0: more (under-
// unlearning); < 0: less (over-unlearning).
double privleak(double auc_unlearned, double auc_retrain);

// Mean over rows of KL(reference row || predicted row) for probability rows
// (0 log 0 = 0; a zero predicted probability under a positive reference one
// gives +infinity); for `gaussian` rows (ridge outputs read as means of
// unit-variance Gaussians) the KL is (1/2) ||reference - predicted||^2.
double mean_kl(const Eigen::MatrixXd& reference, const Eigen::MatrixXd& predicted, bool gaussian);

// ||a - b||_F / ||b||_F (NaN when b = 0).
double relative_l2(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b);

// Two-sample Kolmogorov-Smirnov statistic sup |F_a - F_b| of the empirical
// distribution functions.
double ks_statistic(std::vector<double> a, std::vector<double> b);

// Its p-value P(D >= observed) under H0 (both samples from one continuous
// distribution): exact by counting the lattice paths that leave the band
// |i/n - j/m| < D (Hodges 1958) when n * m <= 10^7, else the asymptotic
// Kolmogorov distribution with Stephens' correction,
// Q_KS((sqrt(e) + 0.12 + 0.11 / sqrt(e)) D), e = n m / (n + m).
double ks_pvalue(const std::vector<double>& a, const std::vector<double>& b);

// Q_KS(t) = 2 sum_{k>=1} (-1)^{k-1} exp(-2 k^2 t^2): the Kolmogorov
// distribution's survival function.
double kolmogorov_survival(double t);

}  // namespace sb::unlearning
