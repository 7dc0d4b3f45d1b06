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

  // Headers, shapes and labels of every file; run once at planning.
  void validate() const override { (void)scan(); }

  OodData load(std::uint64_t) const override {
    // All checks that need no feature data first, so that the shapes read
    // below are known to be consistent and bounded by the files' sizes.
    const Layout layout = scan();
    OodData data;
    data.num_classes = layout.num_classes;
    data.train = split(layout.train, layout);
    data.test = split(layout.test, layout);
    for (const auto& set : layout.ood) {
      data.ood.push_back({set.name, near_.count(set.name) ? "near" : "far", split(set, layout)});
    }
    if (layout.has_layer) {
      data.weight = read_npy_matrix(file("weight"), layout.m);
      const Eigen::MatrixXd b = read_npy_matrix(file("bias"), 1);
      SB_THROW_IF_NOT(InputError, data.weight.rows() == layout.num_classes && b.rows() == layout.num_classes,
                      "npy: '{}' / '{}' changed while being read", file("weight"), file("bias"));
      data.bias = b.col(0);
    }
    return data;
  }

 private:
  // What scan() learnt of one split from the headers (and the labels).
  struct SplitLayout {
    std::string name;    // OOD set name; empty for ID splits
    std::string prefix;  // id_train, id_test, ood_<name>
    std::int64_t rows = 0;
    bool has_logits = false;
    Eigen::VectorXi labels;  // ID splits only
  };
  struct Layout {
    SplitLayout train, test;
    std::vector<SplitLayout> ood;
    std::int64_t m = 0;  // feature columns
    int num_classes = 0;
    bool has_layer = false;  // weight.npy and bias.npy given
  };

  // (rows, cols) of a .npy file from its header: a 1-D array of n is n x 1.
  static std::pair<std::int64_t, std::int64_t> dims(const std::string& path) {
    const NpyHeader h = read_npy_header(path);
    return {h.shape[0], h.shape.size() == 2 ? h.shape[1] : 1};
  }

  SplitLayout scan_split(const std::string& prefix, bool id, std::int64_t m) const {
    SplitLayout s;
    s.prefix = prefix;
    const std::string features = file(prefix + "_features");
    const auto [n, cols] = dims(features);
    if (n == 0 || cols == 0) throw InputError("npy: '{}' is empty ({} x {})", features, n, cols);
    if (m > 0 && cols != m) {
      throw InputError("npy: '{}' has {} feature columns, id_train has {}", features, cols, m);
    }
    s.rows = n;
    const std::string logits = file(prefix + "_logits");
    if (fs::exists(logits)) {
      const auto rows = dims(logits).first;
      if (rows != n) throw InputError("npy: '{}' has {} rows, features have {}", logits, rows, n);
      s.has_logits = true;
    }
    if (id) {
      const std::string labels = file(prefix + "_labels");
      s.labels = read_npy_labels(labels);
      if (s.labels.size() != n) {
        throw InputError("npy: '{}' has {} labels, features have {} rows", labels, s.labels.size(), n);
      }
      for (Eigen::Index i = 0; i < s.labels.size(); ++i) {
        if (s.labels(i) < 0) {
          throw InputError("npy: '{}': label {} at index {} is negative (labels are 0..k-1)", labels,
                           s.labels(i), i);
        }
      }
    }
    return s;
  }

  // Every check that needs headers and labels only: folder, file set, shapes,
  // consistent dimensions, label range (so a label of 10^9 is an error, not a
  // 10^9-class model), final layer and logits against the class count.
  Layout scan() const {
    if (!fs::is_directory(dir_)) throw InputError("npy: dir '{}' is not a folder", dir_);
    Layout layout;
    layout.train = scan_split("id_train", true, 0);
    layout.m = dims(file("id_train_features")).second;
    layout.test = scan_split("id_test", true, layout.m);

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
      // auroc/near, auroc/far... are the group means: a set of that name
      // would record the same metric twice.
      if (name == "near" || name == "far") {
        throw InputError("npy: '{}': OOD set name '{}' is reserved for the group metrics "
                         "(auroc/{} ...); rename the file", file("ood_" + name + "_features"), name, name);
      }
      layout.ood.push_back(scan_split("ood_" + name, false, layout.m));
      layout.ood.back().name = name;
    }

    // The largest label, and where it is, for the class-count checks.
    const SplitLayout* where = &layout.train;
    Eigen::Index at = 0;
    int top = layout.train.labels.maxCoeff(&at);
    Eigen::Index test_at = 0;
    if (layout.test.labels.maxCoeff(&test_at) > top) {
      where = &layout.test;
      at = test_at;
      top = layout.test.labels(test_at);
    }
    const std::string top_file = file(where->prefix + "_labels");

    const bool has_w = fs::exists(file("weight")), has_b = fs::exists(file("bias"));
    SB_THROW_IF_NOT(InputError, has_w == has_b, "npy: '{}' and '{}' must both exist or neither",
                    file("weight"), file("bias"));
    layout.has_layer = has_w;
    if (has_w) {
      const auto [k, cols] = dims(file("weight"));
      if (cols != layout.m) {
        throw InputError("npy: '{}': expected {} columns, found {}", file("weight"), layout.m, cols);
      }
      if (k > 1000000000) {  // the class count is an int
        throw InputError("npy: '{}' has {} rows (classes); at most 10^9 supported", file("weight"), k);
      }
      if (top >= k) {
        throw InputError("npy: '{}': label {} at index {} is not a class of '{}', which has {} rows "
                         "(classes 0..{})", top_file, top, at, file("weight"), k, k - 1);
      }
      const auto [b_rows, b_cols] = dims(file("bias"));
      if (b_rows != k || b_cols != 1) {
        throw InputError("npy: '{}' has shape {} x {}, expected {} values", file("bias"), b_rows,
                         b_cols, k);
      }
      layout.num_classes = static_cast<int>(k);  // k <= the label range by the check above
    } else {
      // The suite fits a softmax regression with one row per class: k classes
      // need at least k training examples, which bounds the model by the data.
      if (top >= layout.train.rows) {
        throw InputError("npy: '{}': label {} at index {} is out of range: without weight.npy the "
                         "classes are 0..max label, at most the {} rows of id_train", top_file, top,
                         at, layout.train.rows);
      }
      layout.num_classes = top + 1;
    }
    if (layout.num_classes < 2) {
      throw InputError("npy: labels in '{}' must be 0..k-1 with k >= 2 (found {}..{})",
                       file("id_train_labels"), layout.train.labels.minCoeff(),
                       layout.train.labels.maxCoeff());
    }
    // Logits must agree with the class count wherever they were given.
    auto check_logits = [&](const SplitLayout& s) {
      if (!s.has_logits) return;
      const auto cols = dims(file(s.prefix + "_logits")).second;
      if (cols != layout.num_classes) {
        throw InputError("npy: '{}' has {} columns, expected {} classes", file(s.prefix + "_logits"),
                         cols, layout.num_classes);
      }
    };
    check_logits(layout.train);
    check_logits(layout.test);
    for (const auto& set : layout.ood) check_logits(set);
    return layout;
  }

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

  // Reads the data of a split scan() checked: <prefix>_features.npy,
  // <prefix>_logits.npy (optional); labels from the scan (-1 for OOD).
  Split split(const SplitLayout& l, const Layout& layout) const {
    Split s;
    const std::string features = file(l.prefix + "_features");
    s.features = read_npy_matrix(features, layout.m);
    SB_THROW_IF_NOT(InputError, s.features.rows() == l.rows, "npy: '{}' changed while being read", features);
    if (l.has_logits) {
      s.logits = read_npy_matrix(file(l.prefix + "_logits"), layout.num_classes);
      SB_THROW_IF_NOT(InputError, s.logits.rows() == l.rows, "npy: '{}' changed while being read",
                      file(l.prefix + "_logits"));
    }
    s.labels = l.name.empty() ? l.labels : Eigen::VectorXi::Constant(l.rows, -1);
    SB_THROW_IF_NOT(InputError, s.features.allFinite(), "npy: '{}' holds NaN/infinity", features);
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
    .reads_path("dir")  // the folder's content, not its path, enters the cell key
    .field(&sb::ood::NpyDataset::Params::dir, "dir", {}, "folder holding id_train_*.npy, id_test_*.npy, ood_<name>_*.npy")
    .field(&sb::ood::NpyDataset::Params::near, "near", {}, "comma-separated OOD set names in group `near` (others: far)")
    .field(&sb::ood::NpyDataset::Params::l2, "l2", 0.0, 1e6,
           "L2 penalty of the softmax regression fitted when weight.npy/bias.npy are absent");
