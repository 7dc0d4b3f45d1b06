#include "estimators/models/expit.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sb::models {
namespace {

// Cephes (Moshier) exp: ln 2 split in a short and a long part so that
// k * kLn2High is exact, and the Pade coefficients of exp on |r| <= ln(2)/2.
constexpr double kLog2e = 1.4426950408889634073599;
constexpr double kLn2High = 6.93145751953125e-1;
constexpr double kLn2Low = 1.42860682030941723212e-6;
constexpr double kP0 = 1.26177193074810590878e-4;
constexpr double kP1 = 3.02994407707441961300e-2;
constexpr double kP2 = 9.99999999999999999910e-1;
constexpr double kQ0 = 3.00198505138664455042e-6;
constexpr double kQ1 = 2.52448340349684104192e-3;
constexpr double kQ2 = 2.27265548208155028766e-1;
constexpr double kQ3 = 2.00000000000000000009e0;
constexpr double kClamp = 700.0;

// The same operations as one SIMD lane below.
double expit_scalar(double eta) {
  const double x = 0.0 - std::min(std::max(eta, -kClamp), kClamp);
  const double k = std::nearbyint(x * kLog2e);  // ties to even, as cvtpd2dq
  const double r = (x - k * kLn2High) - k * kLn2Low;
  const double rr = r * r;
  const double p = r * ((kP0 * rr + kP1) * rr + kP2);
  const double q = ((kQ0 * rr + kQ1) * rr + kQ2) * rr + kQ3;
  const double num = q + p, den = q - p;
  const std::uint64_t bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(k) + 1023) << 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return den / (den + scale * num);
}

}  // namespace

void expit_array(const double* eta, double* prob, Eigen::Index n) {
  Eigen::Index i = 0;
#if defined(__SSE2__)
  const __m128d low = _mm_set1_pd(-kClamp), high = _mm_set1_pd(kClamp);
  for (; i + 2 <= n; i += 2) {
    const __m128d x = _mm_sub_pd(_mm_setzero_pd(), _mm_min_pd(_mm_max_pd(_mm_loadu_pd(eta + i), low), high));
    const __m128i k32 = _mm_cvtpd_epi32(_mm_mul_pd(x, _mm_set1_pd(kLog2e)));  // round to nearest
    const __m128d k = _mm_cvtepi32_pd(k32);
    const __m128d r = _mm_sub_pd(_mm_sub_pd(x, _mm_mul_pd(k, _mm_set1_pd(kLn2High))),
                                 _mm_mul_pd(k, _mm_set1_pd(kLn2Low)));
    const __m128d rr = _mm_mul_pd(r, r);
    const __m128d p = _mm_mul_pd(
        r, _mm_add_pd(_mm_mul_pd(_mm_add_pd(_mm_mul_pd(_mm_set1_pd(kP0), rr), _mm_set1_pd(kP1)), rr),
                      _mm_set1_pd(kP2)));
    const __m128d q = _mm_add_pd(
        _mm_mul_pd(_mm_add_pd(_mm_mul_pd(_mm_add_pd(_mm_mul_pd(_mm_set1_pd(kQ0), rr), _mm_set1_pd(kQ1)), rr),
                              _mm_set1_pd(kQ2)),
                   rr),
        _mm_set1_pd(kQ3));
    const __m128d num = _mm_add_pd(q, p), den = _mm_sub_pd(q, p);
    // 2^k from its exponent bits: (k + 1023) << 52 in each 64-bit lane.
    const __m128i biased = _mm_add_epi32(k32, _mm_set1_epi32(1023));
    const __m128d scale = _mm_castsi128_pd(_mm_slli_epi64(_mm_unpacklo_epi32(biased, _mm_setzero_si128()), 52));
    _mm_storeu_pd(prob + i, _mm_div_pd(den, _mm_add_pd(den, _mm_mul_pd(scale, num))));
  }
#endif
  for (; i < n; ++i) prob[i] = expit_scalar(eta[i]);
}

}  // namespace sb::models
