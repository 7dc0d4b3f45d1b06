// The 128-bit fingerprint of cell keys and content hashes (not
// cryptographic; keys are no security boundary).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace sb {

inline std::uint64_t mix64(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// Two independent 64-bit FNV-1a streams, each finalised with a murmur mixer:
// a 128-bit fingerprint, ample against collisions for any grid (not a
// cryptographic hash; keys are not a security boundary). Streaming, so that
// the state after an arm's canonical prefix is computed once and each cell
// only hashes its seed.
class Hash128 {
 public:
  void add(std::string_view text) {
    for (unsigned char c : text) {
      a_ = (a_ ^ c) * 0x100000001b3ULL;
      b_ = (b_ ^ (c + 0x9eU)) * 0x00000100000001b3ULL * 3 + 0x9e3779b97f4a7c15ULL;
    }
    size_ += text.size();
  }
  std::pair<std::uint64_t, std::uint64_t> finish() const {
    return {mix64(a_ ^ size_), mix64(b_ + size_ * 0x9e3779b97f4a7c15ULL)};
  }

 private:
  std::uint64_t a_ = 0xcbf29ce484222325ULL, b_ = 0x84222325cbf29ce4ULL;
  std::uint64_t size_ = 0;
};

inline // 32 lowercase hex digits of the 128-bit hash (by hand: fmt costs more than
// the hash itself, and rank 0 keys every cell of the grid).
std::string key_of_hash(const Hash128& hash) {
  const auto [a, b] = hash.finish();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string key(32, '0');
  for (int i = 0; i < 16; ++i) {
    key[static_cast<size_t>(15 - i)] = kHex[(a >> (4 * i)) & 15];
    key[static_cast<size_t>(31 - i)] = kHex[(b >> (4 * i)) & 15];
  }
  return key;
}

}  // namespace sb
