#include "harness/core/suite.h"

#include "harness/core/errors.h"

#include <algorithm>

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

std::vector<const CellOutput*> CellCache::parts() const {
  std::vector<const CellOutput*> out;
  for (const auto& [name, output] : references_) {
    if (name.rfind(kPartReferencePrefix, 0) == 0) out.push_back(output.get());
  }
  return out;
}

CellOutput Suite::run_part(const CellSpec& cell, std::uint64_t begin, std::uint64_t end, CellCache& cache) const {
  (void)begin;
  (void)end;
  (void)cache;
  throw InternalError("suite '{}' splits method '{}' but has no run_part", cell.suite, cell.method);
}

CellOutput Suite::compute_reference(const ReferenceSpec& reference, CellCache& cache) const {
  (void)cache;
  throw InternalError("suite '{}' declares no way to compute reference '{}'", reference.suite, reference.name);
}

ReferenceSpec resolve_reference(const std::vector<ComponentInfo>& declared, const CellSpec& cell,
                                ReferenceRequest request) {
  const ComponentInfo* info = find_component(declared, request.name);
  SB_THROW_IF_NOT(InternalError, info != nullptr,
                  "suite '{}' asks for reference '{}', which its references() does not declare", cell.suite,
                  request.name);
  ReferenceSpec spec;
  spec.suite = cell.suite;
  spec.name = std::move(request.name);
  try {
    spec.params = resolve_params(info->params, request.params.values(),
                                 fmt::format("reference '{}' of suite '{}'", spec.name, cell.suite));
  } catch (const InputError& e) {
    throw InternalError("{} (the suite's references_of() built these parameters)", e.what());
  }
  if (request.of_dataset) {
    spec.dataset = cell.dataset;
    spec.dataset_params = cell.dataset_params;
  }
  spec.seed = cell.seed;
  return spec;
}

CellOutput run_cell_in_process(const Suite& suite, const CellSpec& cell, CellCache& cache) {
  std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> references;
  if (const auto split = suite.split_of(cell)) {
    const std::uint64_t per = std::max<std::uint64_t>(1, split->units_per_part);
    for (std::uint64_t begin = 0, part = 0; begin < split->units; begin += per, ++part) {
      const std::uint64_t end = std::min(split->units, begin + per);
      references.emplace_back(part_reference_name(part),
                              std::make_shared<const CellOutput>(suite.run_part(cell, begin, end, cache)));
    }
  }
  const auto declared = suite.references();
  for (auto& request : suite.references_of(cell)) {
    const ReferenceSpec spec = resolve_reference(declared, cell, std::move(request));
    references.emplace_back(spec.name, std::make_shared<const CellOutput>(suite.compute_reference(spec, cache)));
  }
  cache.set_references(std::move(references));
  return suite.run(cell, cache);
}

}  // namespace sb
