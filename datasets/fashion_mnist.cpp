#include "datasets/fashion_mnist.h"

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>

#include "datasets/corruption.h"
#include "datasets/idx.h"
#include "harness/core/errors.h"

namespace sb::data {

namespace {

constexpr const char* kHint =
    " (Fashion-MNIST comes from Debian: sudo apt-get install dataset-fashion-mnist)";
const std::vector<std::string> kClassNames = {"t-shirt", "trouser", "pullover", "dress", "coat",
                                              "sandal", "shirt", "sneaker", "bag", "ankle-boot"};

}  // namespace

const FashionMnistFiles& fashion_mnist_files(const std::string& dir, const std::string& prefix) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<FashionMnistFiles>> cache;
  const std::string key = dir + "/" + prefix;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[key];
  if (!slot) {
    auto raw = std::make_unique<FashionMnistFiles>();
    const std::string images = key + "-images-idx3-ubyte.gz", labels = key + "-labels-idx1-ubyte.gz";
    raw->images = read_idx_images(images, kHint);
    raw->labels = read_idx_labels(labels, kHint);
    if (raw->images.count != static_cast<std::int64_t>(raw->labels.size())) {
      throw InputError("'{}' has {} images but '{}' has {} labels{}", images, raw->images.count,
                       labels, raw->labels.size(), kHint);
    }
    for (size_t i = 0; i < raw->labels.size(); ++i) {
      if (raw->labels[i] > 9) {
        throw InputError("'{}': label {} at index {} is not in 0..9{}", labels, raw->labels[i], i,
                         kHint);
      }
    }
    slot = std::move(raw);
  }
  return *slot;
}

std::string fashion_mnist_dir(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("SB_FASHION_MNIST_DIR");
  if (env && *env) return env;
  return "/usr/share/datasets/fashion-mnist";
}

std::vector<std::string> fashion_mnist_file_paths(const std::string& dir) {
  const std::string root = fashion_mnist_dir(dir) + "/";
  return {root + "train-images-idx3-ubyte.gz", root + "train-labels-idx1-ubyte.gz", root + "t10k-images-idx3-ubyte.gz",
          root + "t10k-labels-idx1-ubyte.gz"};
}

std::int64_t fashion_mnist_train_count(const std::string& dir) {
  const std::string root = fashion_mnist_dir(dir);
  const auto header = read_idx_images_header(root + "/train-images-idx3-ubyte.gz", kHint);
  const auto labels = read_idx_labels_count(root + "/train-labels-idx1-ubyte.gz", kHint);
  SB_THROW_IF_NOT(InputError, header.count == labels, "'{}': {} images but {} labels{}", root, header.count,
                  labels, kHint);
  return header.count;
}

Table fashion_mnist_subset(const std::string& dir, std::int64_t count, std::uint64_t seed) {
  const FashionMnistFiles& raw = fashion_mnist_files(fashion_mnist_dir(dir), "train");
  SB_THROW_IF_NOT(InputError, count >= 1 && count <= raw.images.count,
                  "fashion-mnist: {} images asked for, the training file holds {}", count, raw.images.count);
  std::mt19937_64 rng(seed);
  const auto rows = draw_without_replacement(raw.images.count, count, rng);
  const std::int64_t pixels = raw.images.rows * raw.images.cols;
  Table t;
  t.num_classes = 10;
  t.class_names = kClassNames;
  t.x.resize(count, pixels);
  t.y.resize(count);
  for (Eigen::Index i = 0; i < count; ++i) {
    const auto r = rows[static_cast<size_t>(i)];
    const std::uint8_t* image = raw.images.pixels.data() + r * pixels;
    for (std::int64_t j = 0; j < pixels; ++j) t.x(i, j) = image[j] / 255.0;
    t.y(i) = raw.labels[static_cast<size_t>(r)];
  }
  return t;
}

}  // namespace sb::data
