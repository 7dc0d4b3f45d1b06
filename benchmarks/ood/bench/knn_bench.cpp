// Times sb::ood::detail::KnnIndex (the KNN detector's exact search) on
// reference/query matrices read from .npy files, and writes the k-th
// neighbour distances so that scripts/bench-knn.sh can compare them with
// faiss IndexFlatL2 on the same data.
//
//   knn_bench REFERENCE.npy QUERIES.npy K OUT.bin
//
// Prints one line: "cpp_seconds=<s> n=<n> q=<q> d=<d> k=<k>".
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>

#include "estimators/ood/common.h"

namespace {

// Reads a 2-D little-endian float64 C-order .npy file (format 1.0 / 2.0).
Eigen::MatrixXd read_npy_f8(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  char magic[6];
  in.read(magic, 6);
  if (std::string(magic, 6) != "\x93NUMPY") throw std::runtime_error(path + ": not a .npy file");
  unsigned char version[2];
  in.read(reinterpret_cast<char*>(version), 2);
  std::uint32_t header_len = 0;
  if (version[0] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  }
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  if (header.find("'descr': '<f8'") == std::string::npos ||
      header.find("'fortran_order': False") == std::string::npos)
    throw std::runtime_error(path + ": expected C-order '<f8', header " + header);
  const auto open = header.find('('), close = header.find(')');
  long rows = 0, cols = 0;
  if (std::sscanf(header.substr(open, close - open + 1).c_str(), "(%ld, %ld)", &rows, &cols) != 2)
    throw std::runtime_error(path + ": expected a 2-D array, header " + header);
  Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> m(rows, cols);
  in.read(reinterpret_cast<char*>(m.data()), static_cast<std::streamsize>(sizeof(double) * rows * cols));
  if (!in) throw std::runtime_error(path + ": truncated data");
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s REFERENCE.npy QUERIES.npy K OUT.bin\n", argv[0]);
    return 2;
  }
  try {
    const Eigen::MatrixXd reference = read_npy_f8(argv[1]);
    const Eigen::MatrixXd queries = read_npy_f8(argv[2]);
    const int k = std::stoi(argv[3]);
    const auto t0 = std::chrono::steady_clock::now();
    const sb::ood::detail::KnnIndex index(reference);
    const Eigen::VectorXd dist = index.kth_distance(queries, k);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::ofstream out(argv[4], std::ios::binary);
    out.write(reinterpret_cast<const char*>(dist.data()),
              static_cast<std::streamsize>(sizeof(double) * dist.size()));
    std::printf("cpp_seconds=%.4f n=%ld q=%ld d=%ld k=%d\n", seconds, reference.rows(),
                queries.rows(), reference.cols(), k);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "knn_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
