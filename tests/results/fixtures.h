// Hand-made records shared by the results tests.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "harness/core/errors.h"
#include "results/records.h"
#include "results/render/paper_table.h"

namespace sb::testing {

inline CellRecord make_cell(const std::string& suite, const std::string& dataset,
                            const std::string& method, std::int64_t seed,
                            std::vector<std::pair<std::string, double>> metrics,
                            const std::string& status = "ok") {
  CellRecord r;
  r.key = suite + "/" + dataset + "/" + method + "/" + std::to_string(seed);
  r.suite = suite;
  r.dataset = dataset.substr(0, dataset.find('['));
  r.dataset_label = dataset;
  r.method = method.substr(0, method.find('['));
  r.method_label = method;
  r.seed = seed;
  r.status = *parse_cell_status(status);
  if (status != "ok") {
    r.error = "boom";
  } else {
    r.metrics = std::move(metrics);
  }
  r.wall_seconds = 1.0 + static_cast<double>(seed);
  r.method_seconds = 0.5;
  return r;
}

// Suite "toy": 3 datasets x 3 methods x 3 seeds. Per-cell acc = base + delta
// with delta = -0.05, 0, +0.05 for seeds 0, 1, 2 (so the mean is `base`,
// sd 0.05); loss = 1 - acc; "acc/near" = acc; "mystery" has no declared
// direction. One extra failed cell: B on d1, seed 3 (status error).
//   base acc     A     B     C
//   d1          0.9   0.8   0.7
//   d2          0.6   0.6   0.9
//   d3          0.5   0.7   0.6
inline std::vector<CellRecord> toy_records() {
  const std::vector<std::string> datasets = {"d1[n=10]", "d2[n=10]", "d3[n=10]"};
  const std::vector<std::string> methods = {"A", "B[k=2]", "C"};
  const double base[3][3] = {{0.9, 0.8, 0.7}, {0.6, 0.6, 0.9}, {0.5, 0.7, 0.6}};
  const double delta[3] = {-0.05, 0.0, 0.05};
  std::vector<CellRecord> out;
  for (int d = 0; d < 3; ++d) {
    for (int m = 0; m < 3; ++m) {
      for (int s = 0; s < 3; ++s) {
        const double acc = base[d][m] + delta[s];
        out.push_back(make_cell("toy", datasets[d], methods[m], s,
                                {{"acc", acc}, {"loss", 1 - acc}, {"acc/near", acc},
                                 {"mystery", static_cast<double>(m)}}));
      }
    }
  }
  out.push_back(make_cell("toy", "d1[n=10]", "B[k=2]", 3, {}, "error"));
  return out;
}

inline std::vector<MetricInfo> toy_infos() {
  return {{"acc", true, "accuracy"}, {"loss", false, "loss"}};
}

// The message of the InputError a paper spec's text raises ("" when it parses).
inline std::string paper_spec_error(const std::string& text) {
  try {
    parse_paper_spec(text, "spec.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace sb::testing
