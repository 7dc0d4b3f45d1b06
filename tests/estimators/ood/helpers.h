// Shared fixtures of the detector tests: make a registered detector with
// parameter overrides, and a tiny hand-made 3-class, 2-feature model.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/ood/ood.h"
#include "harness/core/params.h"

namespace sb::ood::testing {

inline std::unique_ptr<Detector> make_detector(const std::string& name,
                                               std::map<std::string, ParamValue> given = {}) {
  const auto* entry = DetectorRegistry::instance().find(name);
  if (entry == nullptr) {
    ADD_FAILURE() << "detector '" << name << "' is not registered";
    return nullptr;
  }
  return entry->make(resolve_params(entry->info.params, given, "detector '" + name + "'"));
}

// Logits by explicit loops: l_c = sum_j W_cj f_j + b_c.
inline Eigen::MatrixXd loop_logits(const Eigen::MatrixXd& f, const Eigen::MatrixXd& w,
                                   const Eigen::VectorXd& b) {
  Eigen::MatrixXd out(f.rows(), w.rows());
  for (long i = 0; i < f.rows(); ++i)
    for (long c = 0; c < w.rows(); ++c) {
      double s = b(c);
      for (long j = 0; j < f.cols(); ++j) s += w(c, j) * f(i, j);
      out(i, c) = s;
    }
  return out;
}

inline Split make_split(const Eigen::MatrixXd& f, const Eigen::MatrixXd& w, const Eigen::VectorXd& b,
                        std::vector<int> labels = {}) {
  Split s;
  s.features = f;
  s.logits = loop_logits(f, w, b);
  s.labels = Eigen::VectorXi::Constant(f.rows(), -1);
  for (size_t i = 0; i < labels.size(); ++i) s.labels(static_cast<long>(i)) = labels[i];
  return s;
}

// Tiny model: W (3 x 2), b, six training rows, two per class.
struct TinyProblem {
  Eigen::MatrixXd w{{1.0, 0.0}, {0.0, 1.0}, {-1.0, -1.0}};
  Eigen::VectorXd b{{0.0, 0.5, -0.5}};
  Split train;
  Split test;
  FitContext ctx;
  TinyProblem() {
    Eigen::MatrixXd f{{2.0, 0.0}, {3.0, 1.0}, {0.0, 2.0}, {1.0, 3.0}, {-1.0, -2.0}, {-2.0, -0.5}};
    train = make_split(f, w, b, {0, 0, 1, 1, 2, 2});
    Eigen::MatrixXd g{{1.0, 1.0}, {2.5, -0.5}, {-0.5, 0.7}, {4.0, 4.0}, {-3.0, 1.0}};
    test = make_split(g, w, b);
    ctx.train = &train;
    ctx.weight = w;
    ctx.bias = b;
    ctx.num_classes = 3;
    ctx.seed = 7;
  }
};

// Softmax of one row by explicit loops.
inline std::vector<double> loop_softmax(const Eigen::MatrixXd& logits, long i, double t = 1.0) {
  std::vector<double> p(logits.cols());
  double z = 0;
  for (long c = 0; c < logits.cols(); ++c) z += std::exp(logits(i, c) / t);
  for (long c = 0; c < logits.cols(); ++c) p[c] = std::exp(logits(i, c) / t) / z;
  return p;
}

inline double loop_energy(const Eigen::MatrixXd& logits, long i, double t = 1.0) {
  double z = 0;
  for (long c = 0; c < logits.cols(); ++c) z += std::exp(logits(i, c) / t);
  return t * std::log(z);
}

}  // namespace sb::ood::testing
