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
//     "cpp_seconds=... distances=... ordering=... recursion=... n=... t=... d=...".
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "datasets/fashion_mnist.h"
#include "datasets/pca.h"
#include "estimators/selection/knn_shapley.h"
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
  fmt::print("cpp_seconds={:.3f} distances={:.3f} ordering={:.3f} recursion={:.3f} n={} t={} d={}\n", seconds,
             profile.distances, profile.ordering, profile.recursion, n_train, n_test, x_train.cols());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string what = argc > 1 ? argv[1] : "";
    if (what == "knn" && argc == 7) return knn(argv[2], std::stoll(argv[3]), std::stoll(argv[4]), std::stoi(argv[5]), argv[6]);
    std::fprintf(stderr, "usage: selection_bench knn raw|pca N_TRAIN N_TEST K OUT_DIR\n");
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "selection_bench: %s\n", e.what());
    return 2;
  }
}
