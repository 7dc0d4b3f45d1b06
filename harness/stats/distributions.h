// Quantiles of the normal and Student-t distributions (Boost.Math). The one
// implementation behind the estimators' confidence intervals and the
// results' statistics, so that both compute the same numbers.
#pragma once

namespace sb::stats {

// Quantile of Student's t with `df` degrees of freedom. Throws InputError
// unless 0 < p < 1 and df > 0.
double student_t_quantile(double p, double df);
// Quantile of the standard normal distribution. Throws InputError unless
// 0 < p < 1.
double normal_quantile(double p);

}  // namespace sb::stats
