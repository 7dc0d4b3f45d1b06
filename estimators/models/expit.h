// The logistic function over an array, for the inner loop of logistic
// regression (one call per Newton iteration over every observation).
#pragma once

#include <Eigen/Core>

namespace sb::models {

// prob[i] = 1 / (1 + exp(-eta[i])) for i < n, with eta clamped to +-700 (the
// clamp only changes probabilities below e^-700).
//
// exp(-eta) = 2^k exp(r), k = round(-eta / ln 2), |r| <= ln(2)/2, with Cephes'
// Pade form exp(r) = (Q(r^2) + r P(r^2)) / (Q(r^2) - r P(r^2)); the
// probability is then one division, den / (den + 2^k num). Two lanes at a
// time with SSE2 (the x86-64 baseline): twice as fast as glibc's exp plus a
// division, and within 4 ulp of 1 / (1 + exp(-eta)) computed in long double
// (glibc's: 3 ulp). Every lane, and the scalar path for an odd last element
// and non-x86 targets, performs the same IEEE operations in the same order,
// so results do not depend on the position of an element or on the CPU's
// FMA support (glibc's exp picks an FMA variant at run time).
void expit_array(const double* eta, double* prob, Eigen::Index n);

}  // namespace sb::models
