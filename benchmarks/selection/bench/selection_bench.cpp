// Benchmark program of the selection suite (scripts/bench-selection-*.sh,
// figures in docs/PERFORMANCE.md).
//
//   selection_bench knn raw|pca N_TRAIN N_TEST K OUT_DIR
//     KNN-Shapley on Fashion-MNIST: N_TRAIN + N_TEST images drawn from the
//     60,000 training images (seed 1), the first N_TRAIN valued against the
//     rest; raw: pixels 0..255 as doubles (integers, so every squared
//     distance is exact and ties are true ties; the order, hence the
//     values, is the same as for pixels / 255); pca: pixels / 255 projected
//     on the 32 fixed components (data::fashion_mnist_pca). Writes the data
//     and our values to OUT_DIR (raw little-endian: x_train.f8, y_train.i4,
//     x_test.f8, y_test.i4, values.f8; matrices row-major) and prints
//     "cpp_seconds=... distances=... ordering=... recursion=... n=... t=... d=... kernel=...".
//
//   selection_bench loo raw|pca N_TRAIN REFITS OUT_DIR
//     Exact LOO of the suite's logistic utility on the fashion-mnist
//     replication (seed 1, N_TRAIN training rows, 500 validation rows, 10%
//     label flips; pca: the 32-dim projection): the fit on D, then
//     REFITS leave-one-out refits warm-started from it (REFITS = N_TRAIN: all
//     of them, through loo_values; fewer: the first REFITS, timed and
//     scaled to N_TRAIN). Writes x_train.f8, y_train.i4, x_valid.f8,
//     y_valid.i4 and prints "cpp_seconds=... (full fit ..., refits ...)".
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "datasets/fashion_mnist.h"
#include "datasets/pca.h"
#include "benchmarks/selection/ground_truth.h"
#include "benchmarks/selection/protocol.h"
#include "estimators/selection/knn_distances.h"
#include "estimators/selection/knn_shapley.h"
#include "harness/core/suite.h"
#include "harness/core/errors.h"

namespace {

template <class T>
void write_raw(const std::string& path, const T* data, size_t count) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(count * sizeof(T)));
  if (!out) throw sb::InputError("cannot write '{}'", path);
}

void write_matrix(const std::string& path, const Eigen::MatrixXd& m) {
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = m;
  write_raw(path, row_major.data(), static_cast<size_t>(row_major.size()));
}

int knn(const std::string& mode, std::int64_t n_train, std::int64_t n_test, int k, const std::string& out_dir) {
  SB_THROW_IF_NOT(sb::InputError, mode == "raw" || mode == "pca", "knn: mode '{}' is not raw or pca", mode);
  sb::data::Table t = sb::data::fashion_mnist_subset("", n_train + n_test, 1);
  if (mode == "raw") t.x *= 255.0;
  else t.x = sb::data::fashion_mnist_pca("", 32).project(t.x);
  const Eigen::MatrixXd x_train = t.x.topRows(n_train), x_test = t.x.bottomRows(n_test);
  const Eigen::VectorXi y_train = t.y.head(n_train), y_test = t.y.tail(n_test);
  sb::selection::KnnShapleyProfile profile;
  const auto start = std::chrono::steady_clock::now();
  const Eigen::VectorXd values = sb::selection::knn_shapley_values(x_train, y_train, x_test, y_test, k, &profile);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  write_matrix(out_dir + "/x_train.f8", x_train);
  write_matrix(out_dir + "/x_test.f8", x_test);
  write_raw(out_dir + "/y_train.i4", y_train.data(), static_cast<size_t>(y_train.size()));
  write_raw(out_dir + "/y_test.i4", y_test.data(), static_cast<size_t>(y_test.size()));
  write_raw(out_dir + "/values.f8", values.data(), static_cast<size_t>(values.size()));
  fmt::print("cpp_seconds={:.3f} distances={:.3f} ordering={:.3f} recursion={:.3f} n={} t={} d={} kernel={}\n",
             seconds, profile.distances, profile.ordering, profile.recursion, n_train, n_test, x_train.cols(),
             sb::selection::distance_kernel_name());
  return 0;
}

int loo(const std::string& mode, std::int64_t n_train, std::int64_t refits, const std::string& out_dir) {
  using namespace sb;
  const auto suite = SuiteRegistry::instance().find("selection")->make(ParamSet{});
  ParamSet params;
  for (auto& info : suite->datasets()) {
    if (info.name != "fashion-mnist") continue;
    params = resolve_params(info.params,
                            {{"n", std::int64_t{n_train + 600}}, {"n_train", n_train}, {"n_valid", std::int64_t{500}},
                             {"n_test", std::int64_t{100}}, {"projection", mode}},
                            "fashion-mnist");
  }
  const auto prepared = selection::prepare_data_only("fashion-mnist", params, 1);
  const selection::SelectionData& d = prepared->data;
  write_matrix(out_dir + "/x_train.f8", d.train.x);
  write_matrix(out_dir + "/x_valid.f8", d.valid.x);
  write_raw(out_dir + "/y_train.i4", d.train.y.data(), static_cast<size_t>(d.train.y.size()));
  write_raw(out_dir + "/y_valid.i4", d.valid.y.data(), static_cast<size_t>(d.valid.y.size()));
  const selection::Utility utility(d, prepared->utility);
  const auto start = std::chrono::steady_clock::now();
  auto since = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  if (refits >= n_train) {
    const auto values = selection::loo_values(utility);
    fmt::print("cpp_seconds={:.3f} refits={} n={} d={} l2={} (all, loo_values)\n", since(), n_train, n_train,
               d.train.x.cols(), prepared->utility.l2);
    return 0;
  }
  std::vector<Eigen::Index> all(static_cast<size_t>(n_train));
  for (Eigen::Index i = 0; i < n_train; ++i) all[static_cast<size_t>(i)] = i;
  const auto full = utility.fit(all);
  const double full_seconds = since();
  for (Eigen::Index i = 0; i < refits; ++i) {
    std::vector<Eigen::Index> rest;
    for (Eigen::Index j = 0; j < n_train; ++j)
      if (j != i) rest.push_back(j);
    utility.warm(std::move(rest), full);
  }
  const double refit_seconds = since() - full_seconds;
  fmt::print("cpp_seconds={:.3f} full_fit={:.3f} refits={} refit_seconds={:.3f} n={} d={} l2={} (scaled from {} refits)\n",
             full_seconds + refit_seconds * static_cast<double>(n_train) / static_cast<double>(refits), full_seconds,
             refits, refit_seconds, n_train, d.train.x.cols(), prepared->utility.l2, refits);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "knn" && argc == 7) return knn(argv[2], std::stoll(argv[3]), std::stoll(argv[4]), std::stoi(argv[5]), argv[6]);
    if (what == "loo" && argc == 6) return loo(argv[2], std::stoll(argv[3]), std::stoll(argv[4]), argv[5]);
    std::fprintf(stderr, "usage: selection_bench knn raw|pca N_TRAIN N_TEST K OUT_DIR\n"
                         "       selection_bench loo raw|pca N_TRAIN REFITS OUT_DIR\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "selection_bench: %s\n", e.what());
    return 2;
  }
}
