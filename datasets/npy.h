// Minimal NumPy .npy reader/writer (reads format versions 1.0 and 2.0, writes 1.0): little-endian
// float32/float64/int32/int64, C order, 1-D or 2-D. Errors name the file and
// what was expected vs found.
#pragma once

#include <Eigen/Dense>

#include <cstdint>
#include <string>
#include <vector>

namespace sb::data {

struct NpyArray {
  std::vector<std::int64_t> shape;  // 1 or 2 dimensions
  std::vector<double> values;       // row-major, converted to double
};

// What the header of a .npy file announces, checked against the file's size.
struct NpyHeader {
  std::string descr;                // "<f4", "<f8", "<i4" or "<i8"
  std::vector<std::int64_t> shape;  // 1 or 2 dimensions, each >= 0
  std::uint64_t data_offset = 0;    // bytes before the data
  std::uint64_t data_bytes = 0;     // product(shape) x itemsize, <= file size - data_offset
};

// Reads and checks the header only (the data is not read): magic, version,
// header length, dict syntax, dtype, order and shape (negative, non-numeric or
// overflowing dimensions) and that the file holds the data bytes the shape
// needs, so that no allocation ever exceeds the file's size. Throws
// sb::InputError naming the file, the field and the value.
NpyHeader read_npy_header(const std::string& path);

// A shape as NumPy prints it: "(3, 4)", "(5,)".
std::string npy_shape_text(const std::vector<std::int64_t>& shape);

// Throws sb::InputError on a missing/unreadable file, a bad header, an
// unsupported dtype (big-endian, Fortran order, objects...) or a short file.
NpyArray read_npy(const std::string& path);

// 2-D array as an n x m matrix (a 1-D array of length n is n x 1).
// `expected_cols` < 0 means any.
Eigen::MatrixXd read_npy_matrix(const std::string& path, std::int64_t expected_cols = -1);
// 1-D integer labels (int32/int64, or integral floats); n x 1 2-D accepted.
Eigen::VectorXi read_npy_labels(const std::string& path);

// What a method must write to one output .npy file (external methods,
// docs/EXTERNAL.md): its shape, (n,) or (n, m), where a trailing 1 may be
// present or not ((n,) and (n, 1) are the same output) and n = -1 means any
// n >= 1; `meaning` says what the rows are, for messages ("one score per row
// of eval_features"); `integers` accepts int32/int64 besides float64/float32.
struct MethodOutputSpec {
  std::vector<std::int64_t> shape;
  std::string meaning;
  bool integers = false;
};

// Reads a method's output file `path` as an n x m matrix, every entry finite.
// Throws sb::MethodError, starting with `who` ("external valuer 'v'"), naming
// the file and what is wrong: it is missing, its dtype, its shape beside the
// one expected, or its first entry that is not finite (indexed as in the
// file); an unreadable file's InputError becomes a MethodError too.
Eigen::MatrixXd read_method_output(const std::string& path, const std::string& who, const MethodOutputSpec& spec);

// Writes a float64 array (version 1.0 header). Throws sb::InputError on failure.
void write_npy(const std::string& path, const double* data, const std::vector<std::int64_t>& shape);
void write_npy(const std::string& path, const Eigen::MatrixXd& m);
void write_npy_int32(const std::string& path, const Eigen::VectorXi& v);
// 1-D arrays, shape (n,).
void write_npy_vector(const std::string& path, const Eigen::VectorXd& v);
void write_npy_int64(const std::string& path, const std::vector<std::int64_t>& v);

}  // namespace sb::data
