// Cell and reference identity: the canonical texts hashed into keys
// (docs/ARCHITECTURE.md, "Cells, keys and resume"), the shards of --shard I/N,
// and the keyed cell list of a plan.
#include "harness/run/plan_keys.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "harness/run/hash128.h"
#include "harness/run/plan.h"

namespace sb {

namespace {

// The canonical text of every cell of one (dataset, method) combination, up
// to its seed (computed once per combination, not once per cell).
std::string canonical_prefix(const std::string& suite, const std::string& dataset,
                             const std::string& dataset_json, const std::string& method,
                             const std::string& method_json, const ComponentVersions& v,
                             const std::string& references) {
  return fmt::format("shardbench-cell-v1|suite={}@{}|dataset={}@{}|dataset_params={}|method={}@{}|"
                     "method_params={}|{}seed=",
                     suite, v.suite, dataset, v.dataset, dataset_json, method, v.method, method_json,
                     references.empty() ? "" : "references=" + references + "|");
}

// "name@version{params};..." of an arm's references, for its cells' keys.
std::string references_text(const Plan& plan, const std::vector<std::uint32_t>& templates) {
  std::string out;
  for (auto t : templates) {
    const ReferenceTemplate& r = plan.reference_templates[t];
    out += (out.empty() ? "" : ";") + r.name + "@" + r.version + r.params_json;
  }
  return out;
}

}  // namespace

std::string canonical_cell_text(const CellSpec& s, const ComponentVersions& v, const std::string& references) {
  return canonical_prefix(s.suite, s.dataset, s.dataset_params.to_json(), s.method,
                          s.method_params.to_json(), v, references) +
         std::to_string(s.seed);
}

std::string canonical_reference_text(const std::string& suite, const std::string& suite_version,
                                     const ReferenceTemplate& r, std::uint64_t seed) {
  return fmt::format("shardbench-reference-v1|suite={}@{}|reference={}@{}|{}params={}|seed={}", suite,
                     suite_version, r.name, r.version,
                     r.dataset.empty() ? "" : "dataset=" + r.dataset + "@" + r.dataset_version + "|", r.params_json,
                     seed);
}

std::string reference_key(const std::string& suite, const std::string& suite_version, const ReferenceTemplate& r,
                          std::uint64_t seed) {
  Hash128 hash;
  hash.add(canonical_reference_text(suite, suite_version, r, seed));
  return key_of_hash(hash);
}

std::vector<std::uint32_t> Plan::reference_jobs_of(std::size_t index) const {
  const PlannedCell& cell = cells.at(index);
  std::vector<std::uint32_t> jobs;
  for (auto t : arm_references.at(cell.arm)) jobs.push_back(reference_job(t * seeds.size() + cell.seed_index));
  return jobs;
}

ReferenceSpec Plan::reference_spec(std::uint32_t job) const {
  const PlannedReference& r = reference_of_job(job);
  const ReferenceTemplate& t = reference_templates.at(r.template_index);
  return ReferenceSpec{suite, t.name, t.params, t.dataset, t.dataset_params, r.seed};
}

std::string cell_key(const CellSpec& spec, const ComponentVersions& versions, const std::string& references) {
  Hash128 hash;
  hash.add(canonical_cell_text(spec, versions, references));
  return key_of_hash(hash);
}

int shard_of(const std::string& key, int shard_count) {
  std::uint64_t h = std::stoull(key.substr(0, 16), nullptr, 16);
  return static_cast<int>(h % static_cast<std::uint64_t>(shard_count));
}

std::string shard_group_text(const Plan& plan, std::size_t index) {
  const PlannedCell& cell = plan.cells.at(index);
  const PlannedArm& arm = plan.arm_of(cell);
  return fmt::format("shardbench-shard-v1|suite={}|dataset={}@{}|dataset_params={}|seed={}", plan.suite,
                     arm.spec.dataset, arm.dataset_version, arm.dataset_params_json, cell.seed);
}

int shard_of_cell(const Plan& plan, std::size_t index, int shard_count) {
  Hash128 hash;
  hash.add(shard_group_text(plan, index));
  return shard_of(key_of_hash(hash), shard_count);
}

CellSpec Plan::spec_of(std::size_t index) const {
  const PlannedCell& cell = cells.at(index);
  CellSpec spec = arm_of(cell).spec;
  spec.seed = cell.seed;
  return spec;
}

// Keys hash the canonical text of the arm once, then only the seed per cell.
std::vector<PlannedCell> make_cells(const Plan& plan, const std::vector<std::uint64_t>& seeds,
                                    std::size_t n_datasets, std::size_t n_methods, bool compute_keys) {
  std::vector<Hash128> prefixes;  // hash state after the canonical text up to the seed, per arm
  if (compute_keys) {
    for (std::size_t a = 0; a < plan.arms.size(); ++a) {
      const PlannedArm& arm = plan.arms[a];
      prefixes.emplace_back().add(canonical_prefix(plan.suite, arm.spec.dataset, arm.key_dataset_json(),
                                                   arm.spec.method, arm.method_params_json,
                                                   {arm.suite_version, arm.dataset_version, arm.key_method_version()},
                                                   references_text(plan, plan.arm_references[a])));
    }
  }
  std::vector<PlannedCell> cells;
  cells.reserve(n_datasets * seeds.size() * n_methods);
  for (std::uint32_t di = 0; di < n_datasets; ++di) {
    for (std::uint32_t si = 0; si < seeds.size(); ++si) {
      const std::uint64_t seed = seeds[si];
      const std::string seed_text = std::to_string(seed);
      for (std::uint32_t mi = 0; mi < n_methods; ++mi) {
        PlannedCell c;
        c.arm = di * static_cast<std::uint32_t>(n_methods) + mi;
        c.seed_index = si;
        c.seed = seed;
        if (compute_keys) {
          Hash128 hash = prefixes[c.arm];
          hash.add(seed_text);
          c.key = key_of_hash(hash);
        }
        cells.push_back(std::move(c));
      }
    }
  }
  return cells;
}

}  // namespace sb
