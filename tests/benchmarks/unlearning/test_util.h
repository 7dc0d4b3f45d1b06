// Shared by the unlearning method tests: a built-in dataset's parameters
// resolved as a config would, and one unlearner trained and run on a
// prepared replication the way the suite does (ctx fields, seeds).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "benchmarks/unlearning/protocol.h"
#include "harness/core/errors.h"
#include "harness/core/suite.h"

namespace sb::unlearning::test_util {

using Given = std::map<std::string, ParamValue>;

// The parameters of the unlearning suite's dataset `name`, defaults filled in.
inline ParamSet dataset_params(const std::string &name, const Given &given) {
  for (auto &info : SuiteRegistry::instance().find("unlearning")->make(ParamSet{})->datasets())
    if (info.name == name) return resolve_params(info.params, given, "dataset " + name);
  throw InternalError("no unlearning dataset {}", name);
}

// Trains and runs `method` on `p` (or on `data` in its place, e.g. a request
// view). The base network's seed is the replication's (mlp_seed(3): the
// tests prepare with seed 3), so MLP methods start from p.original.
inline UnlearnedModel run_method(const Prepared &p, const std::string &method, const Given &given = {},
                                 const UnlearningData *data = nullptr, std::uint64_t seed = 11) {
  const auto *entry = UnlearnerRegistry::instance().find(method);
  auto unlearner = entry->make(resolve_params(entry->info.params, given, method));
  UnlearningContext ctx;
  ctx.data = data ? data : &p.data;
  ctx.model = p.model;
  ctx.base = p.base;
  ctx.original = &p.original;
  ctx.seed = seed;
  ctx.base_seed = mlp_seed(3);
  unlearner->train(ctx);
  return unlearner->unlearn(ctx);
}

}  // namespace sb::unlearning::test_util
