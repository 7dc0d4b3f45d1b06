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

// Cells of different methods (name, parameters or version) or different
// datasets (name or parameters) that carry one label -- a config `label`
// reused for another method in a later run, or cells left from an older
// version of a method -- would be pooled into one row. Each such label gets
// what tells its cells apart appended, per suite: "mine (sample-mean)",
// "mine (trim=0.2)", "huber-mean (version 1)", "loo (suite version 2)" (cells
// graded by another version of the suite). Labels of one identity are left
// unchanged.
void separate_shared_labels(std::vector<CellRecord>& records);

// Rewrites the dataset and method labels of `records` with short_labels,
// suite by suite (over the records given, so a filter changes what varies).
void shorten_labels(std::vector<CellRecord>& records);

}  // namespace sb
