#include "harness/run/outcome.h"

#include <algorithm>
#include <cstring>

#include "harness/core/bytes.h"
#include "harness/core/errors.h"

namespace sb {

void encode_outcome(const CellOutcome& o, std::string& out) {
  const size_t start = out.size();
  bytes::put(out, std::uint32_t{0});  // frame length, patched below
  bytes::put(out, o.index);
  bytes::put(out, static_cast<std::uint8_t>(o.status));
  bytes::put_string(out, o.error);
  bytes::put(out, o.wall_seconds);
  bytes::put(out, o.cpu_seconds);
  bytes::put(out, o.peak_rss_kb);
  bytes::put(out, o.rank);
  encode_cell_output(o.output, out);
  auto length = static_cast<std::uint32_t>(out.size() - start - sizeof(std::uint32_t));
  std::memcpy(out.data() + start, &length, sizeof length);
}

void decode_outcomes(std::string& buffer, std::vector<CellOutcome>& out) {
  size_t pos = 0;
  while (buffer.size() - pos >= sizeof(std::uint32_t)) {
    std::uint32_t length;
    std::memcpy(&length, buffer.data() + pos, sizeof length);
    if (buffer.size() - pos - sizeof length < length) break;
    bytes::Reader r(std::string_view(buffer).substr(pos + sizeof length, length), "cell outcome record");
    CellOutcome o;
    o.index = r.get<std::uint32_t>();
    const auto status = r.get<std::uint8_t>();
    if (status > static_cast<std::uint8_t>(CellStatus::kCrashed)) {
      throw InternalError("cell outcome frame: status code {}", status);
    }
    o.status = static_cast<CellStatus>(status);
    o.error = r.get_string();
    o.wall_seconds = r.get<double>();
    o.cpu_seconds = r.get<double>();
    o.peak_rss_kb = r.get<std::int64_t>();
    o.rank = r.get<std::int32_t>();
    o.output = decode_cell_output(r.rest());
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
