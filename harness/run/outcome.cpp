#include "harness/run/outcome.h"

#include <algorithm>
#include <cstring>

#include "harness/core/errors.h"

namespace sb {

namespace {

template <class T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_string(std::string& out, const std::string& s) {
  put(out, static_cast<std::uint32_t>(s.size()));
  out.append(s);
}

class Reader {
 public:
  Reader(const char* data, size_t size) : p_(data), end_(data + size) {}
  template <class T>
  T get() {
    T v;
    need(sizeof v);
    std::memcpy(&v, p_, sizeof v);
    p_ += sizeof v;
    return v;
  }
  std::string get_string() {
    auto n = get<std::uint32_t>();
    need(n);
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  void get_doubles(std::vector<double>& v, std::uint64_t n) {
    // Counts come from the wire: compare without multiplying (no overflow).
    if (n > remaining() / sizeof(double)) throw InternalError("truncated cell outcome record");
    v.resize(n);
    if (n) std::memcpy(v.data(), p_, n * sizeof(double));
    p_ += n * sizeof(double);
  }
  bool done() const { return p_ == end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

 private:
  void need(size_t n) const {
    if (static_cast<size_t>(end_ - p_) < n) throw InternalError("truncated cell outcome record");
  }
  const char* p_;
  const char* end_;
};

}  // namespace

void encode_outcome(const CellOutcome& o, std::string& out) {
  size_t start = out.size();
  put(out, std::uint32_t{0});  // frame length, patched below
  put(out, o.index);
  put(out, static_cast<std::uint8_t>(o.status));
  put_string(out, o.error);
  put(out, o.wall_seconds);
  put(out, o.cpu_seconds);
  put(out, o.output.method_seconds);
  put(out, o.peak_rss_kb);
  put(out, o.rank);
  put(out, static_cast<std::uint32_t>(o.output.metrics.size()));
  for (const auto& [name, value] : o.output.metrics) {
    put_string(out, name);
    put(out, value);
  }
  put(out, static_cast<std::uint32_t>(o.output.artifacts.size()));
  for (const auto& a : o.output.artifacts) {
    put_string(out, a.name);
    put(out, static_cast<std::uint64_t>(a.values.size()));
    out.append(reinterpret_cast<const char*>(a.values.data()), a.values.size() * sizeof(double));
  }
  auto length = static_cast<std::uint32_t>(out.size() - start - sizeof(std::uint32_t));
  std::memcpy(out.data() + start, &length, sizeof length);
}

void decode_outcomes(std::string& buffer, std::vector<CellOutcome>& out) {
  size_t pos = 0;
  while (buffer.size() - pos >= sizeof(std::uint32_t)) {
    std::uint32_t length;
    std::memcpy(&length, buffer.data() + pos, sizeof length);
    if (buffer.size() - pos - sizeof length < length) break;
    Reader r(buffer.data() + pos + sizeof length, length);
    CellOutcome o;
    o.index = r.get<std::uint32_t>();
    const auto status = r.get<std::uint8_t>();
    if (status > static_cast<std::uint8_t>(CellStatus::kCrashed)) throw InternalError("cell outcome frame: status code {}", status);
    o.status = static_cast<CellStatus>(status);
    o.error = r.get_string();
    o.wall_seconds = r.get<double>();
    o.cpu_seconds = r.get<double>();
    o.output.method_seconds = r.get<double>();
    o.peak_rss_kb = r.get<std::int64_t>();
    o.rank = r.get<std::int32_t>();
    auto metric_count = r.get<std::uint32_t>();
    // A count from the wire bounds nothing: reserve only what the frame can
    // hold (a metric takes at least 12 bytes: name length and value).
    o.output.metrics.reserve(std::min<size_t>(metric_count, r.remaining() / 12));
    for (std::uint32_t i = 0; i < metric_count; ++i) {
      auto name = r.get_string();
      o.output.metrics.emplace_back(std::move(name), r.get<double>());
    }
    auto artifact_count = r.get<std::uint32_t>();
    for (std::uint32_t i = 0; i < artifact_count; ++i) {
      Artifact a;
      a.name = r.get_string();
      r.get_doubles(a.values, r.get<std::uint64_t>());
      o.output.artifacts.push_back(std::move(a));
    }
    if (!r.done()) throw InternalError("cell outcome record has {} trailing bytes", length);
    out.push_back(std::move(o));
    pos += sizeof length + length;
  }
  buffer.erase(0, pos);
}

std::string encode_indices(const std::vector<std::uint32_t>& indices) {
  return std::string(reinterpret_cast<const char*>(indices.data()), indices.size() * sizeof(std::uint32_t));
}

std::vector<std::uint32_t> decode_indices(std::string_view bytes) {
  if (bytes.size() % sizeof(std::uint32_t)) throw InternalError("malformed cell index list");
  std::vector<std::uint32_t> out(bytes.size() / sizeof(std::uint32_t));
  if (!out.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
  return out;
}

}  // namespace sb
