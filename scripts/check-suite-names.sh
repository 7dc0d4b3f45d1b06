#!/usr/bin/env bash
# Fails when harness/ or results/ name a suite or a suite's metric: results
# code reaches a suite only through its registered view (results/view/), so
# that adding a suite edits nothing there (docs/ADDING-A-SUITE.md).
#   scripts/check-suite-names.sh [SOURCE_DIR]
# Suite names are the benchmarks/<suite>/ folders with C++ sources; metric
# names are the distinctive ones of the in-tree suites. Matching is whole-word
# and case-sensitive, comments included: a generic word (error, estimate,
# coverage, bias) or an upper-case acronym in prose ("OOD", "RMSE") is not a
# name as code spells it. Tests are exempt.
set -euo pipefail
ROOT="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
cd "$ROOT"
names=()
for dir in benchmarks/*/; do
  suite=$(basename "$dir")
  if find "$dir" -name '*.cpp' -not -path '*/bench/*' | grep -q .; then names+=("$suite"); fi
done
names+=(sq_error abs_error l2_error std_error ci_low ci_high ci_width covered coverage_gap mean_width
        infinite_fraction mean_ci_width median_abs_error rmse mae auroc aupr_in aupr_out fpr95 id_accuracy
        noisy_f1 precision_at_rate noisy_auroc remove_low_auc remove_high_auc wad loo_spearman
        loo_rel_l2 shapley_spearman shapley_rel_l2 banzhaf_spearman banzhaf_rel_l2 knn_shapley_spearman
        knn_shapley_rel_l2 model_fits select_10 select_20 select_50)
pattern=$(printf '%s\n' "${names[@]}")
hits=$(grep -rnwF -f <(echo "$pattern") harness results \
         --include='*.h' --include='*.cpp' --include='*.txt' --include='*.cmake' || true)
if [[ -n "$hits" ]]; then
  echo "suite or suite metric names in harness/ or results/ (move this into the suite's view):" >&2
  echo "$hits" >&2
  exit 1
fi
echo "ok: harness/ and results/ name none of: ${names[*]}"
