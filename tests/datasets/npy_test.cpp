// The .npy reader/writer (datasets/npy.h) against NumPy itself: files that
// /usr/bin/python3's numpy saves are read back exactly, and files we write
// are loaded by numpy with the same dtype, shape and values. Skipped when
// Debian's python3-numpy is not installed (scripts/setup.sh installs it).
// The checked reader of method outputs (read_method_output) on files with
// hand-written headers.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "datasets/npy.h"
#include "harness/core/errors.h"

namespace sb::data {
namespace {

bool have_numpy() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import numpy' >/dev/null 2>&1") == 0;
  return ok;
}

class NpyVsNumpy : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_numpy()) GTEST_SKIP() << "/usr/bin/python3 with numpy not installed";
    dir_ = std::filesystem::temp_directory_path() / ("sb-npy-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Runs a Python snippet in the directory; returns its stdout.
  std::string python(const std::string& code) const {
    const std::string script = path("snippet.py"), out = path("snippet.out");
    std::ofstream(script) << "import numpy as np, os\nos.chdir(" << '"' << dir_.string() << '"' << ")\n" << code;
    EXPECT_EQ(std::system(("/usr/bin/python3 " + script + " > " + out).c_str()), 0) << code;
    std::ifstream in(out);
    std::ostringstream os;
    os << in.rdbuf();
    return os.str();
  }
  std::filesystem::path dir_;
};

TEST_F(NpyVsNumpy, ReadsEveryDtypeNumpyWrites) {
  python(R"(
np.save("f8.npy", np.array([[1.5, -2.0, 1e300], [0.1, 5e-324, -0.0]]))
np.save("f4.npy", np.array([0.1, -3.25], dtype="<f4"))
np.save("i4.npy", np.array([[-7], [2147483647]], dtype="<i4"))
np.save("i8.npy", np.array([-(2**53), 0, 2**53], dtype="<i8"))
np.save("empty.npy", np.zeros((0, 3)))
np.save("fortran.npy", np.asfortranarray(np.ones((2, 3))))
np.save("big.npy", np.array([1.0], dtype=">f8"))
)");
  const NpyArray f8 = read_npy(path("f8.npy"));
  EXPECT_EQ(f8.shape, (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(f8.values, (std::vector<double>{1.5, -2.0, 1e300, 0.1, 5e-324, -0.0}));
  EXPECT_TRUE(std::signbit(f8.values[5]));
  const NpyArray f4 = read_npy(path("f4.npy"));
  EXPECT_EQ(f4.values, (std::vector<double>{static_cast<double>(0.1f), -3.25}));
  EXPECT_EQ(read_npy_header(path("f4.npy")).descr, "<f4");
  const NpyArray i4 = read_npy(path("i4.npy"));
  EXPECT_EQ(i4.shape, (std::vector<std::int64_t>{2, 1}));
  EXPECT_EQ(i4.values, (std::vector<double>{-7, 2147483647}));
  EXPECT_EQ(read_npy(path("i8.npy")).values, (std::vector<double>{-9007199254740992.0, 0, 9007199254740992.0}));
  EXPECT_EQ(read_npy_matrix(path("empty.npy")).rows(), 0);
  EXPECT_THROW(read_npy(path("fortran.npy")), InputError);
  EXPECT_THROW(read_npy(path("big.npy")), InputError);
}

TEST_F(NpyVsNumpy, NumpyReadsWhatWeWrite) {
  Eigen::MatrixXd m(2, 3);
  m << 1.5, -2.0, 1e300, 0.1, 5e-324, 3.0;
  write_npy(path("m.npy"), m);
  Eigen::VectorXd v(3);
  v << 0.25, -1.0, 7.0;
  write_npy_vector(path("v.npy"), v);
  write_npy_int64(path("l.npy"), {-(std::int64_t{1} << 62), 0, 42});
  Eigen::VectorXi labels(2);
  labels << -1, 9;
  write_npy_int32(path("i.npy"), labels);
  EXPECT_EQ(python(R"(
for name in ["m", "v", "l", "i"]:
    a = np.load(name + ".npy")
    print(name, a.dtype.str, a.shape, a.flags["C_CONTIGUOUS"], [float(x).hex() if a.dtype.kind == "f" else int(x) for x in a.ravel()])
)"),
            "m <f8 (2, 3) True ['0x1.8000000000000p+0', '-0x1.0000000000000p+1', '0x1.7e43c8800759cp+996', "
            "'0x1.999999999999ap-4', '0x0.0000000000001p-1022', '0x1.8000000000000p+1']\n"
            "v <f8 (3,) True ['0x1.0000000000000p-2', '-0x1.0000000000000p+0', '0x1.c000000000000p+2']\n"
            "l <i8 (3,) True [-4611686018427387904, 0, 42]\n"
            "i <i4 (2,) True [-1, 9]\n");
}

// A v1.0 .npy file with a hand-written header (independent of write_npy).
std::string npy_bytes(const std::string& descr, const std::string& shape, const std::string& data) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <class T>
std::string raw(std::initializer_list<T> values) {
  std::string s;
  for (T x : values) s.append(reinterpret_cast<const char*>(&x), sizeof(T));
  return s;
}

class MethodOutput : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("sb-method-output-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  // Writes `bytes` to `name` in the directory; returns its path.
  std::string file(const std::string& name, const std::string& bytes) const {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // read_method_output's message for `path` against `spec` ("" when it reads).
  static std::string error_of(const std::string& path, const MethodOutputSpec& spec) {
    try {
      read_method_output(path, "external valuer 'v'", spec);
    } catch (const MethodError& e) {
      return e.what();
    }
    return "";
  }
  std::filesystem::path dir_;
};

TEST_F(MethodOutput, ReadsFloat64AndFloat32InEitherVectorShape) {
  const Eigen::MatrixXd f8 =
      read_method_output(file("f8.npy", npy_bytes("<f8", "(2, 3)", raw<double>({1, -2.5, 1e300, 0, 5e-324, 7}))),
                         "w", {{2, 3}, "rows"});
  Eigen::MatrixXd expected(2, 3);
  expected << 1, -2.5, 1e300, 0, 5e-324, 7;
  EXPECT_EQ(f8, expected);
  // float32, as (n,) and as (n, 1), against a vector spec and a one-column matrix spec.
  const std::string flat = file("flat.npy", npy_bytes("<f4", "(3,)", raw<float>({0.1f, -3.25f, 2})));
  const std::string column = file("column.npy", npy_bytes("<f4", "(3, 1)", raw<float>({0.1f, -3.25f, 2})));
  Eigen::MatrixXd v(3, 1);
  v << static_cast<double>(0.1f), -3.25, 2;
  for (const auto& path : {flat, column}) {
    EXPECT_EQ(read_method_output(path, "w", {{3}, "rows"}), v) << path;
    EXPECT_EQ(read_method_output(path, "w", {{3, 1}, "rows"}), v) << path;
  }
  // Any number >= 1 of rows; integers only where allowed.
  const std::string ints = file("ints.npy", npy_bytes("<i8", "(2,)", raw<std::int64_t>({4, 0})));
  EXPECT_EQ(read_method_output(ints, "w", {{-1}, "rows", true}), Eigen::MatrixXd(Eigen::Vector2d(4, 0)));
}

TEST_F(MethodOutput, MissingFileWrongDtypeOrShapeAreNamed) {
  EXPECT_EQ(error_of((dir_ / "values.npy").string(), {{3}, "one value per row of train_x"}),
            "external valuer 'v' wrote no values.npy");
  const std::string ints = file("values.npy", npy_bytes("<i8", "(3,)", raw<std::int64_t>({1, 2, 3})));
  EXPECT_EQ(error_of(ints, {{3}, "one value per row of train_x"}),
            "external valuer 'v': values.npy has dtype '<i8' (expected float64 '<f8' or float32 '<f4')");
  EXPECT_EQ(error_of(ints, {{3}, "x", true}), "");
  const std::string f2 = file("f2.npy", npy_bytes("<f2", "(3,)", raw<std::int16_t>({1, 2, 3})));
  // A dtype the .npy reader cannot read at all: its InputError, as a MethodError.
  EXPECT_NE(error_of(f2, {{3}, "x", true}).find("external valuer 'v': '" + f2 + "': unsupported dtype '<f2'"),
            std::string::npos)
      << error_of(f2, {{3}, "x", true});
  const std::string short_vector = file("short.npy", npy_bytes("<f8", "(2,)", raw<double>({1, 2})));
  EXPECT_EQ(error_of(short_vector, {{3}, "one value per row of train_x"}),
            "external valuer 'v': short.npy has shape (2,) (expected (3,): one value per row of train_x)");
  // (n,) stands for (n, 1) only: not for (n, 2), nor (n, 1) for (n,) of another n.
  const std::string matrix = file("m.npy", npy_bytes("<f8", "(2, 2)", raw<double>({1, 2, 3, 4})));
  EXPECT_EQ(error_of(short_vector, {{2, 2}, "n_train x n_valid"}),
            "external valuer 'v': short.npy has shape (2,) (expected (2, 2): n_train x n_valid)");
  EXPECT_EQ(error_of(matrix, {{2}, "one value per row"}),
            "external valuer 'v': m.npy has shape (2, 2) (expected (2,): one value per row)");
  EXPECT_EQ(error_of(matrix, {{4}, "one value per row"}),
            "external valuer 'v': m.npy has shape (2, 2) (expected (4,): one value per row)");
  const std::string trailing = file("trailing.npy", npy_bytes("<f8", "(2,)", raw<double>({1, 2})) + "junk");
  EXPECT_NE(error_of(trailing, {{2}, "x"}).find("': 4 bytes after the data of shape (2,) of '<f8' (two arrays saved "
                                                "into one file?)"),
            std::string::npos)
      << error_of(trailing, {{2}, "x"});
  const std::string empty = file("empty.npy", npy_bytes("<f8", "(0,)", ""));
  EXPECT_EQ(error_of(empty, {{-1}, "the m >= 1 rows kept"}),
            "external valuer 'v': empty.npy has shape (0,) (expected (m,): the m >= 1 rows kept)");
  EXPECT_EQ(error_of(empty, {{0}, "none"}), "");
}

TEST_F(MethodOutput, NonFiniteEntryIsNamedAsIndexedInTheFile) {
  const double nan = std::nan(""), inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(error_of(file("v.npy", npy_bytes("<f8", "(4,)", raw<double>({0, 1, 2, nan}))), {{4}, "x"}),
            "external valuer 'v': v.npy entry 3 is nan (entries must be finite)");
  EXPECT_EQ(error_of(file("c.npy", npy_bytes("<f8", "(4, 1)", raw<double>({0, -inf, 2, nan}))), {{4}, "x"}),
            "external valuer 'v': c.npy entry (1, 0) is -inf (entries must be finite)");
  EXPECT_EQ(error_of(file("m.npy", npy_bytes("<f4", "(2, 3)", raw<float>({0, 1, 2, 3, 4, HUGE_VALF}))), {{2, 3}, "x"}),
            "external valuer 'v': m.npy entry (1, 2) is inf (entries must be finite)");
}

}  // namespace
}  // namespace sb::data
