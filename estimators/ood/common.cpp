#include "estimators/ood/common.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "harness/core/errors.h"

namespace sb::ood::detail {

const Split& require_train(const FitContext& ctx, const std::string& detector) {
  SB_THROW_IF_NOT(InputError, ctx.train != nullptr, "{}: FitContext has no training split",
                  detector);
  const Split& t = *ctx.train;
  const long n = t.features.rows(), m = t.features.cols();
  SB_THROW_IF_NOT(InputError, n >= 1 && m >= 1, "{}: training features are {} x {}", detector, n,
                  m);
  SB_THROW_IF_NOT(InputError, t.labels.size() == n, "{}: {} training labels for {} rows",
                  detector, t.labels.size(), n);
  SB_THROW_IF_NOT(InputError, ctx.num_classes >= 1, "{}: num_classes = {}", detector,
                  ctx.num_classes);
  SB_THROW_IF_NOT(InputError, ctx.weight.rows() == ctx.num_classes && ctx.weight.cols() == m,
                  "{}: final layer is {} x {}, expected {} x {}", detector, ctx.weight.rows(),
                  ctx.weight.cols(), ctx.num_classes, m);
  SB_THROW_IF_NOT(InputError, ctx.bias.size() == ctx.num_classes, "{}: bias has {} entries, expected {}",
                  detector, ctx.bias.size(), ctx.num_classes);
  for (long i = 0; i < n; ++i) {
    const int y = t.labels(i);
    SB_THROW_IF_NOT(InputError, y >= 0 && y < ctx.num_classes,
                    "{}: training label {} at row {} outside [0, {})", detector, y, i,
                    ctx.num_classes);
  }
  return t;
}

Eigen::MatrixXd train_logits(const FitContext& ctx) {
  const Split& t = *ctx.train;
  if (t.logits.cols() == ctx.num_classes && t.logits.rows() == t.features.rows()) return t.logits;
  return (t.features * ctx.weight.transpose()).rowwise() + ctx.bias.transpose();
}

void require_logits(const Split& split, long num_classes, const std::string& detector) {
  SB_THROW_IF_NOT(InputError, split.logits.cols() >= 1, "{}: split has no logits ({} x {})",
                  detector, split.logits.rows(), split.logits.cols());
  SB_THROW_IF_NOT(InputError, num_classes < 0 || split.logits.cols() == num_classes,
                  "{}: logits have {} columns, the model has {} classes", detector,
                  split.logits.cols(), num_classes);
}

void require_features(const Split& split, long dim, const std::string& detector) {
  SB_THROW_IF_NOT(InputError, split.features.cols() >= 1, "{}: split has no features ({} x {})",
                  detector, split.features.rows(), split.features.cols());
  SB_THROW_IF_NOT(InputError, dim < 0 || split.features.cols() == dim,
                  "{}: features have {} columns, the detector was fitted on {}", detector,
                  split.features.cols(), dim);
}

Eigen::VectorXd logsumexp_rows(const Eigen::MatrixXd& x) {
  Eigen::VectorXd out(x.rows());
  for (long i = 0; i < x.rows(); ++i) {
    const double mx = x.row(i).maxCoeff();
    out(i) = mx + std::log((x.row(i).array() - mx).exp().sum());
  }
  return out;
}

Eigen::VectorXd energy_score(const Eigen::MatrixXd& logits, double temperature) {
  return temperature * logsumexp_rows(logits / temperature);
}

Eigen::VectorXi argmax_rows(const Eigen::MatrixXd& x) {
  Eigen::VectorXi out(x.rows());
  for (long i = 0; i < x.rows(); ++i) {
    Eigen::Index j = 0;
    x.row(i).maxCoeff(&j);
    out(i) = static_cast<int>(j);
  }
  return out;
}

double percentile(std::vector<double> values, double p) {
  SB_THROW_IF_NOT(InputError, !values.empty(), "percentile of an empty set (p = {})", p);
  SB_THROW_IF_NOT(InputError, p >= 0 && p <= 100, "percentile p = {} outside [0, 100]", p);
  const double h = p / 100.0 * static_cast<double>(values.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + lo, values.end());
  const double v_lo = values[lo];
  if (lo + 1 >= values.size()) return v_lo;
  const double v_hi = *std::min_element(values.begin() + lo + 1, values.end());
  return v_lo + (h - static_cast<double>(lo)) * (v_hi - v_lo);
}

ClassStats class_means(const Eigen::MatrixXd& x, const Eigen::VectorXi& labels, int num_classes) {
  ClassStats s;
  s.means = Eigen::MatrixXd::Zero(num_classes, x.cols());
  s.counts.assign(num_classes, 0);
  for (long i = 0; i < x.rows(); ++i) {
    s.means.row(labels(i)) += x.row(i);
    ++s.counts[labels(i)];
  }
  for (int c = 0; c < num_classes; ++c)
    if (s.counts[c] > 0) s.means.row(c) /= static_cast<double>(s.counts[c]);
  return s;
}

Eigen::MatrixXd pinv_symmetric(const Eigen::MatrixXd& s, double rcond) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(s);
  SB_THROW_IF_NOT(MethodError, eig.info() == Eigen::Success,
                  "eigen-decomposition of a {} x {} matrix failed", s.rows(), s.cols());
  const Eigen::VectorXd& ev = eig.eigenvalues();
  const double cutoff = rcond * std::max(ev.cwiseAbs().maxCoeff(), 0.0);
  Eigen::VectorXd inv = Eigen::VectorXd::Zero(ev.size());
  for (long i = 0; i < ev.size(); ++i)
    if (ev(i) > cutoff) inv(i) = 1.0 / ev(i);
  return eig.eigenvectors() * inv.asDiagonal() * eig.eigenvectors().transpose();
}

Eigen::MatrixXd l2_normalize_rows(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd out = x;
  for (long i = 0; i < out.rows(); ++i) {
    const double nrm = out.row(i).norm();
    if (nrm > 0) out.row(i) /= nrm;
  }
  return out;
}

Eigen::MatrixXd whitening_of(const Eigen::MatrixXd& cov) {
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  SB_THROW_IF_NOT(MethodError, eig.info() == Eigen::Success,
                  "eigen-decomposition of a {} x {} covariance failed", cov.rows(), cov.cols());
  const Eigen::VectorXd& ev = eig.eigenvalues();
  const double cutoff = 1e-10 * std::max(ev.cwiseAbs().maxCoeff(), 0.0);
  Eigen::VectorXd scale = Eigen::VectorXd::Zero(ev.size());
  for (long i = 0; i < ev.size(); ++i)
    if (ev(i) > cutoff) scale(i) = 1.0 / std::sqrt(ev(i));
  return eig.eigenvectors() * scale.asDiagonal();
}

ClassGaussians fit_class_gaussians(const Eigen::MatrixXd& features, const Eigen::VectorXi& labels,
                                   int num_classes) {
  const ClassStats stats = class_means(features, labels, num_classes);
  Eigen::MatrixXd centred = features;
  for (long i = 0; i < features.rows(); ++i) centred.row(i) -= stats.means.row(labels(i));
  const Eigen::MatrixXd cov =
      (centred.transpose() * centred) / static_cast<double>(features.rows());
  ClassGaussians g;
  g.whitening = whitening_of(cov);
  g.whitened_means = stats.means * g.whitening;
  for (long c : stats.counts) g.present.push_back(c > 0);
  return g;
}

Eigen::VectorXd min_class_distance(const ClassGaussians& g, const Eigen::MatrixXd& features) {
  const Eigen::MatrixXd z = features * g.whitening;
  Eigen::VectorXd out = Eigen::VectorXd::Constant(z.rows(), std::numeric_limits<double>::infinity());
  for (long c = 0; c < g.whitened_means.rows(); ++c) {
    if (!g.present[c]) continue;
    const Eigen::VectorXd d = (z.rowwise() - g.whitened_means.row(c)).rowwise().squaredNorm();
    out = out.cwiseMin(d);
  }
  return out;
}

ResidualSubspace fit_residual_subspace(const Eigen::MatrixXd& train_features,
                                       const Eigen::MatrixXd& weight, const Eigen::VectorXd& bias,
                                       long dim) {
  const long m = train_features.cols();
  SB_THROW_IF_NOT(InputError, dim >= 1 && dim < m,
                  "principal subspace dimension {} must be in [1, {}) for {}-dim features", dim, m,
                  m);
  ResidualSubspace s;
  // u = -pinv(W) b, via the pseudo-inverse of W^T W (m x m, symmetric).
  s.origin = -pinv_symmetric(weight.transpose() * weight) * (weight.transpose() * bias);
  const Eigen::MatrixXd centred = train_features.rowwise() - s.origin.transpose();
  const Eigen::MatrixXd moment =
      (centred.transpose() * centred) / static_cast<double>(train_features.rows());
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(moment);
  SB_THROW_IF_NOT(MethodError, eig.info() == Eigen::Success,
                  "eigen-decomposition of the {} x {} feature moment failed", m, m);
  // Eigenvalues ascend: the residual space is spanned by the first m - dim.
  s.residual_basis = eig.eigenvectors().leftCols(m - dim);
  return s;
}

Eigen::VectorXd residual_norms(const ResidualSubspace& s, const Eigen::MatrixXd& features) {
  const Eigen::MatrixXd proj =
      (features.rowwise() - s.origin.transpose()) * s.residual_basis;
  return proj.rowwise().norm();
}

// ---------------------------------------------------------------------------
// KnnIndex

namespace {

// Candidate (screening key, reference row); ordered so that a std heap keeps
// the worst candidate at the front.
using Candidate = std::pair<float, int>;

// Max-heap of at most `cap` candidates with the smallest keys seen.
class BoundedHeap {
 public:
  void reset(size_t cap) {
    cap_ = cap;
    items_.clear();
    items_.reserve(cap);
  }
  float bound() const {
    return items_.size() < cap_ ? std::numeric_limits<float>::infinity() : items_.front().first;
  }
  void offer(float key, int index) {
    const Candidate c{key, index};
    if (items_.size() < cap_) {
      items_.push_back(c);
      std::push_heap(items_.begin(), items_.end());
    } else if (c < items_.front()) {
      std::pop_heap(items_.begin(), items_.end());
      items_.back() = c;
      std::push_heap(items_.begin(), items_.end());
    }
  }
  const std::vector<Candidate>& items() const { return items_; }

 private:
  size_t cap_ = 0;
  std::vector<Candidate> items_;
};

constexpr long kQueryBlock = 256;
constexpr long kReferenceBlock = 2048;

}  // namespace

KnnIndex::KnnIndex(const Eigen::MatrixXd& reference) : reference_(reference) {
  SB_THROW_IF_NOT(InputError, reference.rows() >= 1 && reference.cols() >= 1,
                  "kNN reference set is {} x {}", reference.rows(), reference.cols());
  reference_t_ = reference.transpose().cast<float>();
  reference_sq_norms_ = reference_t_.colwise().squaredNorm().transpose();
}

Eigen::VectorXd KnnIndex::kth_distance(const Eigen::MatrixXd& queries, int k) const {
  const long n = reference_.rows(), d = reference_.cols(), q = queries.rows();
  SB_THROW_IF_NOT(InputError, k >= 1 && k <= n, "k = {} must be in [1, {}] (reference size)", k,
                  n);
  SB_THROW_IF_NOT(InputError, queries.cols() == d, "queries have {} columns, reference has {}",
                  queries.cols(), d);
  const size_t cap = static_cast<size_t>(std::min<long>(n, k + kRefineMargin));
  Eigen::VectorXd out(q);
  std::vector<BoundedHeap> heaps(kQueryBlock);
  Eigen::MatrixXf gram(kReferenceBlock, kQueryBlock);
  std::vector<std::pair<double, int>> refined;
  for (long q0 = 0; q0 < q; q0 += kQueryBlock) {
    const long bq = std::min(kQueryBlock, q - q0);
    const Eigen::MatrixXf qt = queries.middleRows(q0, bq).transpose().cast<float>();  // d x bq
    for (long j = 0; j < bq; ++j) heaps[j].reset(cap);
    for (long r0 = 0; r0 < n; r0 += kReferenceBlock) {
      const long br = std::min(kReferenceBlock, n - r0);
      // Column j holds a.b for query j against reference rows r0 .. r0+br.
      gram.topLeftCorner(br, bq).noalias() =
          reference_t_.middleCols(r0, br).transpose() * qt;
      const float* norms = reference_sq_norms_.data() + r0;
      for (long j = 0; j < bq; ++j) {
        // ||b||^2 - 2 a.b ranks references like ||a - b||^2 (||a||^2 is common).
        const float* g = gram.col(j).data();
        BoundedHeap& heap = heaps[j];
        float bound = heap.bound();
        for (long i = 0; i < br; ++i) {
          const float key = norms[i] - 2.0f * g[i];
          if (key < bound) {
            heap.offer(key, static_cast<int>(r0 + i));
            bound = heap.bound();
          }
        }
      }
    }
    for (long j = 0; j < bq; ++j) {
      refined.clear();
      const auto query = queries.row(q0 + j);
      for (const auto& [key, idx] : heaps[j].items())
        refined.emplace_back((reference_.row(idx) - query).squaredNorm(), idx);
      std::nth_element(refined.begin(), refined.begin() + (k - 1), refined.end());
      out(q0 + j) = std::sqrt(refined[k - 1].first);
    }
  }
  return out;
}

}  // namespace sb::ood::detail
