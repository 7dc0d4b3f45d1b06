#include "harness/core/cell_output.h"

#include <algorithm>

#include "harness/core/bytes.h"

namespace sb {

void encode_cell_output(const CellOutput& output, std::string& out) {
  bytes::put(out, output.method_seconds);
  bytes::put(out, static_cast<std::uint32_t>(output.metrics.size()));
  for (const auto& [name, value] : output.metrics) {
    bytes::put_string(out, name);
    bytes::put(out, value);
  }
  bytes::put(out, static_cast<std::uint32_t>(output.artifacts.size()));
  for (const auto& a : output.artifacts) {
    bytes::put_string(out, a.name);
    bytes::put(out, static_cast<std::uint64_t>(a.values.size()));
    out.append(reinterpret_cast<const char*>(a.values.data()), a.values.size() * sizeof(double));
  }
}

namespace {

void read_cell_output(bytes::Reader& r, CellOutput& output) {
  output.method_seconds = r.get<double>();
  const auto metric_count = r.get<std::uint32_t>();
  // A count from the input bounds nothing: reserve only what the bytes can
  // hold (a metric takes at least 12 bytes: name length and value).
  output.metrics.reserve(std::min<std::size_t>(metric_count, r.remaining() / 12));
  for (std::uint32_t i = 0; i < metric_count; ++i) {
    auto name = r.get_string();
    output.metrics.emplace_back(std::move(name), r.get<double>());
  }
  const auto artifact_count = r.get<std::uint32_t>();
  for (std::uint32_t i = 0; i < artifact_count; ++i) {
    Artifact a;
    a.name = r.get_string();
    r.get_doubles(a.values, r.get<std::uint64_t>());
    output.artifacts.push_back(std::move(a));
  }
}

}  // namespace

CellOutput decode_cell_output(std::string_view data) {
  bytes::Reader r(data, "cell output");
  CellOutput output;
  read_cell_output(r, output);
  if (!r.done()) throw InternalError("cell output has {} trailing bytes", r.remaining());
  return output;
}

}  // namespace sb
