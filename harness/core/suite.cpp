#include "harness/core/suite.h"

#include "harness/core/errors.h"

namespace sb {

namespace {
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
std::uint64_t fnv1a64(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}
}  // namespace

std::uint64_t derive_seed(std::uint64_t seed, const std::string& stream) {
  return splitmix64(splitmix64(seed) ^ fnv1a64(stream));
}

}  // namespace sb

namespace sb {

const CellOutput& CellCache::reference(const std::string& name) const {
  for (const auto& [n, output] : references_)
    if (n == name && output) return *output;
  throw InternalError("the cell asked for reference '{}', which the suite's references_of() does not give it",
                      name);
}

CellOutput Suite::compute_reference(const ReferenceSpec& reference, CellCache& cache) const {
  (void)cache;
  throw InternalError("suite '{}' declares no way to compute reference '{}'", reference.suite, reference.name);
}

CellOutput run_cell_in_process(const Suite& suite, const CellSpec& cell, CellCache& cache) {
  std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> references;
  for (auto& request : suite.references_of(cell)) {
    const ReferenceSpec spec{cell.suite, request.name, std::move(request.params), cell.seed};
    references.emplace_back(spec.name, std::make_shared<const CellOutput>(suite.compute_reference(spec, cache)));
  }
  cache.set_references(std::move(references));
  return suite.run(cell, cache);
}

}  // namespace sb
