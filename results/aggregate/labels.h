// Short labels for tables: a label shows only the parameters that vary
// within the study, as Google Benchmark names show only the arguments of a
// family. `spurious[batch_size=128,core_strength=2,...]` becomes
// `spurious[core_strength=2]` when the other parameters are the same for
// every `spurious` entry of the records shown.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "results/records.h"

namespace sb {

// Shortened labels of `labels` ("name[k=v,...]" or "name"): per name, the
// parameters whose value is the same in every label of that name are
// dropped (a parameter missing from some label of the name varies). Distinct
// labels stay distinct. Keys: the given labels.
std::map<std::string, std::string> short_labels(const std::vector<std::string>& labels);

// Rewrites the dataset and method labels of `records` with short_labels,
// suite by suite (over the records given, so a filter changes what varies).
void shorten_labels(std::vector<CellRecord>& records);

}  // namespace sb
