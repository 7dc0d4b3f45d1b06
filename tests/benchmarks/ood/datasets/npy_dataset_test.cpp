// The `npy` dataset against bad user files: every problem is an InputError
// naming the file and value, found by validate() (run once at planning) from
// headers and labels alone, and by load() before anything large is built.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>

#include "benchmarks/ood/dataset.h"
#include "benchmarks/ood/npy.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::ood {
namespace {

namespace fs = std::filesystem;

ParamSet npy_params(const fs::path& dir) {
  const auto* suite = SuiteRegistry::instance().find("ood");
  for (const auto& info : suite->make(ParamSet{})->datasets()) {
    if (info.name == "npy") return resolve_params(info.params, {{"dir", dir.string()}}, "dataset npy");
  }
  throw InternalError("no dataset npy");
}

// A valid 2-class folder: 6 train rows, 4 test rows, one OOD set, 2 features.
fs::path good_folder(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("sb_npy_ds_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Eigen::MatrixXd train(6, 2), test(4, 2), ood(3, 2);
  train << 0, 0, 0, 1, 1, 0, 5, 5, 5, 6, 6, 5;
  test << 0, 0, 1, 1, 5, 5, 6, 6;
  ood << 20, 20, 21, 20, 20, 21;
  Eigen::VectorXi train_labels(6), test_labels(4);
  train_labels << 0, 0, 0, 1, 1, 1;
  test_labels << 0, 0, 1, 1;
  write_npy((dir / "id_train_features.npy").string(), train);
  write_npy_int32((dir / "id_train_labels.npy").string(), train_labels);
  write_npy((dir / "id_test_features.npy").string(), test);
  write_npy_int32((dir / "id_test_labels.npy").string(), test_labels);
  write_npy((dir / "ood_remote_features.npy").string(), ood);
  return dir;
}

// The InputError of validate() and of load(), which must agree.
std::string error_of(const fs::path& dir) {
  const auto suite = SuiteRegistry::instance().find("ood")->make(ParamSet{});
  const ParamSet params = npy_params(dir);
  std::string validated = "no error", loaded = "no error";
  try {
    suite->validate_dataset("npy", params);
  } catch (const InputError& e) {
    validated = e.what();
  }
  try {
    OodDatasetRegistry::instance().find("npy")->make(params)->load(0);
  } catch (const InputError& e) {
    loaded = e.what();
  }
  EXPECT_EQ(validated, loaded);
  return validated;
}

void set_label(const fs::path& dir, const std::string& split, int index, int value, int n) {
  Eigen::VectorXi labels(n);
  for (int i = 0; i < n; ++i) labels(i) = i * 2 / n;  // 0..0 1..1
  labels(index) = value;
  write_npy_int32((dir / (split + "_labels.npy")).string(), labels);
}

TEST(NpyDataset, ValidFolderValidatesAndLoads) {
  const auto dir = good_folder("ok");
  EXPECT_EQ(error_of(dir), "no error");
  fs::remove_all(dir);
}

TEST(NpyDataset, HugeLabelsAreErrorsNamingFileAndValue) {
  const auto dir = good_folder("huge");
  for (int value : {131074, 1000000000}) {
    set_label(dir, "id_train", 4, value, 6);
    const auto msg = error_of(dir);
    EXPECT_NE(msg.find((dir / "id_train_labels.npy").string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("label " + std::to_string(value) + " at index 4 is out of range"),
              std::string::npos) << msg;
  }
  set_label(dir, "id_train", 4, 1, 6);
  set_label(dir, "id_test", 3, 7, 4);  // test labels count too
  EXPECT_NE(error_of(dir).find("id_test_labels.npy': label 7 at index 3"), std::string::npos);
  fs::remove_all(dir);
}

TEST(NpyDataset, NegativeLabelsAreRejectedInEveryIdSplit) {
  const auto dir = good_folder("neg");
  set_label(dir, "id_test", 2, -1, 4);
  const auto msg = error_of(dir);
  EXPECT_NE(msg.find("id_test_labels.npy': label -1 at index 2 is negative"), std::string::npos) << msg;
  fs::remove_all(dir);
}

TEST(NpyDataset, LabelsBeyondTheGivenFinalLayerAreRejected) {
  const auto dir = good_folder("layer");
  write_npy((dir / "weight.npy").string(), Eigen::MatrixXd::Ones(2, 2));
  write_npy((dir / "bias.npy").string(), Eigen::MatrixXd::Zero(2, 1));
  EXPECT_EQ(error_of(dir), "no error");
  set_label(dir, "id_train", 0, 2, 6);
  const auto msg = error_of(dir);
  EXPECT_NE(msg.find("label 2 at index 0 is not a class of"), std::string::npos) << msg;
  EXPECT_NE(msg.find("weight.npy', which has 2 rows"), std::string::npos) << msg;
  set_label(dir, "id_train", 0, 0, 6);
  write_npy((dir / "bias.npy").string(), Eigen::MatrixXd::Zero(3, 1));
  EXPECT_NE(error_of(dir).find("bias.npy' has shape 3 x 1, expected 2 values"), std::string::npos);
  fs::remove_all(dir);
}

TEST(NpyDataset, CorruptOrInconsistentFilesAreNamed) {
  const auto dir = good_folder("corrupt");
  // A negative dimension in an OOD set's header (hand-written: write_npy
  // cannot produce one).
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (-3, 2), }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::ofstream(dir / "ood_bad_features.npy", std::ios::binary)
      << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(header.size()) << '\0' << header;
  auto msg = error_of(dir);
  EXPECT_NE(msg.find("ood_bad_features.npy"), std::string::npos) << msg;
  EXPECT_NE(msg.find("dimension 0 is -3, negative"), std::string::npos) << msg;
  fs::remove(dir / "ood_bad_features.npy");

  write_npy((dir / "ood_far_features.npy").string(), Eigen::MatrixXd::Zero(2, 2));
  msg = error_of(dir);
  EXPECT_NE(msg.find("ood_far_features.npy': OOD set name 'far' is reserved"), std::string::npos) << msg;
  fs::remove(dir / "ood_far_features.npy");

  write_npy((dir / "ood_wide_features.npy").string(), Eigen::MatrixXd::Zero(2, 3));
  msg = error_of(dir);
  EXPECT_NE(msg.find("ood_wide_features.npy' has 3 feature columns, id_train has 2"), std::string::npos) << msg;
  fs::remove(dir / "ood_wide_features.npy");

  write_npy((dir / "id_test_logits.npy").string(), Eigen::MatrixXd::Zero(4, 5));
  msg = error_of(dir);
  EXPECT_NE(msg.find("id_test_logits.npy' has 5 columns, expected 2 classes"), std::string::npos) << msg;
  fs::remove(dir / "id_test_logits.npy");

  Eigen::VectorXi short_labels(5);
  short_labels << 0, 0, 1, 1, 1;
  write_npy_int32((dir / "id_train_labels.npy").string(), short_labels);
  msg = error_of(dir);
  EXPECT_NE(msg.find("id_train_labels.npy' has 5 labels, features have 6 rows"), std::string::npos) << msg;
  fs::remove_all(dir);
}

// Fashion-MNIST's files are user-supplied too (`path`): validate() reads the
// IDX headers only.
TEST(FashionMnistFiles, ValidatedFromHeaders) {
  const auto suite = SuiteRegistry::instance().find("ood")->make(ParamSet{});
  ComponentInfo info;
  for (const auto& i : suite->datasets())
    if (i.name == "fashion-mnist") info = i;
  const auto dir = fs::temp_directory_path() / ("sb_fmnist_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const ParamSet params = resolve_params(info.params, {{"path", dir.string()}}, "dataset fashion-mnist");
  auto message = [&] {
    try {
      suite->validate_dataset("fashion-mnist", params);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message().find("cannot open '" + (dir / "train-images-idx3-ubyte.gz").string() + "'"),
            std::string::npos);
  auto gz = [&](const std::string& name, const std::string& bytes) {
    gzFile f = gzopen((dir / name).c_str(), "wb");
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  };
  auto be32 = [](std::uint32_t v) {
    return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
  };
  for (const char* prefix : {"train", "t10k"}) {
    gz(std::string(prefix) + "-images-idx3-ubyte.gz",
       be32(0x803) + be32(3) + be32(28) + be32(28) + std::string(3 * 28 * 28, '\0'));
    gz(std::string(prefix) + "-labels-idx1-ubyte.gz", be32(0x801) + be32(3) + std::string("\x00\x01\x09", 3));
  }
  EXPECT_EQ(message(), "no error");  // complete files whose headers agree
  gz("train-labels-idx1-ubyte.gz", be32(0x801) + be32(3) + std::string("\x00\x0a\x09", 3));
  EXPECT_NE(message().find("label 10 at index 1 is not in 0..9"), std::string::npos) << message();
  gz("train-labels-idx1-ubyte.gz", be32(0x801) + be32(3) + std::string("\x00\x01\x09", 3));
  gz("t10k-labels-idx1-ubyte.gz", be32(0x801) + be32(4) + std::string(4, '\0'));
  EXPECT_NE(message().find("has 3 images but '" + (dir / "t10k-labels-idx1-ubyte.gz").string() +
                           "' has 4 labels"), std::string::npos) << message();
  gz("t10k-images-idx3-ubyte.gz", be32(0x803) + be32(3) + be32(28) + be32(28));  // no pixels
  EXPECT_NE(message().find("the file is truncated"), std::string::npos) << message();
  gz("t10k-images-idx3-ubyte.gz", be32(0x803) + be32(4) + be32(32) + be32(32) + std::string(4 * 32 * 32, '\0'));
  EXPECT_NE(message().find("are 32 x 32, not 28 x 28"), std::string::npos) << message();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sb::ood
