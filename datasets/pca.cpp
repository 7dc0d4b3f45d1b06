#include "datasets/pca.h"

#include <map>
#include <memory>
#include <mutex>

#include "datasets/fashion_mnist.h"
#include "harness/core/errors.h"

namespace sb::data {

Eigen::MatrixXd PcaProjection::project(const Eigen::MatrixXd& x) const {
  SB_THROW_IF_NOT(InputError, x.cols() == mean.size(), "pca: {} columns to project, the map takes {}", x.cols(),
                  mean.size());
  return (x.rowwise() - mean) * components;
}

PcaProjection fit_pca(const Eigen::MatrixXd& x, int dims) {
  SB_THROW_IF_NOT(InputError, x.rows() >= 2 && dims >= 1 && dims <= x.cols(),
                  "pca: {} components of {} rows x {} columns", dims, x.rows(), x.cols());
  PcaProjection p;
  p.mean = x.colwise().mean();
  const Eigen::MatrixXd centred = x.rowwise() - p.mean;
  Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(x.cols(), x.cols());
  covariance.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose(), 1.0 / static_cast<double>(x.rows() - 1));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(covariance);  // reads the lower triangle
  SB_THROW_IF_NOT(InternalError, eigen.info() == Eigen::Success, "pca: the eigen decomposition failed");
  const Eigen::Index d = x.cols();
  p.components.resize(d, dims);
  p.variances.resize(dims);
  for (int j = 0; j < dims; ++j) {  // eigenvalues come in increasing order
    Eigen::VectorXd v = eigen.eigenvectors().col(d - 1 - j);
    Eigen::Index largest = 0;
    for (Eigen::Index i = 1; i < d; ++i)
      if (std::abs(v(i)) > std::abs(v(largest))) largest = i;
    if (v(largest) < 0) v = -v;
    p.components.col(j) = v;
    p.variances(j) = eigen.eigenvalues()(d - 1 - j);
  }
  return p;
}

const PcaProjection& fashion_mnist_pca(const std::string& dir, int dims) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, int>, std::unique_ptr<PcaProjection>> cache;
  const std::string root = fashion_mnist_dir(dir);
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[{root, dims}];
  if (!slot) {
    const FashionMnistFiles& raw = fashion_mnist_files(root, "t10k");
    const std::int64_t pixels = raw.images.rows * raw.images.cols;
    Eigen::MatrixXd x(raw.images.count, pixels);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
      for (std::int64_t j = 0; j < pixels; ++j) x(i, j) = raw.images.pixels[static_cast<size_t>(i * pixels + j)] / 255.0;
    slot = std::make_unique<PcaProjection>(fit_pca(x, dims));
  }
  return *slot;
}

}  // namespace sb::data
