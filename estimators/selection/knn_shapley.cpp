// KNN-Shapley: Jia et al. (2019), Efficient task-specific data valuation for nearest neighbor algorithms, PVLDB 12(11)
#include "estimators/selection/knn_shapley.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "benchmarks/selection/selection.h"
#include "estimators/selection/knn_distances.h"
#include "harness/core/errors.h"

namespace sb::selection {

namespace {

constexpr int kDigitBits = 11, kDigits = 6;  // 66 bits >= 64
constexpr std::uint32_t kBuckets = 1u << kDigitBits;

// Monotone map of doubles to unsigned integers (-0.0 is made +0.0 first).
std::uint64_t ordered_bits(double v) {
  v += 0.0;
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return (b >> 63) ? ~b : (b | (std::uint64_t{1} << 63));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

void order_by_key(const double* key, std::int64_t n, std::vector<std::uint32_t>& order,
                  std::vector<std::uint64_t>& scratch) {
  SB_THROW_IF_NOT(InputError, n >= 0 && n < (std::int64_t{1} << 32), "order_by_key: {} keys", n);
  const auto count = static_cast<size_t>(n);
  // keys[i] and their row ids travel together: (bits, id) in two arrays.
  scratch.resize(2 * count);
  std::vector<std::uint32_t> ids(count), ids_out(count);
  std::uint64_t* bits = scratch.data();
  std::uint64_t* bits_out = scratch.data() + count;
  std::array<std::array<std::uint32_t, kBuckets>, kDigits> histogram{};
  for (size_t i = 0; i < count; ++i) {
    bits[i] = ordered_bits(key[i]);
    ids[i] = static_cast<std::uint32_t>(i);
    for (int d = 0; d < kDigits; ++d) ++histogram[d][(bits[i] >> (d * kDigitBits)) & (kBuckets - 1)];
  }
  for (int d = 0; d < kDigits; ++d) {
    auto& h = histogram[d];
    if (count == 0 || h[(bits[0] >> (d * kDigitBits)) & (kBuckets - 1)] == count) continue;  // one bucket: no move
    std::uint32_t sum = 0;
    for (auto& c : h) {
      const std::uint32_t c0 = c;
      c = sum;
      sum += c0;
    }
    for (size_t i = 0; i < count; ++i) {  // stable: equal keys keep their order, i.e. the index order
      const std::uint32_t at = h[(bits[i] >> (d * kDigitBits)) & (kBuckets - 1)]++;
      bits_out[at] = bits[i];
      ids_out[at] = ids[i];
    }
    std::swap(bits, bits_out);
    ids.swap(ids_out);
  }
  order = std::move(ids);
}

Eigen::VectorXd knn_shapley_values(const Eigen::MatrixXd& x_train, const Eigen::VectorXi& y_train,
                                   const Eigen::MatrixXd& x_test, const Eigen::VectorXi& y_test, int k,
                                   KnnShapleyProfile* profile) {
  SB_THROW_IF_NOT(InputError, k >= 1 && x_train.rows() >= 1 && x_test.rows() == y_test.size() &&
                                  x_train.rows() == y_train.size() && x_train.cols() == x_test.cols(),
                  "knn-shapley: k = {}, {} training rows with {} labels, {} test rows with {} labels", k,
                  x_train.rows(), y_train.size(), x_test.rows(), y_test.size());
  using Clock = std::chrono::steady_clock;
  const Eigen::Index n = x_train.rows(), tests = x_test.rows();
  constexpr Eigen::Index kBlock = 64;  // test rows per block of distances
  auto t_copy = Clock::now();
  const PaddedRows train_rows(x_train), test_rows(x_test);
  if (profile) profile->distances += seconds_since(t_copy);
  Eigen::VectorXd total = Eigen::VectorXd::Zero(n);
  Eigen::MatrixXd dist;
  std::vector<std::uint32_t> alpha;
  std::vector<std::uint64_t> scratch;
  std::vector<double> match(static_cast<size_t>(n));
  // Theorem 1's weights min(K, i) / (K i) of the differences, i = 1..n-1.
  std::vector<double> weight(static_cast<size_t>(n));
  for (Eigen::Index i = 1; i < n; ++i)
    weight[static_cast<size_t>(i)] = 1.0 / k * static_cast<double>(std::min<Eigen::Index>(k, i)) / static_cast<double>(i);
  for (Eigen::Index start = 0; start < tests; start += kBlock) {
    const Eigen::Index block = std::min(kBlock, tests - start);
    auto t0 = Clock::now();
    // dist(:, b) = ||x||^2 + ||t_b||^2 - 2 x.t_b: one column per test row.
    squared_distances(train_rows, test_rows, start, block, dist);
    if (profile) profile->distances += seconds_since(t0);
    for (Eigen::Index b = 0; b < block; ++b) {
      t0 = Clock::now();
      order_by_key(dist.col(b).data(), n, alpha, scratch);
      if (profile) profile->ordering += seconds_since(t0);
      t0 = Clock::now();
      const int label = y_test(start + b);
      for (Eigen::Index r = 0; r < n; ++r) match[static_cast<size_t>(r)] = y_train(alpha[static_cast<size_t>(r)]) == label ? 1.0 : 0.0;
      // Theorem 1 (ranks 1-based, nearest first): s_N = 1[match_N] / max(N, K)
      // (the paper's 1[match_N] / N assumes N >= K; with N < K the farthest
      // row is always among the K nearest and adds 1[match_N] / K);
      // s_i = s_{i+1} + (1[match_i] - 1[match_{i+1}]) / K * min(K, i) / i.
      double next = match[static_cast<size_t>(n - 1)] / static_cast<double>(std::max<Eigen::Index>(n, k));
      total(alpha[static_cast<size_t>(n - 1)]) += next;
      for (Eigen::Index i = n - 1; i >= 1; --i) {
        const auto at = static_cast<size_t>(i);
        next += (match[at - 1] - match[at]) * weight[at];
        total(alpha[at - 1]) += next;
      }
      if (profile) profile->recursion += seconds_since(t0);
    }
  }
  return total / static_cast<double>(tests);
}

namespace {

class KnnShapley : public Valuer {
 public:
  struct Params {
    std::int64_t k = 10;
  };
  explicit KnnShapley(const Params& p) : k_(static_cast<int>(p.k)) {}
  Eigen::VectorXd values(const ValuationContext& ctx) const override {
    return knn_shapley_values(ctx.data->train.x, ctx.data->train.y, ctx.data->valid.x, ctx.data->valid.y, k_);
  }

 private:
  int k_;
};

}  // namespace

SB_REGISTER_VALUER(KnnShapley, "knn-shapley")
    .describe("Exact Shapley values of the K-nearest-neighbour utility (Theorem 1's recursion), "
              "averaged over the validation rows; no model fit")
    .paper("Jia et al. (2019), Efficient task-specific data valuation for nearest neighbor algorithms, PVLDB 12(11)")
    .field(&KnnShapley::Params::k, "k", 1, 100000, "neighbours K")
    .version("4");  // 2: distances by a matrix product (||x||^2 + ||t||^2 - 2 x.t), radix-sorted.
                    // 3: the dot products in one 8-lane order on every instruction set (knn_distances.h)
                    // 4: exact when n_train < K (the farthest row's value is 1[match] / max(N, K))

}  // namespace sb::selection
