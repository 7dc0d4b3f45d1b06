// The C++ half of scripts/bench-unlearning.sh (docs/PERFORMANCE.md,
// "Unlearning"): a benchmark, not a test, hence DISABLED_ (run it with
// --gtest_also_run_disabled_tests). On the first SB_BENCH_N Fashion-MNIST
// training images (pixels / 255, z = [x, 1]), multinomial logistic regression
// with lambda = SB_BENCH_L2 * n: the original model on every row, the retrain
// oracle on the rows i % 100 != 0 (99%) from zero, both timed, and Newton
// removal of the 1% (one Newton step on L_R from the original), timed, with
// its distance to the oracle. Prints one line of key=value figures.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "datasets/fashion_mnist.h"
#include "estimators/models/linear.h"
#include "estimators/models/penalized_linear.h"

namespace sb::unlearning {
namespace {

double env_or(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::stod(v) : fallback;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Processor seconds of this process (the machine is shared: wall time depends on the load).
double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

TEST(BenchUnlearning, DISABLED_OracleAndNewtonRemovalOnFashionMnist) {
  const auto n = static_cast<Eigen::Index>(env_or("SB_BENCH_N", 12000));
  const double l2 = env_or("SB_BENCH_L2", 1e-4), tolerance = env_or("SB_BENCH_TOLERANCE", 1e-8);
  const double cg_tolerance = env_or("SB_BENCH_CG_TOLERANCE", 1e-6);  // Newton removal's relative CG residual
  const auto& files = data::fashion_mnist_files(data::fashion_mnist_dir(), "train");
  const Eigen::Index p = files.images.rows * files.images.cols;
  ASSERT_LE(n, files.images.count);
  Eigen::MatrixXd x(n, p);
  Eigen::VectorXi y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) x(i, j) = files.images.pixels[static_cast<size_t>(i * p + j)] / 255.0;
    y(i) = files.labels[static_cast<size_t>(i)];
  }
  const Eigen::MatrixXd z = models::augment(x);
  std::vector<Eigen::Index> retain;
  for (Eigen::Index i = 0; i < n; ++i)
    if (i % 100 != 0) retain.push_back(i);
  const Eigen::MatrixXd retain_z = models::select_rows(z, retain);
  Eigen::VectorXi retain_y(static_cast<Eigen::Index>(retain.size()));
  for (size_t i = 0; i < retain.size(); ++i) retain_y(static_cast<Eigen::Index>(i)) = y(retain[i]);

  models::PenalizedLinear model;
  model.lambda = l2 * static_cast<double>(n);
  model.tolerance = tolerance;
  auto start = std::chrono::steady_clock::now();
  const bool oracle_only = std::getenv("SB_BENCH_ORACLE_ONLY") != nullptr;
  const Eigen::MatrixXd original = oracle_only ? Eigen::MatrixXd::Zero(z.cols(), 10) : models::fit_linear(model, z, y, 10);
  const double original_seconds = seconds_since(start);
  start = std::chrono::steady_clock::now();
  const double oracle_cpu_start = cpu_seconds();
  models::LinearFitTrace trace;
  const Eigen::MatrixXd oracle = models::fit_linear(model, retain_z, retain_y, 10, {}, {}, &trace);
  const double oracle_seconds = seconds_since(start), oracle_cpu = cpu_seconds() - oracle_cpu_start;
  Eigen::MatrixXd gradient;
  const double objective = models::linear_objective(model, retain_z, retain_y, oracle, &gradient);
  const double oracle_grad = gradient.cwiseAbs().maxCoeff() / static_cast<double>(retain.size());

  if (oracle_only) {
    std::printf("cpp n=%lld oracle_seconds=%.4f oracle_cpu_seconds=%.4f oracle_newton=%d oracle_hessian_products=%ld oracle_objective=%.12g oracle_max_grad_per_row=%.3g\n",
                static_cast<long long>(n), oracle_seconds, oracle_cpu, trace.newton_iterations, trace.cg_iterations, objective, oracle_grad);
    return;
  }
  start = std::chrono::steady_clock::now();
  const double newton_cpu_start = cpu_seconds();
  models::linear_objective(model, retain_z, retain_y, original, &gradient);
  const Eigen::MatrixXd removed = original - models::solve_linear_hessian(model, retain_z, original, gradient, cg_tolerance);
  const double newton_seconds = seconds_since(start), newton_cpu = cpu_seconds() - newton_cpu_start;
  const double rel_distance = (removed - oracle).norm() / oracle.norm();
  const double original_distance = (original - oracle).norm() / oracle.norm();
  std::printf(
      "cpp n=%lld retain=%zu lambda=%.6g tolerance=%.3g cg_tolerance=%.3g original_seconds=%.4f oracle_seconds=%.4f "
      "oracle_cpu_seconds=%.4f oracle_newton=%d oracle_hessian_products=%ld oracle_objective=%.12g oracle_max_grad_per_row=%.3g newton_seconds=%.4f newton_cpu_seconds=%.4f speedup=%.2f cpu_speedup=%.2f "
      "newton_rel_distance=%.3g original_rel_distance=%.3g\n",
      static_cast<long long>(n), retain.size(), model.lambda, tolerance, cg_tolerance, original_seconds, oracle_seconds, oracle_cpu,
      trace.newton_iterations,
      trace.cg_iterations, objective,
      oracle_grad, newton_seconds, newton_cpu, oracle_seconds / newton_seconds, oracle_cpu / newton_cpu, rel_distance, original_distance);
  EXPECT_LT(rel_distance, original_distance);
}

}  // namespace
}  // namespace sb::unlearning
