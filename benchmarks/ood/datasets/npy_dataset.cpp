// `npy`: features/logits of a user's own model, saved from NumPy. Layout in
// docs/OOD.md; inputs are absent, so gradient-based detectors (ODIN) cannot run.
#include <filesystem>
#include <regex>
#include <set>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/npy.h"
#include "harness/core/errors.h"

namespace sb::ood {
namespace {

namespace fs = std::filesystem;

class NpyDataset : public OodDataset {
 public:
  struct Params {
    std::string dir = "";
    std::string near = "";
    double l2 = 1e-3;
  };
  explicit NpyDataset(const Params& p)
      : dir_(p.dir), near_(split_list(p.near)) {
    SB_THROW_IF_NOT(InputError, !dir_.empty(), "npy: parameter `dir` is required");
  }

  OodData load(std::uint64_t) const override {
    if (!fs::is_directory(dir_)) throw InputError("npy: dir '{}' is not a folder", dir_);
    OodData data;
    data.train = split("id_train", true);
    const Eigen::Index m = data.train.features.cols();
    data.test = split("id_test", true);
    SB_THROW_IF_NOT(InputError, data.test.features.cols() == m,
                    "npy: '{}' has {} feature columns, id_train has {}", file("id_test_features"),
                    data.test.features.cols(), m);
    data.num_classes = std::max(data.train.labels.maxCoeff(), data.test.labels.maxCoeff()) + 1;
    SB_THROW_IF_NOT(InputError, data.train.labels.minCoeff() >= 0 && data.num_classes >= 2,
                    "npy: labels in '{}' must be 0..k-1 with k >= 2 (found {}..{})",
                    file("id_train_labels"), data.train.labels.minCoeff(),
                    data.train.labels.maxCoeff());

    // OOD sets: every ood_<name>_features.npy, sorted by name.
    std::set<std::string> names;
    const std::regex pattern("ood_([a-z0-9-]+)_features\\.npy");
    for (const auto& entry : fs::directory_iterator(dir_)) {
      std::smatch m_name;
      const std::string fname = entry.path().filename().string();
      if (std::regex_match(fname, m_name, pattern)) names.insert(m_name[1]);
    }
    if (names.empty()) {
      throw InputError("npy: no OOD sets in '{}' (expected files ood_<name>_features.npy, "
                       "<name> in [a-z0-9-])", dir_);
    }
    for (const auto& want : near_) {
      if (!names.count(want)) throw InputError("npy: near set '{}' has no file in '{}'", want, dir_);
    }
    for (const auto& name : names) {
      Split s = split("ood_" + name, false);
      SB_THROW_IF_NOT(InputError, s.features.cols() == m,
                      "npy: '{}' has {} feature columns, id_train has {}",
                      file("ood_" + name + "_features"), s.features.cols(), m);
      data.ood.push_back({name, near_.count(name) ? "near" : "far", std::move(s)});
    }

    const bool has_w = fs::exists(file("weight")), has_b = fs::exists(file("bias"));
    SB_THROW_IF_NOT(InputError, has_w == has_b, "npy: '{}' and '{}' must both exist or neither",
                    file("weight"), file("bias"));
    if (has_w) {
      data.weight = read_npy_matrix(file("weight"), m);
      SB_THROW_IF_NOT(InputError, data.weight.rows() >= data.num_classes,
                      "npy: '{}' has {} rows (classes) but labels go up to {}", file("weight"),
                      data.weight.rows(), data.num_classes - 1);
      data.num_classes = static_cast<int>(data.weight.rows());
      const Eigen::MatrixXd b = read_npy_matrix(file("bias"), 1);
      SB_THROW_IF_NOT(InputError, b.rows() == data.num_classes, "npy: '{}' has {} values, expected {}",
                      file("bias"), b.rows(), data.num_classes);
      data.bias = b.col(0);
    }
    // Logits must agree with the class count wherever they were given.
    auto check_logits = [&](const Split& s, const std::string& what) {
      SB_THROW_IF_NOT(InputError, s.logits.size() == 0 || s.logits.cols() == data.num_classes,
                      "npy: '{}' has {} columns, expected {} classes", file(what + "_logits"),
                      s.logits.cols(), data.num_classes);
    };
    check_logits(data.train, "id_train");
    check_logits(data.test, "id_test");
    for (const auto& set : data.ood) check_logits(set.split, "ood_" + set.name);
    return data;
  }

 private:
  static std::set<std::string> split_list(const std::string& text) {
    std::set<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
      const size_t comma = std::min(text.find(',', pos), text.size());
      if (comma > pos) out.insert(text.substr(pos, comma - pos));
      pos = comma + 1;
    }
    return out;
  }
  std::string file(const std::string& stem) const { return (fs::path(dir_) / (stem + ".npy")).string(); }

  // <prefix>_features.npy (required), <prefix>_logits.npy (optional),
  // <prefix>_labels.npy (required for ID).
  Split split(const std::string& prefix, bool id) const {
    Split s;
    s.features = read_npy_matrix(file(prefix + "_features"));
    const Eigen::Index n = s.features.rows();
    if (fs::exists(file(prefix + "_logits"))) {
      s.logits = read_npy_matrix(file(prefix + "_logits"));
      SB_THROW_IF_NOT(InputError, s.logits.rows() == n, "npy: '{}' has {} rows, features have {}",
                      file(prefix + "_logits"), s.logits.rows(), n);
    }
    if (id) {
      s.labels = read_npy_labels(file(prefix + "_labels"));
      SB_THROW_IF_NOT(InputError, s.labels.size() == n, "npy: '{}' has {} labels, features have {} rows",
                      file(prefix + "_labels"), s.labels.size(), n);
    } else {
      s.labels = Eigen::VectorXi::Constant(n, -1);
    }
    SB_THROW_IF_NOT(InputError, n > 0 && s.features.allFinite(),
                    "npy: '{}' is empty or holds NaN/infinity", file(prefix + "_features"));
    return s;
  }

  std::string dir_;
  std::set<std::string> near_;
};

}  // namespace
}  // namespace sb::ood

SB_REGISTER_OOD_DATASET(sb::ood::NpyDataset, "npy")
    .describe("Features (and optionally logits, final layer) saved as .npy by the user; see "
              "docs/OOD.md for the file layout")
    .field(&sb::ood::NpyDataset::Params::dir, "dir", {}, "folder holding id_train_*.npy, id_test_*.npy, ood_<name>_*.npy")
    .field(&sb::ood::NpyDataset::Params::near, "near", {}, "comma-separated OOD set names in group `near` (others: far)")
    .field(&sb::ood::NpyDataset::Params::l2, "l2", 0.0, 1e6,
           "L2 penalty of the softmax regression fitted when weight.npy/bias.npy are absent");
