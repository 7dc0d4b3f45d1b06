#include "estimators/selection/knn_distances.h"

#include <algorithm>
#include <cstring>

#include "harness/core/errors.h"

namespace sb::selection {

namespace {

// Eight doubles: one AVX-512 register, two AVX2 ones, four SSE2 ones; the
// compiler lowers the same element-wise operations for each target below.
using Lanes = double __attribute__((vector_size(64)));

inline double lane_sum(const Lanes& a) { return ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])); }

// Dot products of R training rows with C test rows (R <= 4, C <= 2): each
// test chunk loaded from L2 feeds R multiply-adds.
constexpr int kMaxR = 4, kMaxC = 2;

template <int R, int C>
[[gnu::always_inline]] inline void dot_tile(const double* const* a, const double* const* b, Eigen::Index stride,
                                            double (&out)[kMaxR][kMaxC]) {
  Lanes acc[R][C] = {};
  for (Eigen::Index j = 0; j < stride; j += 8) {
    Lanes va[R], vb[C];
    for (int r = 0; r < R; ++r) std::memcpy(&va[r], a[r] + j, sizeof(Lanes));
    for (int c = 0; c < C; ++c) std::memcpy(&vb[c], b[c] + j, sizeof(Lanes));
    for (int r = 0; r < R; ++r)
      for (int c = 0; c < C; ++c) acc[r][c] += va[r] * vb[c];
  }
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) out[r][c] = lane_sum(acc[r][c]);
}

struct Job {
  const double* train;
  const double* test;
  Eigen::Index n, block, stride;
  double* dots;  // n x block, column-major
};

template <int R, int C>
[[gnu::always_inline]] inline void tile_into(const Job& job, Eigen::Index i, Eigen::Index b) {
  const double* a[kMaxR];
  const double* t[kMaxC];
  for (int r = 0; r < R; ++r) a[r] = job.train + (i + r) * job.stride;
  for (int c = 0; c < C; ++c) t[c] = job.test + (b + c) * job.stride;
  double out[kMaxR][kMaxC];
  dot_tile<R, C>(a, t, job.stride, out);
  for (int r = 0; r < R; ++r)
    for (int c = 0; c < C; ++c) job.dots[(b + c) * job.n + i + r] = out[r][c];
}

template <int C>
[[gnu::always_inline]] inline void rows_into(const Job& job, Eigen::Index i, Eigen::Index b) {
  switch (std::min<Eigen::Index>(kMaxR, job.n - i)) {
    case 4: return tile_into<4, C>(job, i, b);
    case 3: return tile_into<3, C>(job, i, b);
    case 2: return tile_into<2, C>(job, i, b);
    default: return tile_into<1, C>(job, i, b);
  }
}

// Tiles of kMaxR training rows x kMaxC test rows: the training rows of a
// tile stay in L1 while the block's test rows (64 at most) stream from L2. A
// tile's dot products do not depend on its shape, so neither do the bits.
template <int kUnused>
[[gnu::always_inline]] inline void dots_body(const Job& job) {
  for (Eigen::Index i = 0; i < job.n; i += kMaxR) {
    for (Eigen::Index b = 0; b < job.block; b += kMaxC) {
      if (b + 1 < job.block) rows_into<2>(job, i, b);
      else rows_into<1>(job, i, b);
    }
  }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
__attribute__((target("avx512f"))) void dots_avx512(const Job& job) { dots_body<0>(job); }
__attribute__((target("avx2"))) void dots_avx2(const Job& job) { dots_body<0>(job); }
#endif
void dots_baseline(const Job& job) { dots_body<0>(job); }

using Kernel = void (*)(const Job&);

struct Chosen {
  Kernel kernel;
  const char* name;
};

// The kernels this processor runs, best first.
std::vector<Chosen> runnable() {
  std::vector<Chosen> out;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) out.push_back({dots_avx512, "avx512f"});
  if (__builtin_cpu_supports("avx2")) out.push_back({dots_avx2, "avx2"});
#endif
  out.push_back({dots_baseline, "baseline"});
  return out;
}

const Chosen& chosen() {
  static const Chosen c = runnable().front();
  return c;
}

void run_kernel(Kernel kernel, const PaddedRows& train, const PaddedRows& test, Eigen::Index first,
                Eigen::Index block, Eigen::MatrixXd& dist) {
  const Eigen::Index n = train.rows();
  dist.resize(n, block);
  if (n == 0 || block == 0) return;
  kernel(Job{train.row(0), test.row(first), n, block, train.stride(), dist.data()});
  for (Eigen::Index b = 0; b < block; ++b) {
    const double test_norm = test.squared_norm(first + b);
    for (Eigen::Index i = 0; i < n; ++i) dist(i, b) = (train.squared_norm(i) + test_norm) - 2.0 * dist(i, b);
  }
}

}  // namespace

PaddedRows::PaddedRows(const Eigen::MatrixXd& x)
    : rows_(x.rows()), stride_((x.cols() + 7) / 8 * 8), data_(Eigen::VectorXd::Zero(x.rows() * ((x.cols() + 7) / 8 * 8))),
      norms_(x.rows()) {
  for (Eigen::Index i = 0; i < rows_; ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) data_(i * stride_ + j) = x(i, j);
  // The norms in the kernel's own order (a row's dot product with itself).
  for (Eigen::Index i = 0; i < rows_; ++i) {
    const double* a[kMaxR] = {row(i)};
    double out[kMaxR][kMaxC];
    dot_tile<1, 1>(a, a, stride_, out);
    norms_(i) = out[0][0];
  }
}

void squared_distances(const PaddedRows& train, const PaddedRows& test, Eigen::Index first, Eigen::Index block,
                       Eigen::MatrixXd& dist) {
  SB_THROW_IF_NOT(InternalError, train.stride() == test.stride() && first >= 0 && block >= 0 &&
                                     first + block <= test.rows(),
                  "squared_distances: strides {} and {}, test rows {}..{} of {}", train.stride(), test.stride(),
                  first, first + block, test.rows());
  run_kernel(chosen().kernel, train, test, first, block, dist);
}

std::string distance_kernel_name() { return chosen().name; }

std::vector<std::string> available_distance_kernels() {
  std::vector<std::string> out;
  for (const auto& k : runnable()) out.push_back(k.name);
  return out;
}

void squared_distances_with(const std::string& kernel, const PaddedRows& train, const PaddedRows& test,
                            Eigen::Index first, Eigen::Index block, Eigen::MatrixXd& dist) {
  for (const auto& k : runnable()) {
    if (k.name == kernel) return run_kernel(k.kernel, train, test, first, block, dist);
  }
  throw InputError("squared_distances_with: kernel '{}' does not run on this processor", kernel);
}

}  // namespace sb::selection
