// Planning: a validated config expands into the ordered list of cells, each
// with its key. Order: dataset combination, then seed, then method
// combination, so neighbouring cells share a dataset replication (the farm
// sends contiguous chunks, and workers cache the shared inputs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/core/suite.h"
#include "harness/run/config.h"

namespace sb {

// What the cells of one (dataset combination, method combination) share:
// labels, canonical JSON and versions are computed once per combination, so a
// plan of 10^5 cells stays cheap to build on every rank.
struct PlannedArm {
  CellSpec spec;  // with seed 0; a cell's spec is this with the cell's seed
  std::string dataset_label;
  std::string method_label;
  std::string dataset_params_json;  // canonical JSON
  std::string method_params_json;
  std::string suite_version;
  std::string dataset_version;
  std::string method_version;
  // What keys hash instead, when the dataset or method reads user files
  // (planned with compute_keys): the dataset's parameters with the one that
  // locates its files replaced by "content:<hash>" of the files (unset: it
  // reads none), and the method's version followed by "+content:<hash>" of
  // its script and listed files (empty: none), so a changed file reruns its
  // cells and references and a moved one does not.
  std::optional<ParamSet> dataset_key_params;
  std::string method_key_version;

  // The dataset parameters and method version as keys hash them.
  std::string key_dataset_json() const {
    return dataset_key_params ? dataset_key_params->to_json() : dataset_params_json;
  }
  const std::string& key_method_version() const {
    return method_key_version.empty() ? method_version : method_key_version;
  }
};

// A user file (or folder) whose content entered cell keys: recorded in the
// run (docs/EXTERNAL.md, "Content-hashed inputs").
struct PlannedInput {
  std::string path;  // absolute
  std::string hash;  // 32 hex digits of its content (a folder: of its files, by name)
  std::int64_t size_bytes = 0;  // a folder: of its regular files
};

struct PlannedCell {
  std::uint32_t arm = 0;         // index into Plan::arms
  std::uint32_t seed_index = 0;  // position of `seed` in Plan::seeds
  std::uint64_t seed = 0;
  std::string key;               // empty when planned with compute_keys = false
};

// A distinct reference request (name + parameters) of some arm; with each
// seed of the plan it makes one PlannedReference.
struct ReferenceTemplate {
  std::string name;
  ParamSet params;  // its declared parameters, resolved (ReferenceSpec::params)
  // The dataset it is computed from (of_dataset requests; else empty).
  std::string dataset, dataset_version;
  ParamSet dataset_params;
  // Canonical JSON of its identity: its parameters, the dataset's and
  // "dataset" (one object: the keys of references planned before typed
  // reference parameters, so cells that have references keep their keys).
  std::string params_json;
  std::string label;        // "name[k=v,...]"
  std::string version;
  // A part of a split cell (Suite::split_of): units [begin, end) of the
  // cells of arm `arm`; computed by Suite::run_part.
  bool is_part = false;
  std::uint32_t arm = 0;
  std::uint64_t begin = 0, end = 0;
};

struct PlannedReference {
  std::uint32_t template_index = 0;  // into Plan::reference_templates
  std::uint64_t seed = 0;
  std::string key;  // empty when planned with compute_keys = false
};

// The work of a run: cells, and the references they depend on. Jobs are
// numbered cells first (0 .. cells.size()-1), then references.
struct Plan {
  std::string suite;
  std::vector<std::uint64_t> seeds;
  std::vector<PlannedArm> arms;
  std::vector<PlannedCell> cells;
  std::vector<ReferenceTemplate> reference_templates;
  std::vector<std::vector<std::uint32_t>> arm_references;  // per arm: template indices
  // seeds.size() per template, template-major: template t, seed position i
  // is references[t * seeds.size() + i].
  std::vector<PlannedReference> references;
  std::vector<PlannedInput> inputs;  // content-hashed inputs (compute_keys only), sorted by path

  const PlannedArm& arm_of(const PlannedCell& cell) const { return arms.at(cell.arm); }
  // The full description of cell `index` (a copy: use arms[].spec with the
  // seed set where cells are run in a loop).
  CellSpec spec_of(std::size_t index) const;

  std::size_t job_count() const { return cells.size() + references.size(); }
  bool is_reference_job(std::uint32_t job) const { return job >= cells.size(); }
  std::uint32_t reference_job(std::size_t reference) const {
    return static_cast<std::uint32_t>(cells.size() + reference);
  }
  const PlannedReference& reference_of_job(std::uint32_t job) const { return references.at(job - cells.size()); }
  // The jobs (reference jobs) cell `index` depends on, in its arm's order.
  std::vector<std::uint32_t> reference_jobs_of(std::size_t index) const;
  ReferenceSpec reference_spec(std::uint32_t job) const;
  const ReferenceTemplate& template_of_job(std::uint32_t job) const {
    return reference_templates.at(reference_of_job(job).template_index);
  }
  const std::string& reference_label(std::uint32_t job) const {
    return reference_templates.at(reference_of_job(job).template_index).label;
  }
};

// Largest grid planned unless --max-cells says otherwise: a plan costs about
// 100 bytes per cell on every rank, so 10^8 cells is ~10 GB.
inline constexpr std::uint64_t kDefaultMaxCells = 100'000'000;

struct PlanOptions {
  std::vector<std::string> only_methods;   // --only/--method: method names or globs (empty = all)
  std::string only_methods_option = "--only";  // which of the two the user gave (messages)
  std::vector<std::string> only_datasets;  // --dataset: dataset names or globs (empty = all)
  std::vector<std::string> overrides;      // -s kind.param=v1,v2 (config_edits.h)
  std::int64_t seeds_override = 0;        // --seeds N: seeds 0..N-1 (0 = use the config's)
  bool compute_keys = true;  // false: PlannedCell::key stays empty (workers run cells by index)
  std::uint64_t max_cells = kDefaultMaxCells;  // --max-cells
  // Suite::validate_dataset for each dataset combination (reads user data
  // files): set by the rank that plans a run, not by workers or `status`.
  bool validate_datasets = false;
};

// The number of cells of the grid (datasets x seeds x methods, after --only
// and --seeds), counted from the config's list lengths without expanding
// anything; saturates at UINT64_MAX.
std::uint64_t count_cells(const ExperimentConfig& config, const PlanOptions& options);

// Validates names, parameters and compatibility against the registries and
// expands the grid. Throws InputError listing every problem (file:line); a
// grid of more than options.max_cells cells is refused before anything is
// allocated, and a (dataset or method) combination planned twice -- by two
// tables, or by one list naming a value twice -- is refused with both lines.
Plan make_plan(const ExperimentConfig& config, const PlanOptions& options);

// The canonical description hashed into a cell key (one line; documented in
// docs/ARCHITECTURE.md, "Cells, keys and resume", so that users can recompute keys).
struct ComponentVersions {
  std::string suite, dataset, method;
};
// `references`: the cell's references as "name@version{params}" joined by
// ';' (empty for cells without; then the text is as before references).
std::string canonical_cell_text(const CellSpec& spec, const ComponentVersions& versions,
                                const std::string& references = "");
// The canonical text and key of a reference (docs/ARCHITECTURE.md, "References").
std::string canonical_reference_text(const std::string& suite, const std::string& suite_version,
                                     const ReferenceTemplate& reference, std::uint64_t seed);
std::string reference_key(const std::string& suite, const std::string& suite_version,
                          const ReferenceTemplate& reference, std::uint64_t seed);
// 32 hex digits (128 bits) of the canonical text.
std::string cell_key(const CellSpec& spec, const ComponentVersions& versions, const std::string& references = "");

// Shard of a 32-hex-digit key for I/N: its first 64 bits mod N.
int shard_of(const std::string& key, int shard_count);

// --shard I/N keeps together the cells that share work: those of one dataset
// replication (suite, dataset, its version and parameters, seed), which
// share the generated data and every reference computed from it (a trained
// base model, a retrain oracle, exact values). The group's text below is
// hashed like a key; its shard depends on nothing else, so a cell stays in
// its shard when methods, datasets or seeds are added. Trade-off: a shard's
// work comes in units of one replication's methods, so balance needs many
// more replications than shards (docs/CLUSTERS.md, "Shards").
std::string shard_group_text(const Plan& plan, std::size_t cell_index);
int shard_of_cell(const Plan& plan, std::size_t cell_index, int shard_count);

// The suite named `name`; InputError listing the valid ones when unknown.
std::unique_ptr<Suite> make_suite(const std::string& name);

}  // namespace sb
