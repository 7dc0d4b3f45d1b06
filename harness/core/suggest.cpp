#include "harness/core/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <limits>

namespace sb {
namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool contains(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char x, char y) { return lower(x) == lower(y); }) != haystack.end();
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the dynamic programme: d[i][j] = distance of a[:i], b[:j].
  const std::size_t m = b.size();
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    before.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

std::string did_you_mean(std::string_view given, const std::vector<std::string>& candidates) {
  const std::size_t typo_limit = std::max<std::size_t>(1, given.size() / 3);
  const std::string* best = nullptr;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto& c : candidates) {
    if (c == given) continue;
    const std::size_t d = edit_distance(given, c);
    const bool typo = d == 0 || (given.size() >= 3 && d <= typo_limit);  // one letter off "k" is anything
    const bool part = given.size() >= 3 && c.size() >= 3 && (contains(given, c) || contains(c, given));
    if ((typo || part) && d < best_distance) {
      best = &c;
      best_distance = d;
    }
  }
  return best ? fmt::format(", did you mean '{}'?", *best) : std::string();
}

}  // namespace sb
