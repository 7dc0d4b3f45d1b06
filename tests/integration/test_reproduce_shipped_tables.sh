#!/usr/bin/env bash
# Two shipped specs whose configs run in seconds reproduce their published
# numbers end to end on mpirun -n 2, as scripts/reproduce-all.sh would:
# Lei et al. (2018) full and split conformal, jackknife and parametric
# intervals in Settings A, B and C (the lei2018-regression scenario, its full 10,000 seeds) and Park, Kim & Wang
# (2022) n x Var(median) at 4,000 seeds instead of 40,000 (the "mc"
# tolerances then follow from our Monte Carlo error at 4,000, so the spec
# must still pass), its Hodges-Lehmann companion at 2,000 seeds, and Boos &
# Stefanski (2013) Table 11.4 (both specs, one config) at 4,000 seeds.
source "$(dirname "$0")/lib.sh"

say "Lei et al. (2018), Settings A-C (120,000 cells)"
run_cmd lei "${MPIRUN[@]}" -n 2 "$SB" reproduce "$SRC/benchmarks/papers/lei2018-low-dimensional.toml" --db lei.sqlite
check_rc "lei2018-low-dimensional" 0 lei
check_file_contains "24 of 24" lei.out "^24 of 24 published values within tolerance \(0 outside, 0 missing\)$"

say "Park, Kim & Wang (2022) at 4,000 seeds"
sed "s/^seeds = .*/seeds = 4000/" "$SRC/benchmarks/configs/median-efficiency.toml" > median.toml
grep -q "^seeds = 4000$" median.toml || die "could not set seeds"
sed 's|^config = .*|config = "median.toml"|' "$SRC/benchmarks/papers/park-kim-wang2022-median.toml" > median-spec.toml
run_cmd median "${MPIRUN[@]}" -n 2 "$SB" reproduce median-spec.toml --db median.sqlite
check_rc "park-kim-wang2022-median" 0 median
check_file_contains "11 of 11" median.out "^11 of 11 published values within tolerance \(0 outside, 0 missing\)$"
check_eq "replications per cell" 4000 "$(sql median.sqlite "SELECT COUNT(*) FROM cells WHERE dataset_label LIKE '%n=15,%'")"

say "Park, Kim & Wang (2022), Hodges-Lehmann estimators, at 2,000 seeds"
sed "s/^seeds = .*/seeds = 2000/" "$SRC/benchmarks/configs/hodges-lehmann-efficiency.toml" > hl.toml
sed 's|^config = .*|config = "hl.toml"|' "$SRC/benchmarks/papers/park-kim-wang2022-hodges-lehmann.toml" > hl-spec.toml
run_cmd hl "${MPIRUN[@]}" -n 2 "$SB" reproduce hl-spec.toml --db hl.sqlite
check_rc "park-kim-wang2022-hodges-lehmann" 0 hl
check_file_contains "21 of 21" hl.out "^21 of 21 published values within tolerance \(0 outside, 0 missing\)$"

say "Boos & Stefanski (2013) Table 11.4 at 4,000 seeds"
sed "s/^seeds = .*/seeds = 4000/" "$SRC/benchmarks/configs/trimmed-mean-variance.toml" > tmv.toml
for part in ratio:9 cv:7; do
  name=${part%:*} count=${part#*:}
  sed 's|^config = .*|config = "tmv.toml"|' "$SRC/benchmarks/papers/boos-stefanski2013-table11.4-$name.toml" > "tmv-$name.toml"
  run_cmd "tmv-$name" "${MPIRUN[@]}" -n 2 "$SB" reproduce "tmv-$name.toml" --db tmv.sqlite
  check_rc "boos-stefanski2013-table11.4-$name" 0 "tmv-$name"
  check_file_contains "$count of $count" "tmv-$name.out" "^$count of $count published values within tolerance \(0 outside, 0 missing\)$"
done
check_eq "cells run once for both specs" 36000 "$(sql tmv.sqlite "SELECT COUNT(*) FROM cells")"

finish
