#include "datasets/idx.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <memory>

#include "harness/core/errors.h"

namespace sb::data {

namespace {

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};
using GzFile = std::unique_ptr<gzFile_s, GzCloser>;

GzFile open_gz(const std::string& path, const std::string& hint) {
  GzFile f(gzopen(path.c_str(), "rb"));
  if (!f) throw InputError("cannot open '{}'{}", path, hint);
  gzbuffer(f.get(), 1 << 17);
  return f;
}

// Reads exactly `size` bytes or throws naming what was being read. When the
// bytes are part of a larger read, `before` bytes of its `total` came first
// (for the message).
void read_exact(gzFile_s* f, void* out, size_t size, const std::string& path, const char* what,
                const std::string& hint, std::uint64_t before = 0, std::uint64_t total = 0) {
  size_t done = 0;
  while (done < size) {
    const unsigned chunk = static_cast<unsigned>(std::min<size_t>(size - done, 1u << 30));
    const int got = gzread(f, static_cast<char*>(out) + done, chunk);
    if (got < 0) {
      int code = 0;
      throw InputError("'{}': corrupt gzip data while reading {} ({}){}", path, what,
                       gzerror(f, &code), hint);
    }
    if (got == 0) {
      throw InputError("'{}': file too short: {} needs {} bytes, found {}{}", path, what,
                       total ? total : size, before + done, hint);
    }
    done += static_cast<size_t>(got);
  }
}

// Reads exactly `size` bytes into `out`, growing it only as data actually
// arrives (chunks double from 64 KiB): the size comes from the file's header,
// and gzip hides the true length until it is decompressed, so a tiny file
// claiming billions of bytes must fail before anything near that is allocated.
void read_growing(gzFile_s* f, std::vector<std::uint8_t>& out, std::uint64_t size,
                  const std::string& path, const char* what, const std::string& hint) {
  out.clear();
  std::uint64_t done = 0;
  while (done < size) {
    const std::uint64_t chunk = std::min<std::uint64_t>(size - done, std::max<std::uint64_t>(done, 1u << 16));
    out.resize(static_cast<size_t>(done + chunk));
    read_exact(f, out.data() + done, static_cast<size_t>(chunk), path, what, hint, done, size);
    done += chunk;
  }
}

std::uint32_t read_be32(gzFile_s* f, const std::string& path, const char* what,
                        const std::string& hint) {
  unsigned char b[4];
  read_exact(f, b, 4, path, what, hint);
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         b[3];
}

void expect_end(gzFile_s* f, const std::string& path, const std::string& hint) {
  char extra;
  const int got = gzread(f, &extra, 1);
  if (got != 0) {
    throw InputError("'{}': {} after the data the header announces{}", path,
                     got > 0 ? "extra bytes" : "corrupt gzip data", hint);
  }
}

}  // namespace

namespace {

// Opens an images file and reads its header into `img`; the stream is left at
// the pixels.
GzFile open_images(const std::string& path, const std::string& hint, IdxImages& img) {
  auto f = open_gz(path, hint);
  const auto magic = read_be32(f.get(), path, "the magic number", hint);
  if (magic != 0x00000803) {
    throw InputError("'{}': bad IDX magic number 0x{:08x} (expected 0x00000803: 3-D uint8 images){}",
                     path, magic, hint);
  }
  img.count = read_be32(f.get(), path, "the image count", hint);
  img.rows = read_be32(f.get(), path, "the row count", hint);
  img.cols = read_be32(f.get(), path, "the column count", hint);
  if (img.count == 0 || img.rows == 0 || img.cols == 0 || img.rows > 4096 || img.cols > 4096 ||
      img.count > 100000000) {
    throw InputError("'{}': implausible IDX dimensions {} x {} x {} (count x rows x columns){}",
                     path, img.count, img.rows, img.cols, hint);
  }
  return f;
}

GzFile open_labels(const std::string& path, const std::string& hint, std::uint32_t& count) {
  auto f = open_gz(path, hint);
  const auto magic = read_be32(f.get(), path, "the magic number", hint);
  if (magic != 0x00000801) {
    throw InputError("'{}': bad IDX magic number 0x{:08x} (expected 0x00000801: 1-D uint8 labels){}",
                     path, magic, hint);
  }
  count = read_be32(f.get(), path, "the label count", hint);
  if (count == 0 || count > 100000000) {
    throw InputError("'{}': implausible IDX label count {}{}", path, count, hint);
  }
  return f;
}

}  // namespace

IdxImages read_idx_images(const std::string& path, const std::string& hint) {
  IdxImages img;
  auto f = open_images(path, hint, img);
  // <= 1e8 * 4096 * 4096 < 2^51: no overflow.
  const auto bytes = static_cast<std::uint64_t>(img.count * img.rows * img.cols);
  read_growing(f.get(), img.pixels, bytes, path, "the pixels", hint);
  expect_end(f.get(), path, hint);
  return img;
}

std::vector<std::uint8_t> read_idx_labels(const std::string& path, const std::string& hint) {
  std::uint32_t count = 0;
  auto f = open_labels(path, hint, count);
  std::vector<std::uint8_t> labels;
  read_growing(f.get(), labels, count, path, "the labels", hint);
  expect_end(f.get(), path, hint);
  return labels;
}

IdxImages check_idx_images(const std::string& path, const std::string& hint) {
  IdxImages img;
  open_images(path, hint, img);
  // The decompressed length without decompressing: a gzip file ends with it
  // (ISIZE, modulo 2^32); gzopen also reads plain files, whose size it is.
  std::ifstream in(path, std::ios::binary);
  unsigned char magic[2] = {0, 0};
  in.read(reinterpret_cast<char*>(magic), 2);
  std::uint64_t length = 0, expected = 16 + static_cast<std::uint64_t>(img.count * img.rows * img.cols);
  if (magic[0] == 0x1f && magic[1] == 0x8b) {
    unsigned char trailer[4] = {0, 0, 0, 0};
    in.seekg(-4, std::ios::end);
    in.read(reinterpret_cast<char*>(trailer), 4);
    length = trailer[0] | (trailer[1] << 8) | (trailer[2] << 16) | (static_cast<std::uint64_t>(trailer[3]) << 24);
    expected &= 0xffffffffu;
  } else {
    in.seekg(0, std::ios::end);
    length = static_cast<std::uint64_t>(in.tellg());
  }
  if (!in) throw InputError("cannot read '{}'{}", path, hint);
  if (length != expected) {
    throw InputError("'{}': holds {} bytes of IDX data, its header ({} images of {} x {}) needs {}: {}{}", path,
                     length, img.count, img.rows, img.cols, expected,
                     length < expected ? "the file is truncated" : "bytes follow the images", hint);
  }
  return img;
}

IdxImages read_idx_images_header(const std::string& path, const std::string& hint) {
  IdxImages img;
  open_images(path, hint, img);
  return img;
}

std::int64_t read_idx_labels_count(const std::string& path, const std::string& hint) {
  std::uint32_t count = 0;
  open_labels(path, hint, count);
  return count;
}

}  // namespace sb::data
