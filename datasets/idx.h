// Reader of gzipped IDX files (the MNIST / Fashion-MNIST format), shared by
// the suites (the ood suite's fashion-mnist, datasets/fashion_mnist.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sb::data {

struct IdxImages {
  std::int64_t count = 0, rows = 0, cols = 0;
  std::vector<std::uint8_t> pixels;  // count * rows * cols, row-major per image
};

// Checks the magic number (0x00000803 images, 0x00000801 labels), the
// dimensions and that the data is exactly as long as the header says.
// Throws sb::InputError naming the file; `hint` is appended to every message
// (e.g. which package provides the file).
IdxImages read_idx_images(const std::string& path, const std::string& hint = "");
std::vector<std::uint8_t> read_idx_labels(const std::string& path, const std::string& hint = "");

// The headers only (same checks, no data read; `pixels` stays empty): cheap
// validation of a dataset's files at planning.
IdxImages read_idx_images_header(const std::string& path, const std::string& hint = "");
std::int64_t read_idx_labels_count(const std::string& path, const std::string& hint = "");

// The header's checks plus the file's data length against the header,
// without decompressing (a gzip file's trailer gives the length): a
// truncated file or one with bytes after the images is refused at planning.
IdxImages check_idx_images(const std::string& path, const std::string& hint = "");

}  // namespace sb::data
