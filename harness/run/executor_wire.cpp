#include "harness/run/executor_wire.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "harness/core/errors.h"

namespace sb::executor_wire {

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n == 0) return false;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

namespace {

void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_str(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

}  // namespace

std::string encode_setup(const Setup& s) {
  std::string body;
  put_str(body, s.options.config_path);
  put_str(body, s.options.config_text);
  put_u64(body, s.options.only_methods.size());
  for (const auto& m : s.options.only_methods) put_str(body, m);
  put_u64(body, s.options.only_datasets.size());
  for (const auto& d : s.options.only_datasets) put_str(body, d);
  put_u64(body, s.options.overrides.size());
  for (const auto& o : s.options.overrides) put_str(body, o);
  put_u64(body, static_cast<std::uint64_t>(s.options.seeds_override));
  put_u64(body, s.options.memory_limit_bytes);
  put_u64(body, static_cast<std::uint64_t>(s.rank));
  std::string msg;
  put_u64(msg, body.size());
  return msg + body;
}

Setup decode_setup(std::string_view body) {
  size_t pos = 0;
  auto u64 = [&] {
    std::uint64_t v = 0;
    if (body.size() - pos < sizeof v) throw InternalError("truncated executor setup message");
    std::memcpy(&v, body.data() + pos, sizeof v);
    pos += sizeof v;
    return v;
  };
  auto str = [&] {
    auto n = u64();
    if (body.size() - pos < n) throw InternalError("truncated executor setup message");
    std::string v(body.substr(pos, n));
    pos += n;
    return v;
  };
  Setup s;
  s.options.config_path = str();
  s.options.config_text = str();
  for (auto n = u64(); n > 0; --n) s.options.only_methods.push_back(str());
  for (auto n = u64(); n > 0; --n) s.options.only_datasets.push_back(str());
  for (auto n = u64(); n > 0; --n) s.options.overrides.push_back(str());
  s.options.seeds_override = static_cast<std::int64_t>(u64());
  s.options.memory_limit_bytes = u64();
  s.rank = static_cast<std::int32_t>(u64());
  if (pos != body.size()) throw InternalError("executor setup message has {} trailing bytes", body.size() - pos);
  return s;
}

bool read_setup(int fd, Setup& s) {
  std::uint64_t size = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&size), sizeof size) || size > (1u << 30)) return false;
  std::string body(size, '\0');
  if (!read_all(fd, body.data(), size)) return false;
  s = decode_setup(body);
  return true;
}

// A method that throws a 50 MiB message must not bloat the database.
std::string clip_message(const char* what) {
  std::string_view s(what ? what : "");
  if (s.size() <= kMaxErrorMessageBytes) return std::string(s);
  size_t cut = kMaxErrorMessageBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return fmt::format("{}... [message truncated: {} bytes in all]", s.substr(0, cut), s.size());
}

std::string output_section(int fd) {
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0) return "";
  const auto total = static_cast<size_t>(st.st_size);
  const size_t n = std::min(total, kMaxCellOutputBytes);
  std::string tail(n, '\0');
  ssize_t got = pread(fd, tail.data(), n, static_cast<off_t>(total - n));
  if (got <= 0) return "";
  tail.resize(static_cast<size_t>(got));
  size_t start = 0;  // drop a partial UTF-8 character at the cut
  if (n < total) {
    while (start < tail.size() && (static_cast<unsigned char>(tail[start]) & 0xC0) == 0x80) ++start;
  }
  std::string head = n < total ? fmt::format("last {} of {} bytes", tail.size() - start, total)
                               : fmt::format("{} bytes", total);
  return fmt::format("\n--- cell output ({}) ---\n{}", head, std::string_view(tail).substr(start));
}

}  // namespace sb::executor_wire
