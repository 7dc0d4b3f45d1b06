#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "datasets/idx.h"
#include "benchmarks/ood/npy.h"
#include "harness/core/errors.h"

namespace sb::ood {
namespace {

namespace fs = std::filesystem;
using data::check_idx_images;
using data::read_idx_images;
using data::read_idx_images_header;
using data::read_idx_labels;
using data::read_idx_labels_count;

fs::path temp_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / ("sb_ood_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

// A v1.0 .npy file with a hand-written header (independent of write_npy).
std::string npy_file(const std::string& descr, const std::string& shape, const std::string& data,
                     const std::string& fortran = "False") {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': " + fortran +
                       ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xff);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

template <class T>
std::string raw(std::initializer_list<T> v) {
  std::string s;
  for (T x : v) s.append(reinterpret_cast<const char*>(&x), sizeof(T));
  return s;
}

TEST(Npy, ReadsEveryDtypeInCOrder) {
  const auto dir = temp_dir("npy");
  write_bytes(dir / "f4.npy", npy_file("<f4", "(2, 3)", raw<float>({1, 2, 3, 4, 5, 6.5f})));
  write_bytes(dir / "f8.npy", npy_file("<f8", "(3,)", raw<double>({0.25, -1, 1e300})));
  write_bytes(dir / "i4.npy", npy_file("<i4", "(2,)", raw<std::int32_t>({7, -2})));
  write_bytes(dir / "i8.npy", npy_file("<i8", "(1, 2)", raw<std::int64_t>({1LL << 40, 3})));
  const auto m = read_npy_matrix((dir / "f4.npy").string());
  ASSERT_EQ(m.rows(), 2);
  ASSERT_EQ(m.cols(), 3);
  EXPECT_EQ(m(0, 2), 3);
  EXPECT_EQ(m(1, 0), 4);
  EXPECT_EQ(m(1, 2), 6.5);
  const auto v = read_npy((dir / "f8.npy").string());
  EXPECT_EQ(v.shape, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(v.values[2], 1e300);
  const auto labels = read_npy_labels((dir / "i4.npy").string());
  EXPECT_EQ(labels(0), 7);
  EXPECT_EQ(labels(1), -2);
  EXPECT_EQ(read_npy_matrix((dir / "i8.npy").string())(0, 0), static_cast<double>(1LL << 40));
  fs::remove_all(dir);
}

TEST(Npy, VersionTwoHeader) {
  const auto dir = temp_dir("npy2");
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }";
  while ((12 + header.size() + 1) % 64) header += ' ';
  header += '\n';
  std::string file = "\x93NUMPY";
  file += '\x02';
  file += '\x00';
  file += static_cast<char>(header.size());
  file += std::string(3, '\0');
  write_bytes(dir / "a.npy", file + header + raw<double>({1.5, 2.5}));
  EXPECT_EQ(read_npy((dir / "a.npy").string()).values, (std::vector<double>{1.5, 2.5}));
  fs::remove_all(dir);
}

TEST(Npy, ClearErrors) {
  const auto dir = temp_dir("npyerr");
  auto message = [&](const std::string& name) {
    try {
      read_npy_matrix((dir / name).string(), 3);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  write_bytes(dir / "be.npy", npy_file(">f8", "(1,)", raw<double>({1})));
  write_bytes(dir / "f.npy", npy_file("<f8", "(1, 3)", raw<double>({1, 2, 3}), "True"));
  write_bytes(dir / "short.npy", npy_file("<f8", "(2, 3)", raw<double>({1, 2, 3})));
  write_bytes(dir / "cols.npy", npy_file("<f8", "(1, 2)", raw<double>({1, 2})));
  write_bytes(dir / "junk.npy", "hello");
  EXPECT_NE(message("missing.npy").find("cannot open"), std::string::npos);
  EXPECT_NE(message("be.npy").find("unsupported dtype '>f8'"), std::string::npos);
  EXPECT_NE(message("f.npy").find("Fortran"), std::string::npos);
  EXPECT_NE(message("short.npy").find("needs 48 data bytes, found 24"), std::string::npos);
  EXPECT_NE(message("cols.npy").find("expected 3 columns, found shape (1, 2)"), std::string::npos);
  EXPECT_NE(message("junk.npy").find("not a .npy file"), std::string::npos);
  EXPECT_NE(message("short.npy").find("short.npy"), std::string::npos);  // names the file
  fs::remove_all(dir);
}

TEST(Npy, WriteReadRoundTrip) {
  const auto dir = temp_dir("npyrt");
  Eigen::MatrixXd m(2, 3);
  m << 1, 2, 3, 4, 5, -6e-300;
  write_npy((dir / "m.npy").string(), m);
  EXPECT_EQ(read_npy_matrix((dir / "m.npy").string()), m);
  Eigen::VectorXi labels(3);
  labels << 0, 2, 1;
  write_npy_int32((dir / "l.npy").string(), labels);
  EXPECT_EQ(read_npy_labels((dir / "l.npy").string()), labels);
  fs::remove_all(dir);
}

// Regression tests of untrusted sizes: each malicious file is tiny, and must
// fail with an InputError naming the file, field and value, before any
// allocation near the size it claims.
std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not an InputError: ") + e.what();
  }
  return "no error";
}

TEST(Npy, HugeHeaderLengthInTinyFileIsRejectedBeforeAllocating) {
  const auto dir = temp_dir("npyhdr");
  // 20 bytes: magic, version 2.0, header length 0xFFFFFFF0, 8 bytes of junk.
  std::string file = "\x93NUMPY";
  file += '\x02';
  file += '\x00';
  file += "\xf0\xff\xff\xff";
  file += "{'descr'";
  ASSERT_EQ(file.size(), 20u);
  write_bytes(dir / "big.npy", file);
  const std::string path = (dir / "big.npy").string();
  const auto msg = error_of([&] { read_npy(path); });
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  EXPECT_NE(msg.find("header length 4294967280 exceeds the file's 20 bytes"), std::string::npos) << msg;
  EXPECT_EQ(error_of([&] { read_npy_header(path); }), msg);
  fs::remove_all(dir);
}

TEST(Npy, NegativeNonNumericAndOverflowingShapesAreRejected) {
  const auto dir = temp_dir("npyshape");
  const std::string data = raw<double>({1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"(-200, 5)", "dimension 0 is -200, negative"},
      {"(2, -5)", "dimension 1 is -5, negative"},
      {"(abc, 5)", "dimension 0 is 'abc', not an integer"},
      {"(2.5,)", "dimension 0 is '2.5', not an integer"},
      {"(99999999999999999999999, 1)", "dimension 0 is 99999999999999999999999, too large"},
      {"(4611686018427387904, 4)", "(4611686018427387904, 4) of '<f8' overflows"},
      {"(4294967296, 4294967296)", "overflows"},
      {"(1000000000, 1000)", "needs 8000000000000 data bytes, found 80"},
      {"(2, 3, 4)", "expected a 1-D or 2-D array, found shape (2, 3, 4)"},
      {"()", "expected a 1-D or 2-D array"},
      {"[2, 5]", "expected '(' opening the value of 'shape'"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto path = (dir / fmt::format("s{}.npy", i)).string();
    write_bytes(path, npy_file("<f8", cases[i].first, data));
    const auto msg = error_of([&] { read_npy_matrix(path); });
    EXPECT_NE(msg.find(cases[i].second), std::string::npos) << cases[i].first << ": " << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
  }
  fs::remove_all(dir);
}

TEST(Npy, MalformedHeaderFieldsNameTheField) {
  const auto dir = temp_dir("npyfields");
  auto with_header = [&](const std::string& name, std::string header) {
    while ((10 + header.size() + 1) % 64) header += ' ';
    header += '\n';
    std::string out = "\x93NUMPY\x01";
    out += '\x00';
    out += static_cast<char>(header.size());
    out += '\x00';
    write_bytes(dir / name, out + header + raw<double>({1, 2}));
    return (dir / name).string();
  };
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{'descr': '<f8', 'fortran_order': Maybe, 'shape': (2,), }", "'fortran_order' is 'Maybe"},
      {"{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", "field 'descr' is '["},
      {"{'descr': '<f8', 'fortran_order': False, }", "has no 'shape'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", "unknown key 'x'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (2,) 'x'}", "expected ',' or '}'"},
      {"{'descr: '<f8', 'fortran_order': False, 'shape': (2,), }", "expected ':'"},
      {"'descr': '<f8'", "expected the header dict"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto path = with_header(fmt::format("h{}.npy", i), cases[i].first);
    const auto msg = error_of([&] { read_npy(path); });
    EXPECT_NE(msg.find(cases[i].second), std::string::npos) << cases[i].first << ": " << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
  }
  // Double quotes and no trailing comma are valid Python too.
  const auto ok = with_header("ok.npy", "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2,)}");
  EXPECT_EQ(read_npy(ok).values, (std::vector<double>{1, 2}));
  EXPECT_NE(error_of([&] { read_npy((dir).string()); }).find("not a regular file"), std::string::npos);
  fs::remove_all(dir);
}

void write_gz(const fs::path& p, const std::string& bytes) {
  gzFile f = gzopen(p.c_str(), "wb");
  gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(f);
}
std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

TEST(Idx, ReadsImagesAndLabelsAndChecksThem) {
  const auto dir = temp_dir("idx");
  write_gz(dir / "img.gz", be32(0x803) + be32(2) + be32(2) + be32(3) + std::string("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\xff", 12));
  write_gz(dir / "lab.gz", be32(0x801) + be32(3) + std::string("\x01\x02\x09", 3));
  const auto img = read_idx_images((dir / "img.gz").string());
  EXPECT_EQ(img.count, 2);
  EXPECT_EQ(img.rows, 2);
  EXPECT_EQ(img.cols, 3);
  EXPECT_EQ(img.pixels[11], 255);
  EXPECT_EQ(read_idx_labels((dir / "lab.gz").string()), (std::vector<std::uint8_t>{1, 2, 9}));

  write_gz(dir / "magic.gz", be32(0x801) + be32(1) + be32(1) + be32(1) + "x");
  write_gz(dir / "short.gz", be32(0x803) + be32(2) + be32(2) + be32(2) + "abc");
  write_gz(dir / "long.gz", be32(0x801) + be32(1) + "ab");
  auto message = [&](auto&& fn) {
    try {
      fn();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string hint = " (install it)";
  EXPECT_NE(message([&] { read_idx_images((dir / "magic.gz").string(), hint); })
                .find("bad IDX magic number 0x00000801"), std::string::npos);
  EXPECT_NE(message([&] { read_idx_images((dir / "short.gz").string(), hint); })
                .find("needs 8 bytes, found 3 (install it)"), std::string::npos);
  EXPECT_NE(message([&] { read_idx_labels((dir / "long.gz").string(), hint); }).find("extra bytes"),
            std::string::npos);
  EXPECT_NE(message([&] { read_idx_labels((dir / "none.gz").string(), hint); })
                .find("cannot open"), std::string::npos);
  fs::remove_all(dir);
}

TEST(Idx, TinyGzipClaimingMillionsOfImagesFailsWithoutAllocatingThem) {
  const auto dir = temp_dir("idxbig");
  // ~60 bytes of gzip whose header claims 2,000,000 x 28 x 28 images (1.57 GB).
  write_gz(dir / "img.gz", be32(0x803) + be32(2000000) + be32(28) + be32(28) + "abc");
  ASSERT_LT(fs::file_size(dir / "img.gz"), 100u);
  const auto path = (dir / "img.gz").string();
  const auto msg = error_of([&] { read_idx_images(path, " (hint)"); });
  EXPECT_NE(msg.find(path + "': file too short: the pixels needs 1568000000 bytes, found 3 (hint)"),
            std::string::npos) << msg;
  write_gz(dir / "lab.gz", be32(0x801) + be32(100000000) + "ab");
  EXPECT_NE(error_of([&] { read_idx_labels((dir / "lab.gz").string()); })
                .find("the labels needs 100000000 bytes, found 2"), std::string::npos);
  write_gz(dir / "dims.gz", be32(0x803) + be32(1) + be32(5000) + be32(28));
  EXPECT_NE(error_of([&] { read_idx_images((dir / "dims.gz").string()); })
                .find("implausible IDX dimensions 1 x 5000 x 28"), std::string::npos);
  // Data longer than one growth chunk still reads exactly.
  std::string pixels(3 * 300 * 100, '\0');
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<char>(i % 251);
  write_gz(dir / "ok.gz", be32(0x803) + be32(3) + be32(300) + be32(100) + pixels);
  const auto img = read_idx_images((dir / "ok.gz").string());
  EXPECT_EQ(img.pixels.size(), pixels.size());
  EXPECT_EQ(img.pixels.back(), static_cast<std::uint8_t>((pixels.size() - 1) % 251));
  fs::remove_all(dir);
}

TEST(Idx, CheckAtPlanningComparesTheDataLengthWithoutDecompressing) {
  const auto dir = temp_dir("idxcheck");
  const std::string header = be32(0x803) + be32(2) + be32(2) + be32(3);
  write_gz(dir / "ok.gz", header + std::string(12, '\x01'));
  EXPECT_EQ(check_idx_images((dir / "ok.gz").string()).count, 2);
  write_bytes(dir / "plain", header + std::string(12, '\x01'));  // gzopen reads plain files too
  EXPECT_EQ(check_idx_images((dir / "plain").string()).count, 2);
  write_gz(dir / "short.gz", header + std::string(11, '\x01'));
  EXPECT_NE(error_of([&] { check_idx_images((dir / "short.gz").string(), " (hint)"); })
                .find("holds 27 bytes of IDX data, its header (2 images of 2 x 3) needs 28: the file is truncated "
                      "(hint)"),
            std::string::npos);
  write_gz(dir / "long.gz", header + std::string(13, '\x01'));
  EXPECT_NE(error_of([&] { check_idx_images((dir / "long.gz").string()); }).find("bytes follow the images"),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(Idx, HeaderOnlyReadsCheckTheSameAndReadNoData) {
  const auto dir = temp_dir("idxhdr");
  write_gz(dir / "img.gz", be32(0x803) + be32(2000000) + be32(28) + be32(28) + "abc");
  const auto img = read_idx_images_header((dir / "img.gz").string());
  EXPECT_EQ(img.count, 2000000);
  EXPECT_EQ(img.rows, 28);
  EXPECT_TRUE(img.pixels.empty());
  write_gz(dir / "lab.gz", be32(0x801) + be32(7));
  EXPECT_EQ(read_idx_labels_count((dir / "lab.gz").string()), 7);
  EXPECT_NE(error_of([&] { read_idx_labels_count((dir / "img.gz").string(), " (hint)"); })
                .find("bad IDX magic number 0x00000803 (expected 0x00000801: 1-D uint8 labels) (hint)"),
            std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sb::ood
