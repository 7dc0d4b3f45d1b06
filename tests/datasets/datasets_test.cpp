// datasets/: the scikit-learn files (facts published with the data sets),
// splits, standardisation, corruptions.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "datasets/corruption.h"
#include "datasets/fashion_mnist.h"
#include "datasets/sklearn.h"
#include "datasets/splits.h"
#include "datasets/synthetic.h"
#include "harness/core/errors.h"

namespace sb::data {
namespace {

std::map<int, int> class_counts(const Table& t) {
  std::map<int, int> out;
  for (Eigen::Index i = 0; i < t.y.size(); ++i) ++out[t.y(i)];
  return out;
}

TEST(Sklearn, IrisWineBreastCancerMatchTheirPublishedShapesAndClassCounts) {
  const Table iris = load_sklearn("iris");
  EXPECT_EQ(iris.rows(), 150);
  EXPECT_EQ(iris.x.cols(), 4);
  EXPECT_EQ(iris.class_names, (std::vector<std::string>{"setosa", "versicolor", "virginica"}));
  EXPECT_EQ(class_counts(iris), (std::map<int, int>{{0, 50}, {1, 50}, {2, 50}}));
  EXPECT_DOUBLE_EQ(iris.x(0, 0), 5.1);  // the first flower of Fisher's table: 5.1 3.5 1.4 0.2
  EXPECT_DOUBLE_EQ(iris.x(0, 3), 0.2);

  const Table wine = load_sklearn("wine");
  EXPECT_EQ(wine.x.cols(), 13);
  EXPECT_EQ(class_counts(wine), (std::map<int, int>{{0, 59}, {1, 71}, {2, 48}}));

  const Table cancer = load_sklearn("breast-cancer");
  EXPECT_EQ(cancer.x.cols(), 30);
  EXPECT_EQ(class_counts(cancer), (std::map<int, int>{{0, 212}, {1, 357}}));  // malignant, benign
}

TEST(Sklearn, DigitsAndDiabetes) {
  const Table digits = load_sklearn("digits");
  EXPECT_EQ(digits.rows(), 1797);
  EXPECT_EQ(digits.x.cols(), 64);
  EXPECT_EQ(digits.num_classes, 10);
  EXPECT_GE(digits.x.minCoeff(), 0);
  EXPECT_LE(digits.x.maxCoeff(), 16);
  EXPECT_EQ(class_counts(digits), (std::map<int, int>{{0, 178}, {1, 182}, {2, 177}, {3, 183}, {4, 181},
                                                      {5, 182}, {6, 181}, {7, 179}, {8, 174}, {9, 180}}));
  const Table diabetes = load_sklearn("diabetes");
  EXPECT_EQ(diabetes.rows(), 442);
  EXPECT_EQ(diabetes.x.cols(), 10);
  EXPECT_FALSE(diabetes.is_classification());
  EXPECT_DOUBLE_EQ(diabetes.target(0), 151);
  EXPECT_DOUBLE_EQ(diabetes.x(0, 0), 59);  // age of the first patient (raw data)
}

TEST(Sklearn, DirectoryFromTheEnvironmentAndErrorsNameTheFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "sb_sklearn_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "iris.csv") << "2,2,a,b\n1.0,2.0,0\n3.0,4.0,1\n";
  ::setenv("SB_SKLEARN_DATA_DIR", dir.c_str(), 1);
  const Table t = load_sklearn("iris");
  ::unsetenv("SB_SKLEARN_DATA_DIR");
  EXPECT_EQ(t.rows(), 2);
  EXPECT_EQ(t.y(1), 1);
  EXPECT_DOUBLE_EQ(t.x(1, 1), 4.0);
  EXPECT_EQ(sklearn_data_dir("/x"), "/x");

  EXPECT_THROW(parse_headed_csv("3,2,a,b\n1,2,0\n3,4,1\n", "f"), InputError);   // 2 rows, header says 3
  EXPECT_THROW(parse_headed_csv("1,2,a,b\n1,x,0\n", "f"), InputError);          // not a number
  EXPECT_THROW(parse_headed_csv("1,2,a,b\n1,2,2\n", "f"), InputError);          // label out of range
  EXPECT_THROW(parse_headed_csv("1,2,a,b\n1,2,3,0\n", "f"), InputError);        // too many fields
  try {
    parse_headed_csv("2,2,a,b\n1,2,0\n1,nan,1\n", "data.csv");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'data.csv' line 3"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_sklearn("iris", "/nonexistent"), InputError);
  EXPECT_THROW(load_sklearn("boston"), InputError);
  std::filesystem::remove_all(dir);
}

Table numbered(Eigen::Index n, int classes) {
  Table t;
  t.num_classes = classes;
  t.x.resize(n, 2);
  t.y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) t.x(i, 0) = static_cast<double>(i), t.x(i, 1) = 2.0 * i, t.y(i) = i % classes;
  return t;
}

TEST(Splits, DisjointByCountDeterministicAndChecked) {
  const Table t = numbered(50, 3);
  const Splits a = split_by_count(t, 20, 10, 15, 7), b = split_by_count(t, 20, 10, 15, 7);
  EXPECT_EQ(a.train.rows(), 20);
  EXPECT_EQ(a.valid.rows(), 10);
  EXPECT_EQ(a.test.rows(), 15);
  EXPECT_EQ(a.train.x, b.train.x);
  std::set<double> seen;
  for (const Table* s : {&a.train, &a.valid, &a.test}) {
    for (Eigen::Index i = 0; i < s->rows(); ++i) {
      EXPECT_TRUE(seen.insert(s->x(i, 0)).second) << "row " << s->x(i, 0) << " in two splits";
      EXPECT_EQ(s->y(i), static_cast<int>(s->x(i, 0)) % 3);  // labels follow their rows
    }
  }
  EXPECT_NE(split_by_count(t, 20, 10, 15, 8).train.x, a.train.x);
  EXPECT_THROW(split_by_count(t, 40, 10, 1, 7), InputError);
  EXPECT_THROW(split_by_count(t, 0, 10, 1, 7), InputError);
}

TEST(Splits, StandardizeUsesTheTrainingStatistics) {
  Splits s = split_by_count(numbered(40, 2), 20, 10, 10, 1);
  const double mean0 = s.train.x.col(0).mean();
  const double sd0 = std::sqrt((s.train.x.col(0).array() - mean0).square().mean());
  const double valid0 = s.valid.x(0, 0);
  standardize(s);
  EXPECT_NEAR(s.train.x.col(0).mean(), 0, 1e-12);
  EXPECT_NEAR((s.train.x.col(1).array().square()).mean(), 1, 1e-12);
  EXPECT_NEAR(s.valid.x(0, 0), (valid0 - mean0) / sd0, 1e-12);
}

TEST(Corruption, LabelFlipsChangeExactlyTheMarkedRowsToAnotherClassUniformly) {
  Table t = numbered(3000, 3);
  const Table before = t;
  std::mt19937_64 rng(3);
  const auto mask = flip_labels(t, 0.3, rng);
  int flipped = 0, shift_one = 0;
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    EXPECT_EQ(mask[static_cast<size_t>(i)] != 0, t.y(i) != before.y(i)) << i;
    if (mask[static_cast<size_t>(i)]) {
      ++flipped;
      shift_one += (before.y(i) + 1) % 3 == t.y(i);
    }
  }
  EXPECT_EQ(flipped, 900);
  EXPECT_NEAR(shift_one / 900.0, 0.5, 0.06);  // U{1, 2}: each shift half the time (sd 0.017)
  EXPECT_EQ(t.x, before.x);
  Table same = numbered(10, 2);
  const auto none = flip_labels(same, 0.0, rng);
  EXPECT_EQ(std::count(none.begin(), none.end(), 1), 0);
  EXPECT_THROW(flip_labels(same, 0.6, rng), InputError);
}

TEST(Corruption, FeatureNoiseTouchesOnlyMarkedRowsAtTheColumnScale) {
  Table t = numbered(2000, 2);
  const Table before = t;
  std::mt19937_64 rng(4);
  const auto mask = add_feature_noise(t, 0.5, 2.0, rng);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 1000);
  double sq = 0;
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    const bool changed = (t.x.row(i) - before.x.row(i)).norm() > 0;
    EXPECT_EQ(changed, mask[static_cast<size_t>(i)] != 0);
    if (changed) sq += std::pow(t.x(i, 0) - before.x(i, 0), 2);
  }
  const double sd0 = std::sqrt((before.x.col(0).array() - before.x.col(0).mean()).square().mean());
  EXPECT_NEAR(std::sqrt(sq / 1000), 2.0 * sd0, 0.1 * 2.0 * sd0);
  EXPECT_EQ(t.y, before.y);
}

TEST(Corruption, DuplicatesAreExactCopiesOfUnmarkedRows) {
  Table t = numbered(31, 3);
  std::mt19937_64 rng(5);
  const auto mask = plant_duplicates(t, 0.5, rng);
  EXPECT_EQ(std::count(mask.begin(), mask.end(), 1), 15);  // round(15.5) = 16 > 31 / 2
  for (Eigen::Index i = 0; i < t.rows(); ++i) {
    if (!mask[static_cast<size_t>(i)]) continue;
    int twins = 0;
    for (Eigen::Index j = 0; j < t.rows(); ++j) {
      twins += j != i && !mask[static_cast<size_t>(j)] && t.x.row(j) == t.x.row(i) && t.y(j) == t.y(i);
    }
    EXPECT_EQ(twins, 1) << "row " << i;
  }
}

TEST(Synthetic, GaussianClassifierIsDeterministicAndSeparates) {
  GaussianClassifierOptions o;
  o.n = 4000, o.d = 3, o.classes = 2, o.separation = 3.0;
  const Table a = gaussian_classifier(o, 9), b = gaussian_classifier(o, 9);
  EXPECT_EQ(a.x, b.x);
  EXPECT_EQ(a.y, b.y);
  // Within-class covariance is the identity: each class's per-column variance ~ 1.
  for (int c = 0; c < 2; ++c) {
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < a.rows(); ++i) {
      if (a.y(i) == c) rows.push_back(i);
    }
    const Table part = select_rows(a, rows);
    EXPECT_NEAR(static_cast<double>(rows.size()) / 4000, 0.5, 0.05);
    const Eigen::RowVectorXd mean = part.x.colwise().mean();
    EXPECT_NEAR(((part.x.rowwise() - mean).array().square().colwise().mean()).mean(), 1.0, 0.1);
  }
}

TEST(FashionMnist, SubsetRowsAreImagesOfTheTrainingFileWithTheirLabels) {
  const Table t = fashion_mnist_subset("", 300, 1);
  EXPECT_EQ(t.rows(), 300);
  EXPECT_EQ(t.x.cols(), 784);
  EXPECT_EQ(t.num_classes, 10);
  EXPECT_GE(t.x.minCoeff(), 0.0);
  EXPECT_LE(t.x.maxCoeff(), 1.0);
  EXPECT_EQ(fashion_mnist_train_count(""), 60000);
  // Each row is one of the file's images, with that image's label.
  const auto& raw = fashion_mnist_files(fashion_mnist_dir(), "train");
  for (Eigen::Index i = 0; i < 5; ++i) {
    bool found = false;
    for (std::int64_t r = 0; r < raw.images.count && !found; ++r) {
      bool same = true;
      for (int j = 0; j < 784 && same; ++j) same = raw.images.pixels[static_cast<size_t>(r * 784 + j)] / 255.0 == t.x(i, j);
      found = same && raw.labels[static_cast<size_t>(r)] == t.y(i);
    }
    EXPECT_TRUE(found) << "row " << i;
  }
  EXPECT_EQ(fashion_mnist_subset("", 300, 1).x, t.x);
  EXPECT_THROW(fashion_mnist_subset("", 60001, 1), InputError);
  EXPECT_THROW(fashion_mnist_subset("/nonexistent", 10, 1), InputError);
}

}  // namespace
}  // namespace sb::data
