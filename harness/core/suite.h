// The interface between the harness and a suite. The farm sees CellSpec in
// and CellOutput out, never a suite's own data types; a suite grades its
// methods (a method never computes its own metrics).
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/core/cell_output.h"
#include "harness/core/external.h"
#include "harness/core/params.h"
#include "harness/core/registry.h"

namespace sb {

// One cell of the grid: suite x dataset(params) x method(params) x seed.
struct CellSpec {
  std::string suite;
  std::string dataset;
  ParamSet dataset_params;
  std::string method;
  ParamSet method_params;
  std::uint64_t seed = 0;
  // Set when the method is an external command (a config's [[methods]] with
  // `command`): the suite runs it through its file protocol
  // (harness/core/external.h) instead of its registry.
  std::shared_ptr<const ExternalMethod> external;
};

// A shared computation cells depend on (a trained base model, a retrain
// oracle, an exact ground truth), declared by the suite with its own typed
// parameters (Suite::references(): a ComponentInfo of kind "reference" whose
// params are declared like a method's); the seed is the cell's. The planner
// adds each distinct one once to the plan, the farm computes it once per run
// on some rank, the database keeps it (resume and new methods reuse it), and
// the cells that need it receive its output (docs/ARCHITECTURE.md,
// "References").
struct ReferenceRequest {
  std::string name;  // a reference the suite declares in references()
  ParamSet params;   // its declared parameters (the planner fills defaults and checks them)
  // It is computed from the cell's dataset: the dataset's name, version and
  // parameters are part of its identity, and ReferenceSpec carries them.
  bool of_dataset = true;
};
struct ReferenceSpec {
  std::string suite;
  std::string name;
  ParamSet params;          // complete: every declared parameter
  std::string dataset;      // empty unless the request is of_dataset
  ParamSet dataset_params;  // the dataset's (complete), when of_dataset
  std::uint64_t seed = 0;
};

// A cell whose method's work is a sum over `units` independent units
// (permutations, sampled subsets, bootstrap models, Monte Carlo draws): the
// planner splits it into parts of `units_per_part` units (the last may be
// smaller), the farm runs the parts anywhere as references of the cell, and
// the cell reduces their outputs in part order (cache.parts()). The split
// must not depend on the number of ranks, so results do not either.
struct CellSplit {
  std::uint64_t units = 0;
  std::uint64_t units_per_part = 0;
};

// Per-worker cache of expensive shared inputs (a generated data set, a
// trained base model), keyed by a string the suite builds from the dataset
// name, its params and the seed. Keeps the most recently used entries.
class CellCache {
 public:
  explicit CellCache(size_t capacity = 4) : capacity_(capacity) {}

  template <class T>
  std::shared_ptr<const T> get_or_make(const std::string& key,
                                       const std::function<std::shared_ptr<const T>()>& make) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        entries_.splice(entries_.begin(), entries_, it);  // most recent first
        return std::static_pointer_cast<const T>(entries_.front().second);
      }
    }
    std::shared_ptr<const T> made = make();
    entries_.emplace_front(key, made);
    if (entries_.size() > capacity_) entries_.pop_back();
    return made;
  }

  size_t size() const { return entries_.size(); }
  void clear() { entries_.clear(); }

  // The output of the running cell's reference `name` (Suite::references_of);
  // throws InternalError when the cell has none of that name.
  const CellOutput& reference(const std::string& name) const;
  // The outputs of the running cell's parts (Suite::split_of), in part
  // order; empty for a cell that is not split.
  std::vector<const CellOutput*> parts() const;
  // Set by the executor before each cell.
  void set_references(std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> references) {
    references_ = std::move(references);
  }

 private:
  size_t capacity_;
  std::list<std::pair<std::string, std::shared_ptr<const void>>> entries_;
  std::vector<std::pair<std::string, std::shared_ptr<const CellOutput>>> references_;
};

class Suite {
 public:
  virtual ~Suite() = default;

  // Every dataset/scenario and method of this suite (ComponentInfo with
  // kind "dataset" / "method"), for validation, grids and `shardbench list`.
  virtual std::vector<ComponentInfo> datasets() const = 0;
  virtual std::vector<ComponentInfo> methods() const = 0;
  // The metrics this suite records, each declaring its direction.
  virtual std::vector<MetricInfo> metrics() const = 0;

  // Empty if `method` can run on `dataset`, else the reason. Checked for
  // every cell before anything runs (a config error, exit 2).
  virtual std::string incompatibility(const CellSpec& cell) const {
    (void)cell;
    return "";
  }

  // Checks the data files a dataset's parameters point at (headers, shapes,
  // labels), once per distinct dataset parameters at planning: bad data is a
  // config error (exit 2, nothing written) instead of a failure in every
  // cell. Throws InputError naming the file, field and value.
  virtual void validate_dataset(const std::string& dataset, const ParamSet& params) const {
    (void)dataset;
    (void)params;
  }

  // Runs one cell. Throws (any std::exception) when the method fails; the
  // harness records the message as the cell's error. The cell's references
  // are in cache.reference(name).
  virtual CellOutput run(const CellSpec& cell, CellCache& cache) const = 0;

  // References (above): the ones this suite declares (ComponentInfo of kind
  // "reference": name, version, parameters, doc), the ones a cell of `cell`'s
  // dataset and method needs (its seed is ignored: a reference takes the
  // cell's seed), and how one is computed. Its output travels to the cells
  // whole (metrics are recorded with it; artifacts carry the payload, in the
  // suite's own encoding). Default: none.
  virtual std::vector<ComponentInfo> references() const { return {}; }
  virtual std::vector<ReferenceRequest> references_of(const CellSpec& cell) const {
    (void)cell;
    return {};
  }
  virtual CellOutput compute_reference(const ReferenceSpec& reference, CellCache& cache) const;

  // Split cells (CellSplit above): how a cell of `cell`'s dataset and method
  // splits (nullopt: it does not), and one part: units [begin, end) of the
  // cell with `cell.seed`. Default: no cell splits.
  virtual std::optional<CellSplit> split_of(const CellSpec& cell) const {
    (void)cell;
    return std::nullopt;
  }
  virtual CellOutput run_part(const CellSpec& cell, std::uint64_t begin, std::uint64_t end, CellCache& cache) const;
};

using SuiteRegistry = Registry<Suite>;

// The reference name of part `index` of a split cell ("part/<index>").
inline constexpr const char* kPartReferencePrefix = "part/";
inline std::string part_reference_name(std::uint64_t index) {
  return kPartReferencePrefix + std::to_string(index);
}

// The reference `request` of a cell of `cell`'s dataset checked against its
// declaration in `declared` (defaults filled in), with the cell's dataset
// when it is of_dataset and the cell's seed. Throws InternalError (a suite
// bug) for an undeclared reference or parameter, or a value out of range.
ReferenceSpec resolve_reference(const std::vector<ComponentInfo>& declared, const CellSpec& cell,
                                ReferenceRequest request);

// Runs `cell` as the harness would, its references computed here in this
// process first (for tests and tools; a run computes each once and ships it).
CellOutput run_cell_in_process(const Suite& suite, const CellSpec& cell, CellCache& cache);

// Deterministic seed for one random stream of a cell: the same (seed, stream)
// gives the same value on every rank and every run.
std::uint64_t derive_seed(std::uint64_t seed, const std::string& stream);

}  // namespace sb

// Registers a suite: SB_REGISTER_SUITE(MySuite, "mysuite").version("1");
#define SB_REGISTER_SUITE(Type, name) \
  SB_REGISTER_COMPONENT(::sb::Suite, Type, name, "suite", name)
