#include "datasets/sklearn.h"

#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <sstream>

#include "harness/core/errors.h"

namespace sb::data {

namespace {

constexpr const char* kDebianDir = "/usr/lib/python3/dist-packages/sklearn/datasets/data";
constexpr const char* kHint = " (Debian package python3-sklearn, scripts/setup.sh; or set "
                              "SB_SKLEARN_DATA_DIR / the dataset's data_dir)";
constexpr size_t kMaxFileBytes = size_t{256} << 20;

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

// The whole file, gunzipped when it is gzip (zlib reads plain files as they are).
std::string read_text(const std::string& path) {
  std::unique_ptr<gzFile_s, GzCloser> f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError("cannot open '{}'{}", path, kHint);
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    const int got = gzread(f.get(), buffer, sizeof buffer);
    if (got < 0) {
      int code = 0;
      throw InputError("'{}': corrupt gzip data ({})", path, gzerror(f.get(), &code));
    }
    if (got == 0) break;
    out.append(buffer, static_cast<size_t>(got));
    if (out.size() > kMaxFileBytes) throw InputError("'{}': larger than {} bytes", path, kMaxFileBytes);
  }
  return out;
}

std::vector<std::string> split_fields(const std::string& line, bool whitespace) {
  std::vector<std::string> out;
  if (whitespace) {
    std::istringstream in(line);
    std::string field;
    while (in >> field) out.push_back(field);
    return out;
  }
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(',', start);
    out.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

double parse_number(const std::string& field, const std::string& path, size_t line) {
  const char* begin = field.c_str();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  while (end && (*end == ' ' || *end == '\r' || *end == '\t')) ++end;
  if (end == begin || *end != '\0' || !std::isfinite(v)) {
    throw InputError("'{}' line {}: '{}' is not a finite number", path, line, field);
  }
  return v;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// Numeric rows of `columns` fields each, starting at line index `first`.
Eigen::MatrixXd parse_rows(const std::vector<std::string>& lines, size_t first, Eigen::Index columns,
                           bool whitespace, const std::string& path) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(lines.size() - first), columns);
  for (size_t i = first; i < lines.size(); ++i) {
    const auto fields = split_fields(lines[i], whitespace);
    if (static_cast<Eigen::Index>(fields.size()) != columns) {
      throw InputError("'{}' line {}: {} fields, expected {}", path, i + 1, fields.size(), columns);
    }
    for (Eigen::Index j = 0; j < columns; ++j) {
      m(static_cast<Eigen::Index>(i - first), j) = parse_number(fields[static_cast<size_t>(j)], path, i + 1);
    }
  }
  return m;
}

// Last column of m as labels in [0, classes).
Table split_label_column(const Eigen::MatrixXd& m, int classes, const std::string& path,
                         size_t first_line) {
  Table t;
  t.x = m.leftCols(m.cols() - 1);
  t.y.resize(m.rows());
  t.num_classes = classes;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    const double label = m(i, m.cols() - 1);
    if (label != std::floor(label) || label < 0 || label >= classes) {
      throw InputError("'{}' line {}: label {} is not a class in [0, {})", path,
                       first_line + static_cast<size_t>(i) + 1, label, classes);
    }
    t.y(i) = static_cast<int>(label);
  }
  return t;
}

Table load_digits(const std::string& path) {
  const auto lines = lines_of(read_text(path));
  const Eigen::MatrixXd m = parse_rows(lines, 0, 65, false, path);
  SB_THROW_IF_NOT(InputError, m.rows() == 1797, "'{}': {} rows, expected 1797", path, m.rows());
  Table t = split_label_column(m, 10, path, 0);
  for (int c = 0; c < 10; ++c) t.class_names.push_back(std::to_string(c));
  return t;
}

Table load_diabetes(const std::string& data_path, const std::string& target_path) {
  const Eigen::MatrixXd x = parse_rows(lines_of(read_text(data_path)), 0, 10, true, data_path);
  const Eigen::MatrixXd y = parse_rows(lines_of(read_text(target_path)), 0, 1, true, target_path);
  SB_THROW_IF_NOT(InputError, x.rows() == 442 && y.rows() == 442,
                  "diabetes: {} feature rows ('{}') and {} targets ('{}'), expected 442 each",
                  x.rows(), data_path, y.rows(), target_path);
  Table t;
  t.x = x;
  t.target = y.col(0);
  return t;
}

}  // namespace

std::string sklearn_data_dir(const std::string& dir) {
  if (!dir.empty()) return dir;
  const char* env = std::getenv("SB_SKLEARN_DATA_DIR");
  if (env && *env) return env;
  return kDebianDir;
}

const std::vector<std::string>& sklearn_dataset_names() {
  static const std::vector<std::string> names = {"breast-cancer", "diabetes", "digits", "iris",
                                                 "wine"};
  return names;
}

Table parse_headed_csv(const std::string& text, const std::string& path) {
  const auto lines = lines_of(text);
  SB_THROW_IF_NOT(InputError, !lines.empty(), "'{}': empty file", path);
  const auto header = split_fields(lines[0], false);
  SB_THROW_IF_NOT(InputError, header.size() >= 4,
                  "'{}' line 1: header '{}' is not 'n,d,classname,classname...'", path, lines[0]);
  const double n = parse_number(header[0], path, 1), d = parse_number(header[1], path, 1);
  SB_THROW_IF_NOT(InputError, n >= 1 && d >= 1 && n == std::floor(n) && d == std::floor(d) && d < 1e6,
                  "'{}' line 1: n = {}, d = {} are not positive counts", path, header[0], header[1]);
  SB_THROW_IF_NOT(InputError, static_cast<double>(lines.size() - 1) == n,
                  "'{}': header says {} rows, the file has {}", path, header[0], lines.size() - 1);
  const Eigen::MatrixXd m = parse_rows(lines, 1, static_cast<Eigen::Index>(d) + 1, false, path);
  Table t = split_label_column(m, static_cast<int>(header.size() - 2), path, 1);
  t.class_names.assign(header.begin() + 2, header.end());
  return t;
}

Table load_sklearn(const std::string& name, const std::string& dir) {
  const std::vector<std::string> files = sklearn_files(name, dir);
  if (name == "digits") return load_digits(files[0]);
  if (name == "diabetes") return load_diabetes(files[0], files[1]);
  return parse_headed_csv(read_text(files[0]), files[0]);
}

std::vector<std::string> sklearn_files(const std::string& name, const std::string& dir) {
  const std::string root = sklearn_data_dir(dir) + "/";
  if (name == "digits") return {root + "digits.csv.gz"};
  if (name == "diabetes") return {root + "diabetes_data_raw.csv.gz", root + "diabetes_target.csv.gz"};
  if (name == "iris") return {root + "iris.csv"};
  if (name == "wine") return {root + "wine_data.csv"};
  if (name == "breast-cancer") return {root + "breast_cancer.csv"};
  throw InputError("unknown scikit-learn dataset '{}' (iris, wine, breast-cancer, digits, diabetes)", name);
}

}  // namespace sb::data
