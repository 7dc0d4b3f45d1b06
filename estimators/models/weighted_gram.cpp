// X' diag(w) X for the narrow designs of logistic regression and the
// propensity information matrix (estimators/models/linear.h).
#include <cstddef>

#include "estimators/models/linear.h"
#include "harness/core/errors.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sb::models {
namespace {

#if defined(__SSE2__)
// P columns known at compile time: two rows per step, one SSE2 accumulator
// per entry of the lower triangle, each x value loaded once and reused for
// all its products. 1000 x 5: 2.1 us, against 5.1 us for one Eigen dot
// product per entry (which reloads both columns for every entry) and more
// for a blocked GEMM, whose packing costs more than the product itself.
template <int P>
void gram_kernel(const double* x, Eigen::Index n, const double* w, double* gram) {
  constexpr int kEntries = P * (P + 1) / 2;
  __m128d acc[kEntries];
  for (auto& a : acc) a = _mm_setzero_pd();
  Eigen::Index i = 0;
  for (; i + 2 <= n; i += 2) {
    const __m128d wv = _mm_loadu_pd(w + i);
    __m128d xv[P];
    for (int j = 0; j < P; ++j) xv[j] = _mm_loadu_pd(x + static_cast<std::ptrdiff_t>(j) * n + i);
    int t = 0;
    for (int j = 0; j < P; ++j) {
      const __m128d wxj = _mm_mul_pd(wv, xv[j]);
      for (int k = 0; k <= j; ++k, ++t) acc[t] = _mm_add_pd(acc[t], _mm_mul_pd(wxj, xv[k]));
    }
  }
  int t = 0;
  for (int j = 0; j < P; ++j) {
    for (int k = 0; k <= j; ++k, ++t) {
      double lanes[2];
      _mm_storeu_pd(lanes, acc[t]);
      double sum = lanes[0] + lanes[1];
      if (i < n) sum += (w[i] * x[static_cast<std::ptrdiff_t>(j) * n + i]) * x[static_cast<std::ptrdiff_t>(k) * n + i];
      gram[j * P + k] = gram[k * P + j] = sum;
    }
  }
}

template <int P>
bool gram_fixed(const Eigen::MatrixXd& x, const Eigen::VectorXd& w, Eigen::MatrixXd& gram) {
  if (x.cols() != P) return false;
  gram_kernel<P>(x.data(), x.rows(), w.data(), gram.data());
  return true;
}
#endif

}  // namespace

Eigen::MatrixXd weighted_gram(const Eigen::MatrixXd& x, const Eigen::VectorXd& w) {
  const Eigen::Index p = x.cols();
  SB_THROW_IF_NOT(MethodError, w.size() == x.rows(), "weighted gram: {} weights for {} rows",
                  w.size(), x.rows());
  Eigen::MatrixXd gram(p, p);
#if defined(__SSE2__)
  if (gram_fixed<1>(x, w, gram) || gram_fixed<2>(x, w, gram) || gram_fixed<3>(x, w, gram) ||
      gram_fixed<4>(x, w, gram) || gram_fixed<5>(x, w, gram) || gram_fixed<6>(x, w, gram) ||
      gram_fixed<7>(x, w, gram) || gram_fixed<8>(x, w, gram)) {
    return gram;
  }
#endif
  // Wider designs: one contiguous dot product per entry of the lower triangle.
  const Eigen::MatrixXd wx = x.array().colwise() * w.array();
  for (Eigen::Index j = 0; j < p; ++j) {
    for (Eigen::Index k = 0; k <= j; ++k) gram(j, k) = gram(k, j) = wx.col(j).dot(x.col(k));
  }
  return gram;
}

}  // namespace sb::models
