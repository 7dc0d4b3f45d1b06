#include "datasets/npy.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "harness/core/errors.h"

namespace sb::data {

namespace {

constexpr char kMagic[] = "\x93NUMPY";

template <class T>
void convert(const std::vector<char>& raw, std::vector<double>& out) {
  const size_t n = out.size();
  for (size_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, raw.data() + i * sizeof(T), sizeof(T));
    out[i] = static_cast<double>(v);
  }
}

// Largest header accepted. NumPy itself refuses more than 10000 bytes by
// default; a bigger claim is corruption, not data.
constexpr std::uint32_t kMaxHeaderLen = 1u << 20;

size_t dtype_width(const std::string& descr) {
  if (descr == "<f8" || descr == "<i8") return 8;
  if (descr == "<f4" || descr == "<i4") return 4;
  return 0;
}

// Opens `path` for reading and returns its size in bytes.
std::uint64_t open_regular(const std::string& path, std::ifstream& in) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) throw InputError("cannot open .npy file '{}'", path);
  if (!std::filesystem::is_regular_file(status)) {
    throw InputError("cannot open .npy file '{}': not a regular file", path);
  }
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  in.open(path, std::ios::binary);
  if (ec || !in) throw InputError("cannot open .npy file '{}'", path);
  return size;
}

// Parser of the header dict, a Python literal such as
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// Hand-written rather than regex-based: linear time on any input, and every
// error can name the field and the offending text.
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& path) : s_(text), path_(path) {}

  // Fills descr / fortran / shape; throws on bad syntax or missing keys.
  void parse(std::string& descr, bool& fortran, std::vector<std::int64_t>& shape) {
    bool has_descr = false, has_fortran = false, has_shape = false;
    expect('{', "the header dict");
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = quoted("a key");
      expect(':', "':' after key '" + key + "'");
      skip_space();
      if (key == "descr") {
        if (peek() != '\'' && peek() != '"') {
          throw InputError("'{}': .npy header field 'descr' is {} (only plain little-endian dtypes "
                           "<f4, <f8, <i4, <i8 are supported)", path_, snippet());
        }
        descr = quoted("the value of 'descr'");
        has_descr = true;
      } else if (key == "fortran_order") {
        if (word("True")) fortran = true;
        else if (word("False")) fortran = false;
        else throw InputError("'{}': .npy header field 'fortran_order' is {} (expected True or False)",
                              path_, snippet());
        has_fortran = true;
      } else if (key == "shape") {
        shape = tuple();
        has_shape = true;
      } else {
        throw InputError("'{}': .npy header has an unknown key '{}'", path_, key);
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != '}') {
        throw InputError("'{}': .npy header: expected ',' or '}}' after the value of '{}', found {}",
                         path_, key, snippet());
      }
    }
    ++pos_;
    skip_space();
    if (pos_ != s_.size()) {
      throw InputError("'{}': .npy header: unexpected text after the dict: {}", path_, snippet());
    }
    const char* missing = !has_descr ? "descr" : !has_fortran ? "fortran_order" : !has_shape ? "shape" : nullptr;
    if (missing) throw InputError("'{}': .npy header has no '{}'", path_, missing);
  }

 private:
  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  // The text at the current position, quoted and cut short, for messages.
  std::string snippet() const {
    if (pos_ >= s_.size()) return "the end of the header";
    std::string t = s_.substr(pos_, 24);
    for (char& c : t) if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) > 126) c = '?';
    return "'" + t + (s_.size() - pos_ > 24 ? "...'" : "'");
  }
  void expect(char c, const std::string& what) {
    skip_space();
    if (peek() != c) throw InputError("'{}': .npy header: expected {}, found {}", path_, what, snippet());
    ++pos_;
  }
  bool word(std::string_view w) {
    if (s_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }
  std::string quoted(const std::string& what) {
    skip_space();
    const char q = peek();
    if (q != '\'' && q != '"') throw InputError("'{}': .npy header: expected {}, found {}", path_, what, snippet());
    const size_t close = s_.find(q, pos_ + 1);
    if (close == std::string::npos) throw InputError("'{}': .npy header: unterminated string in {}", path_, what);
    std::string out = s_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    return out;
  }
  // "(3, 4)", "(3,)" or "()": each dimension a non-negative decimal integer.
  std::vector<std::int64_t> tuple() {
    std::vector<std::int64_t> out;
    expect('(', "'(' opening the value of 'shape'");
    while (true) {
      skip_space();
      if (peek() == ')') break;
      const size_t begin = pos_;
      while (pos_ < s_.size() && s_[pos_] != ',' && s_[pos_] != ')' && s_[pos_] != ' ') ++pos_;
      const std::string item = s_.substr(begin, pos_ - begin);
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
      if (item.empty() || ec == std::errc::invalid_argument || end != item.data() + item.size()) {
        throw InputError("'{}': .npy header field 'shape': dimension {} is '{}', not an integer",
                         path_, out.size(), item);
      }
      if (ec == std::errc::result_out_of_range) {
        throw InputError("'{}': .npy header field 'shape': dimension {} is {}, too large", path_,
                         out.size(), item);
      }
      if (v < 0) {
        throw InputError("'{}': .npy header field 'shape': dimension {} is {}, negative", path_,
                         out.size(), v);
      }
      out.push_back(v);
      skip_space();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      if (peek() != ')') {
        throw InputError("'{}': .npy header field 'shape': expected ',' or ')', found {}", path_,
                         snippet());
      }
    }
    ++pos_;
    return out;
  }

  const std::string& s_;
  const std::string& path_;
  size_t pos_ = 0;
};

// Reads the preamble and header dict from `in` (at offset 0) and checks them
// against the file's `size`; leaves `in` at the start of the data.
NpyHeader parse_header(std::istream& in, std::uint64_t size, const std::string& path) {
  char magic[8] = {};
  in.read(magic, 8);
  if (!in || std::memcmp(magic, kMagic, 6) != 0) {
    throw InputError("'{}' is not a .npy file (bad magic string)", path);
  }
  const int major = static_cast<unsigned char>(magic[6]);
  std::uint32_t header_len = 0;
  std::uint64_t prefix = 0;
  if (major == 1) {
    unsigned char b[2] = {};
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
    prefix = 10;
  } else if (major == 2 || major == 3) {
    unsigned char b[4] = {};
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (std::uint32_t{b[3]} << 24);
    prefix = 12;
  } else {
    throw InputError("'{}': unsupported .npy format version {}.{} (expected 1.0 or 2.0)", path,
                     major, static_cast<int>(static_cast<unsigned char>(magic[7])));
  }
  if (!in) throw InputError("'{}': truncated .npy preamble ({} bytes)", path, size);
  if (header_len > size - std::min(size, prefix)) {
    throw InputError("'{}': .npy header length {} exceeds the file's {} bytes", path, header_len, size);
  }
  if (header_len > kMaxHeaderLen) {
    throw InputError("'{}': .npy header length {} is implausible (at most {} accepted)", path,
                     header_len, kMaxHeaderLen);
  }
  std::string text(header_len, '\0');
  in.read(text.data(), header_len);
  if (!in) throw InputError("'{}': truncated .npy header", path);

  NpyHeader h;
  bool fortran = false;
  HeaderParser(text, path).parse(h.descr, fortran, h.shape);
  const size_t width = dtype_width(h.descr);
  if (width == 0) {
    throw InputError("'{}': unsupported dtype '{}' (expected little-endian <f4, <f8, <i4 or <i8)",
                     path, h.descr);
  }
  if (fortran) {
    throw InputError("'{}': Fortran-order arrays are not supported (save with np.ascontiguousarray)",
                     path);
  }
  if (h.shape.empty() || h.shape.size() > 2) {
    throw InputError("'{}': expected a 1-D or 2-D array, found shape {}", path, npy_shape_text(h.shape));
  }
  h.data_offset = prefix + header_len;
  std::uint64_t bytes = width;
  for (auto d : h.shape) {
    if (__builtin_mul_overflow(bytes, static_cast<std::uint64_t>(d), &bytes)) {
      throw InputError("'{}': .npy header field 'shape' {} of '{}' overflows: more bytes than any "
                       "file holds", path, npy_shape_text(h.shape), h.descr);
    }
  }
  if (bytes > size - h.data_offset) {
    throw InputError("'{}': file too short: shape {} of '{}' needs {} data bytes, found {}", path,
                     npy_shape_text(h.shape), h.descr, bytes, size - h.data_offset);
  }
  if (bytes < size - h.data_offset) {
    // NumPy writes nothing after the data: this is another array saved into
    // the same file, or a corrupted one, not something to read past.
    throw InputError("'{}': {} bytes after the data of shape {} of '{}' (two arrays saved into one file?)", path,
                     size - h.data_offset - bytes, npy_shape_text(h.shape), h.descr);
  }
  h.data_bytes = bytes;
  return h;
}

void write_raw(const std::string& path, const std::string& descr, const void* data,
               size_t bytes, const std::vector<std::int64_t>& shape) {
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " +
                       npy_shape_text(shape) + ", }";
  // Magic (6) + version (2) + length (2) + header, padded with spaces and a
  // final newline to a multiple of 64 bytes.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError("cannot write '{}'", path);
  const std::uint16_t len = static_cast<std::uint16_t>(header.size());
  out.write(kMagic, 6);
  out.put(1);
  out.put(0);
  out.put(static_cast<char>(len & 0xff));
  out.put(static_cast<char>(len >> 8));
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(bytes));
  if (!out) throw InputError("error writing '{}'", path);
}

}  // namespace

NpyHeader read_npy_header(const std::string& path) {
  std::ifstream in;
  const std::uint64_t size = open_regular(path, in);
  return parse_header(in, size, path);
}

NpyArray read_npy(const std::string& path) {
  std::ifstream in;
  const std::uint64_t size = open_regular(path, in);
  const NpyHeader h = parse_header(in, size, path);
  const size_t width = dtype_width(h.descr);
  NpyArray array;
  array.shape = h.shape;
  // data_bytes <= the file's size (checked in parse_header): bounded allocations.
  std::vector<char> raw(static_cast<size_t>(h.data_bytes));
  in.read(raw.data(), static_cast<std::streamsize>(raw.size()));
  if (static_cast<size_t>(in.gcount()) != raw.size()) {  // the file shrank since its size was taken
    throw InputError("'{}': file too short: shape {} of '{}' needs {} data bytes, found {}", path,
                     npy_shape_text(h.shape), h.descr, raw.size(), in.gcount());
  }
  array.values.resize(raw.size() / width);
  if (h.descr == "<f8") convert<double>(raw, array.values);
  else if (h.descr == "<f4") convert<float>(raw, array.values);
  else if (h.descr == "<i4") convert<std::int32_t>(raw, array.values);
  else convert<std::int64_t>(raw, array.values);
  return array;
}

Eigen::MatrixXd read_npy_matrix(const std::string& path, std::int64_t expected_cols) {
  const NpyArray a = read_npy(path);
  const std::int64_t rows = a.shape[0], cols = a.shape.size() == 2 ? a.shape[1] : 1;
  if (expected_cols >= 0 && cols != expected_cols) {
    throw InputError("'{}': expected {} columns, found shape {}", path, expected_cols,
                     npy_shape_text(a.shape));
  }
  // A zero-size shape needs no data, so its other dimension is bounded by
  // nothing in the file: (10^11, 0) must not become 10^11 empty rows to walk.
  if (rows > 0 && cols == 0) {
    throw InputError("'{}': shape {} has rows but no columns", path, npy_shape_text(a.shape));
  }
  Eigen::MatrixXd out(rows, cols);
  for (std::int64_t i = 0; i < rows; ++i)
    for (std::int64_t j = 0; j < cols; ++j) out(i, j) = a.values[i * cols + j];
  return out;
}

Eigen::VectorXi read_npy_labels(const std::string& path) {
  const NpyArray a = read_npy(path);
  if (a.shape.size() == 2 && a.shape[1] != 1) {
    throw InputError("'{}': labels must be 1-D (n,), found shape {}", path, npy_shape_text(a.shape));
  }
  Eigen::VectorXi out(a.shape[0]);
  for (std::int64_t i = 0; i < a.shape[0]; ++i) {
    const double v = a.values[i];
    if (v != std::floor(v) || v < -2147483648.0 || v > 2147483647.0) {
      throw InputError("'{}': label {} at index {} is not an integer", path, v, i);
    }
    out(i) = static_cast<int>(v);
  }
  return out;
}

void write_npy(const std::string& path, const double* data, const std::vector<std::int64_t>& shape) {
  size_t count = 1;
  for (auto d : shape) count *= static_cast<size_t>(d);
  write_raw(path, "<f8", data, count * sizeof(double), shape);
}

void write_npy(const std::string& path, const Eigen::MatrixXd& m) {
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> row_major = m;
  write_npy(path, row_major.data(), {m.rows(), m.cols()});
}

void write_npy_int32(const std::string& path, const Eigen::VectorXi& v) {
  std::vector<std::int32_t> data(v.data(), v.data() + v.size());
  write_raw(path, "<i4", data.data(), data.size() * 4, {v.size()});
}

void write_npy_vector(const std::string& path, const Eigen::VectorXd& v) {
  write_raw(path, "<f8", v.data(), static_cast<size_t>(v.size()) * sizeof(double), {v.size()});
}

void write_npy_int64(const std::string& path, const std::vector<std::int64_t>& v) {
  write_raw(path, "<i8", v.data(), v.size() * sizeof(std::int64_t), {static_cast<std::int64_t>(v.size())});
}

std::string npy_shape_text(const std::vector<std::int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + (shape.size() == 1 ? ",)" : ")");
}

Eigen::MatrixXd read_method_output(const std::string& path, const std::string& who, const MethodOutputSpec& spec) {
  if (spec.shape.empty() || spec.shape.size() > 2) {
    throw InternalError("read_method_output: expected shape {} of '{}' is not 1-D or 2-D", npy_shape_text(spec.shape),
                        path);
  }
  const std::string file = std::filesystem::path(path).filename().string();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw MethodError("{} wrote no {}", who, file);
  const std::int64_t rows = spec.shape[0], cols = spec.shape.size() == 2 ? spec.shape[1] : 1;
  NpyArray a;
  try {
    const NpyHeader h = read_npy_header(path);
    const bool floats = h.descr == "<f8" || h.descr == "<f4";
    if (!floats && !(spec.integers && (h.descr == "<i8" || h.descr == "<i4"))) {
      throw MethodError("{}: {} has dtype '{}' (expected float64 '<f8' or float32 '<f4'{})", who, file, h.descr,
                        spec.integers ? ", or int64 '<i8' or int32 '<i4'" : "");
    }
    const bool rows_ok = rows < 0 ? h.shape[0] >= 1 : h.shape[0] == rows;
    const bool cols_ok = h.shape.size() == 1 ? cols == 1 : h.shape[1] == cols;
    if (!rows_ok || !cols_ok) {
      std::string expected = npy_shape_text(spec.shape);
      if (rows < 0) expected = "(m" + expected.substr(expected.find_first_of(",)"));
      throw MethodError("{}: {} has shape {} (expected {}: {})", who, file, npy_shape_text(h.shape), expected,
                        spec.meaning);
    }
    a = read_npy(path);
  } catch (const InputError& e) {
    throw MethodError("{}: {}", who, e.what());
  }
  const std::int64_t out_rows = a.shape[0];
  Eigen::MatrixXd out(out_rows, cols);
  for (std::int64_t r = 0; r < out_rows; ++r) {
    for (std::int64_t c = 0; c < cols; ++c) {
      const double v = a.values[static_cast<size_t>(r * cols + c)];
      if (!std::isfinite(v)) {
        const std::string entry = a.shape.size() == 1 ? std::to_string(r) : fmt::format("({}, {})", r, c);
        throw MethodError("{}: {} entry {} is {} (entries must be finite)", who, file, entry, v);
      }
      out(r, c) = v;
    }
  }
  return out;
}

}  // namespace sb::data
