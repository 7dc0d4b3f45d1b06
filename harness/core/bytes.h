// Little binary encodings for the messages between processes and the
// blobs in the database: native-endian fixed-size values, length-prefixed
// strings, and a bounds-checked reader whose counts never trust the input.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/errors.h"

namespace sb::bytes {

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

inline void put_string(std::string& out, std::string_view s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

// Reads what put/put_string wrote; throws InternalError("truncated <what>")
// instead of reading past the end.
class Reader {
 public:
  Reader(std::string_view data, const char* what) : p_(data.data()), end_(data.data() + data.size()), what_(what) {}

  template <class T>
  T get() {
    T v;
    need(sizeof v);
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string get_string() {
    const auto n = get<std::uint32_t>();
    need(n);
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  void get_doubles(std::vector<double>& v, std::uint64_t n) {
    // Counts come from the input: compare without multiplying (no overflow).
    if (n > remaining() / sizeof(double)) throw InternalError("truncated {}", what_);
    v.resize(n);
    if (n) std::memcpy(v.data(), p_, n * sizeof(double));
    p_ += n * sizeof(double);
  }
  std::string_view rest() {
    std::string_view r(p_, remaining());
    p_ = end_;
    return r;
  }
  bool done() const { return p_ == end_; }
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  void need(std::size_t n) const {
    if (remaining() < n) throw InternalError("truncated {}", what_);
  }
  const char* p_;
  const char* end_;
  const char* what_;
};

}  // namespace sb::bytes
