// Shared by the fuzz targets: the loaders under test read paths, so each
// input is written to one scratch file per fuzzer process.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

namespace sb::fuzz {

// Rewrites the scratch file with `data` and returns its path. The name
// carries the pid so two fuzzers running at once never share a file. It is
// in memory (/dev/shm) when possible: every input rewrites it, and the disk
// need not see that.
inline const std::string& write_scratch(const std::uint8_t* data, std::size_t size, const char* suffix) {
  static const std::string path = std::string(access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp") +
                                  "/sb_fuzz_" + std::to_string(static_cast<long>(getpid())) + suffix;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) __builtin_trap();  // not a finding in the code under test, but must not pass silently
  if (size != 0 && std::fwrite(data, 1, size, f) != size) __builtin_trap();
  std::fclose(f);
  return path;
}

}  // namespace sb::fuzz
