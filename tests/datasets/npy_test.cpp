// The .npy reader/writer (datasets/npy.h) against NumPy itself: files that
// /usr/bin/python3's numpy saves are read back exactly, and files we write
// are loaded by numpy with the same dtype, shape and values. Skipped when
// Debian's python3-numpy is not installed (scripts/setup.sh installs it).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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

}  // namespace
}  // namespace sb::data
