// Fashion-MNIST subsets as tables (Debian package dataset-fashion-mnist,
// IDX files under /usr/share/datasets/fashion-mnist).
// Paper: Xiao, Rasul & Vollgraf (2017), Fashion-MNIST: a novel image dataset for benchmarking machine learning algorithms, arXiv:1708.07747
#pragma once

#include <cstdint>
#include <string>

#include "datasets/idx.h"
#include "datasets/table.h"

namespace sb::data {

// `dir` when non-empty, else $SB_FASHION_MNIST_DIR when set and non-empty,
// else /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir(const std::string& dir = "");

// The four IDX files of fashion_mnist_dir(dir), {train,t10k}-{images-idx3,
// labels-idx1}-ubyte.gz: what the Fashion-MNIST datasets read (content-hashed
// into cell keys).
std::vector<std::string> fashion_mnist_file_paths(const std::string& dir = "");

// The decoded IDX pair `dir`/`prefix`-images-idx3-ubyte.gz and
// -labels-idx1-ubyte.gz (prefix "train" or "t10k"), checked (as many labels
// as images, labels 0..9) and kept for the process's life (55 MB for both
// pairs as uint8): every seed and every suite of a process shares them.
struct FashionMnistFiles {
  IdxImages images;
  std::vector<std::uint8_t> labels;
};
const FashionMnistFiles& fashion_mnist_files(const std::string& dir, const std::string& prefix);

// `count` images drawn without replacement (datasets/corruption.h's
// draw_without_replacement, seeded by `seed`) from the 60,000 training
// images of `dir` (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz),
// in the order drawn: 784 features = pixels / 255, labels 0..9. Throws sb::InputError naming the file.
Table fashion_mnist_subset(const std::string& dir, std::int64_t count, std::uint64_t seed);

// The number of training images in `dir` (headers only; for validation).
std::int64_t fashion_mnist_train_count(const std::string& dir);

}  // namespace sb::data
