// `fashion-mnist`: ID = chosen classes of Fashion-MNIST (Debian package
// dataset-fashion-mnist), near OOD = the held-out classes, far OOD = images
// made from ID test images or noise.
// Paper: Xiao, Rasul & Vollgraf (2017), Fashion-MNIST: a novel image dataset for benchmarking machine learning algorithms, arXiv:1708.07747
#include <algorithm>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/random.h"
#include "datasets/fashion_mnist.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

constexpr const char* kHint =
    " (Fashion-MNIST comes from Debian: sudo apt-get install dataset-fashion-mnist)";

// The decoded files of one folder, kept for the process's life and shared
// with every other user of datasets/ in the process.
using RawSplit = data::FashionMnistFiles;
const RawSplit& raw_split(const std::string& dir, const std::string& prefix) {
  return data::fashion_mnist_files(dir, prefix);
}

// "0-5", "0,2,4" or "0-3,7" -> sorted distinct classes.
std::vector<int> parse_classes(const std::string& text) {
  std::set<int> out;
  size_t pos = 0;
  auto bad = [&](const std::string& why) {
    return InputError("fashion-mnist: id_classes '{}': {} (use e.g. \"0-5\" or \"0,1,2\")", text,
                      why);
  };
  while (pos <= text.size()) {
    const size_t comma = std::min(text.find(',', pos), text.size());
    const std::string item = text.substr(pos, comma - pos);
    const size_t dash = item.find('-');
    try {
      size_t used = 0;
      const int lo = std::stoi(item.substr(0, dash), &used);
      if (used != (dash == std::string::npos ? item.size() : dash)) throw bad("bad item '" + item + "'");
      int hi = lo;
      if (dash != std::string::npos) {
        hi = std::stoi(item.substr(dash + 1), &used);
        if (used != item.size() - dash - 1) throw bad("bad item '" + item + "'");
      }
      if (lo < 0 || hi > 9 || lo > hi) throw bad("classes must be in 0..9, low <= high");
      for (int c = lo; c <= hi; ++c) out.insert(c);
    } catch (const std::logic_error&) {
      throw bad("bad item '" + item + "'");
    }
    pos = comma + 1;
  }
  if (out.size() < 2 || out.size() > 9) {
    throw bad(fmt::format("{} classes given; need 2..9 (the rest are the near-OOD set)", out.size()));
  }
  return {out.begin(), out.end()};
}

class FashionMnist : public OodDataset {
 public:
  struct Params {
    std::string path = "/usr/share/datasets/fashion-mnist";
    std::string id_classes = "0-5";
    std::int64_t train_size = 12000;
    std::int64_t test_size = 2000;
    std::int64_t ood_size = 1000;
    std::int64_t downsample = 1;
  };
  explicit FashionMnist(const Params& p)
      : dir_(p.path), classes_(parse_classes(p.id_classes)),
        train_size_(p.train_size), test_size_(p.test_size),
        ood_size_(p.ood_size), pool_(p.downsample) {
    SB_THROW_IF_NOT(InputError, 28 % pool_ == 0,
                    "fashion-mnist: downsample = {} must divide 28 (1, 2, 4, 7 or 14)", pool_);
  }

  // Headers only (the pixels are read by the first cell): missing or
  // inconsistent files are a config error at planning.
  void validate() const override {
    for (const char* prefix : {"train", "t10k"}) {
      const std::string key = dir_ + "/" + prefix;
      const std::string images = key + "-images-idx3-ubyte.gz", labels = key + "-labels-idx1-ubyte.gz";
      const data::IdxImages header = data::check_idx_images(images, kHint);
      if (header.rows != 28 || header.cols != 28) {
        throw InputError("fashion-mnist: images in '{}' are {} x {}, not 28 x 28{}", images,
                         header.rows, header.cols, kHint);
      }
      // The labels are small (60,000 bytes): read and checked whole.
      const std::vector<std::uint8_t> values = data::read_idx_labels(labels, kHint);
      const auto count = static_cast<std::int64_t>(values.size());
      if (count != header.count) {
        throw InputError("'{}' has {} images but '{}' has {} labels{}", images, header.count, labels,
                         count, kHint);
      }
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (values[i] > 9) {
          throw InputError("'{}': label {} at index {} is not in 0..9{}", labels, values[i], i, kHint);
        }
      }
    }
  }

  OodData load(std::uint64_t seed) const override {
    const RawSplit& train = raw_split(dir_, "train");
    const RawSplit& test = raw_split(dir_, "t10k");
    SB_THROW_IF_NOT(InputError, train.images.rows == 28 && train.images.cols == 28 &&
                                    test.images.rows == 28 && test.images.cols == 28,
                    "fashion-mnist: images in '{}' are not 28 x 28{}", dir_, kHint);
    std::vector<int> class_index(10, -1);
    for (size_t i = 0; i < classes_.size(); ++i) class_index[classes_[i]] = static_cast<int>(i);

    std::mt19937_64 rng(derive_seed(seed, "fashion-mnist/subsets"));
    auto pick = [&](const RawSplit& raw, bool in_id, std::int64_t cap) {
      std::vector<std::int64_t> idx;
      for (size_t i = 0; i < raw.labels.size(); ++i) {
        if ((class_index[raw.labels[i]] >= 0) == in_id) idx.push_back(static_cast<std::int64_t>(i));
      }
      shuffle_in_place(idx, rng);
      if (cap > 0 && static_cast<std::int64_t>(idx.size()) > cap) idx.resize(cap);
      return idx;
    };
    const auto train_idx = pick(train, true, train_size_);
    auto id_test_pool = pick(test, true, 0);  // shuffled; test set first, far-OOD sources after
    const auto heldout_idx = pick(test, false, ood_size_);

    OodData data;
    data.num_classes = static_cast<int>(classes_.size());
    data.train = images(train, train_idx, class_index);
    const std::int64_t n_test = std::min<std::int64_t>(test_size_, id_test_pool.size());
    data.test = images(test, {id_test_pool.begin(), id_test_pool.begin() + n_test}, class_index);
    // Far-OOD sources: ID test images not in the test split (reused cyclically if too few).
    auto sources = [&](std::int64_t offset) {
      std::vector<std::int64_t> idx(ood_size_);
      const std::int64_t rest = static_cast<std::int64_t>(id_test_pool.size()) - n_test;
      for (std::int64_t i = 0; i < ood_size_; ++i) {
        idx[i] = rest > 0 ? id_test_pool[n_test + (offset + i) % rest]
                          : id_test_pool[(offset + i) % id_test_pool.size()];
      }
      return idx;
    };
    data.ood.push_back({"heldout-classes", "near", images(test, heldout_idx, {})});

    Split permuted = images(test, sources(0), {}, false);
    std::vector<int> perm(784);
    std::iota(perm.begin(), perm.end(), 0);
    shuffle_in_place(perm, rng);  // one fixed pixel permutation for the whole set
    const Eigen::MatrixXd unpermuted = permuted.inputs;
    for (int j = 0; j < 784; ++j) permuted.inputs.col(j) = unpermuted.col(perm[j]);
    data.ood.push_back({"permuted", "far", pooled(std::move(permuted))});

    Split inverted = images(test, sources(ood_size_), {}, false);
    inverted.inputs = (1.0 - inverted.inputs.array()).matrix();
    data.ood.push_back({"inverted", "far", pooled(std::move(inverted))});

    Split uniform = noise_split();
    for (Eigen::Index i = 0; i < uniform.inputs.size(); ++i) uniform.inputs.data()[i] = uniform01(rng);
    data.ood.push_back({"uniform-noise", "far", pooled(std::move(uniform))});

    Split gaussian = noise_split();
    for (Eigen::Index i = 0; i < gaussian.inputs.size(); ++i) {
      gaussian.inputs.data()[i] = std::clamp(0.5 + 0.25 * standard_normal(rng), 0.0, 1.0);
    }
    data.ood.push_back({"gaussian-noise", "far", pooled(std::move(gaussian))});
    return data;
  }

 private:
  // Rows = images scaled to [0, 1]; labels mapped to 0..k-1 (or -1 when
  // `class_index` is empty); average-pooled unless `pool` is false.
  Split images(const RawSplit& raw, const std::vector<std::int64_t>& idx,
               const std::vector<int>& class_index, bool pool = true) const {
    Split s;
    s.inputs.resize(static_cast<Eigen::Index>(idx.size()), 784);
    s.labels.resize(static_cast<Eigen::Index>(idx.size()));
    for (size_t r = 0; r < idx.size(); ++r) {
      const std::uint8_t* px = raw.images.pixels.data() + idx[r] * 784;
      for (int j = 0; j < 784; ++j) s.inputs(r, j) = px[j] / 255.0;
      s.labels(r) = class_index.empty() ? -1 : class_index[raw.labels[idx[r]]];
    }
    return pool ? pooled(std::move(s)) : s;
  }

  Split noise_split() const {
    Split s;
    s.inputs.resize(ood_size_, 784);
    s.labels = Eigen::VectorXi::Constant(ood_size_, -1);
    return s;
  }

  // Mean over pool_ x pool_ pixel blocks (28/pool_ squared inputs).
  Split pooled(Split s) const {
    if (pool_ == 1) return s;
    const int side = 28 / static_cast<int>(pool_);
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(s.inputs.rows(), side * side);
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c) out.col((r / pool_) * side + c / pool_) += s.inputs.col(r * 28 + c);
    s.inputs = out / static_cast<double>(pool_ * pool_);
    return s;
  }

  std::string dir_;
  std::vector<int> classes_;
  std::int64_t train_size_, test_size_, ood_size_, pool_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_OOD_DATASET(sb::ood::FashionMnist, "fashion-mnist")
    .describe("Fashion-MNIST: ID = id_classes, near OOD = the other classes, far OOD = "
              "pixel-permuted and inverted ID test images, uniform and Gaussian noise images")
    .paper("Xiao, Rasul & Vollgraf (2017), Fashion-MNIST, arXiv:1708.07747")
    .tag(sb::ood::kTrainsModelTag)
    .field(&sb::ood::FashionMnist::Params::path, "path", {},
           "folder with {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz")
    .reads("path", [](const sb::ParamSet& p) { return sb::data::fashion_mnist_file_paths(p.get_string("path")); })
    .field(&sb::ood::FashionMnist::Params::id_classes, "id_classes", {}, "ID classes: \"0-5\", \"0,2,4\" or \"0-3,7\"")
    .field(&sb::ood::FashionMnist::Params::train_size, "train_size", 0, 60000, "ID training images (random subset; 0 = all)")
    .field(&sb::ood::FashionMnist::Params::test_size, "test_size", 1, 10000, "ID test images (random subset)")
    .field(&sb::ood::FashionMnist::Params::ood_size, "ood_size", 1, 10000, "images per OOD set")
    .field(&sb::ood::FashionMnist::Params::downsample, "downsample", 1, 14, "average-pool blocks of this side (1, 2, 4, 7, 14)");
