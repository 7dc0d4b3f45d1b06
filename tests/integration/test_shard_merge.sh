#!/usr/bin/env bash
# Job-array sharding and merge: --shard 0/3, 1/3, 2/3 partition the cells
# (no overlap, nothing missing); `merge` combines them into the same results
# as one full run; merging again adds nothing.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONFIG=$SRC/benchmarks/configs/smoke.toml
[[ -f $CONFIG ]] || die "missing $CONFIG"

say "one full run (reference)"
run_cmd full "$SB" run "$CONFIG" --db full.sqlite
check_rc "full run" 0 full
TOTAL=$(count_cells full.sqlite)
check_true "full run has cells ($TOTAL)" '[[ $TOTAL -gt 0 ]]'

say "three shards, no mpirun"
sum=0
for i in 0 1 2; do
  run_cmd "shard$i" "$SB" run "$CONFIG" --db "s$i.sqlite" --shard "$i/3"
  check_rc "shard $i/3" 0 "shard$i"
  n=$(count_cells "s$i.sqlite")
  check_true "shard $i/3 ran some cells ($n), not all" '[[ $n -gt 0 && $n -lt $TOTAL ]]'
  sum=$((sum + n))
  sql "s$i.sqlite" "SELECT key FROM cells" >> shard-keys.txt
done
check_eq "shard cell counts add up to the total" "$TOTAL" "$sum"
check_eq "keys appearing in more than one shard" "" "$(sort shard-keys.txt | uniq -d)"
check_eq "union of shard keys == full run's keys" "$(sql full.sqlite "SELECT key FROM cells ORDER BY key")" \
  "$(sort shard-keys.txt)"

say "shards share no work: each base model is trained by exactly one shard"
# ood-gaussian, 2 seeds: every method of a (dataset, seed) needs that
# replication's base model (a reference). Shards keep a replication's cells
# together, so the 3 shards train exactly the models of one full run (split
# by cell key, each shard would train nearly all of them).
OOD=$SRC/benchmarks/configs/ood-gaussian.toml
run_cmd ood_full "$SB" run "$OOD" --seeds 2 --db ood-full.sqlite
check_rc "ood-gaussian full run" 0 ood_full
for i in 0 1 2; do
  run_cmd "ood$i" "$SB" run "$OOD" --seeds 2 --db "ood$i.sqlite" --shard "$i/3"
  check_rc "ood-gaussian shard $i/3" 0 "ood$i"
  sql "ood$i.sqlite" "SELECT key FROM refs" >> ood-ref-keys.txt 2>/dev/null || true
done
check_eq "references over the 3 shards == the full run's, none twice" \
  "$(sql ood-full.sqlite "SELECT key FROM refs ORDER BY key")" "$(sort ood-ref-keys.txt)"

say "a shard's dry run counts only its own cells"
run_cmd dry1 "$SB" run "$CONFIG" --db s1.sqlite --shard 1/3 --dry-run
check_rc "dry run of shard 1/3" 0 dry1
n1=$(count_cells s1.sqlite)
check_file_contains "dry run: $TOTAL total, $n1 in this shard, 0 to run" dry1.out \
  "$TOTAL cells total, $n1 in this shard, $n1 already done, 0 to run"

say "merge out.sqlite s0 s1 s2"
run_cmd merge1 "$SB" merge out.sqlite s0.sqlite s1.sqlite s2.sqlite
check_rc "merge" 0 merge1
cat merge1.out merge1.err
check_file_contains "merge reports $TOTAL cells added" <(cat merge1.out merge1.err) "$TOTAL cells added"
check_eq "out: cells" "$TOTAL" "$(count_cells out.sqlite)"
check_eq "out: runs (one per shard)" 3 "$(sql out.sqlite "SELECT count(*) FROM runs")"
check_eq "out: cells pointing at a missing run" 0 \
  "$(sql out.sqlite "SELECT count(*) FROM cells WHERE run_id IS NOT NULL AND run_id NOT IN (SELECT run_id FROM runs)")"
check_eq "out: PRAGMA integrity_check" ok "$(sql out.sqlite "PRAGMA integrity_check")"
check_eq "out: PRAGMA foreign_key_check rows" "" "$(sql out.sqlite "PRAGMA foreign_key_check")"
if cmp -s <(metrics_dump full.sqlite) <(metrics_dump out.sqlite); then
  pass "merged metrics bitwise identical to the full run's ($(metrics_dump out.sqlite | wc -l) rows)"
else
  fail "merged metrics differ from the full run's:"
  diff <(metrics_dump full.sqlite) <(metrics_dump out.sqlite) | head -10 >&2 || true
fi
check_eq "merged cell labels/seeds identical to the full run's" \
  "$(sql full.sqlite "SELECT key, dataset_label, method_label, seed, status FROM cells ORDER BY key")" \
  "$(sql out.sqlite "SELECT key, dataset_label, method_label, seed, status FROM cells ORDER BY key")"

say "merge the same inputs again: all identical, nothing added"
before=$(metrics_dump out.sqlite; sql out.sqlite "SELECT cell_id, key, run_id FROM cells ORDER BY cell_id; SELECT * FROM runs")
run_cmd merge2 "$SB" merge out.sqlite s0.sqlite s1.sqlite s2.sqlite
check_rc "second merge" 0 merge2
cat merge2.out merge2.err
check_file_contains "second merge: 0 added, $TOTAL identical" <(cat merge2.out merge2.err) \
  "(^| )0 cells added, $TOTAL identical"
after=$(metrics_dump out.sqlite; sql out.sqlite "SELECT cell_id, key, run_id FROM cells ORDER BY cell_id; SELECT * FROM runs")
check_true "second merge changed no cell, metric or run" '[[ "$before" == "$after" ]]'

say "merging the full run into the merged file: identical, no conflicts"
run_cmd merge3 "$SB" merge out.sqlite full.sqlite
check_rc "merge of full into out" 0 merge3
check_file_contains "merge of full: 0 added, $TOTAL identical, 0 conflicts" <(cat merge3.out merge3.err) \
  "(^| )0 cells added, $TOTAL identical.* 0 conflicts"
check_eq "out: cells" "$TOTAL" "$(count_cells out.sqlite)"

say "merge refuses an output that is one of its inputs, however named"
ln -s s1.sqlite s1-link.sqlite
s1_before=$(sql s1.sqlite "SELECT group_concat(key) FROM (SELECT key FROM cells ORDER BY key)")
for target in s1.sqlite ./s1.sqlite s1-link.sqlite; do
  run_cmd mself "$SB" merge "$target" s0.sqlite s1.sqlite
  check_rc "merge into $target (an input)" 2 mself
done
check_eq "s1 unchanged after the refused merges" "$s1_before" \
  "$(sql s1.sqlite "SELECT group_concat(key) FROM (SELECT key FROM cells ORDER BY key)")"

say "a run against the merged db has nothing to do"
run_cmd rerun "$SB" run "$CONFIG" --db out.sqlite
check_rc "run on merged db" 0 rerun
check_file_contains "nothing to run" <(cat rerun.out rerun.err) "nothing to run"

say "merge: a failed cell in OUT is replaced by the input's ok cell"
# sleep 1500 ms with --timeout 1 times out; the same cells (same key: the
# timeout is not part of a cell's identity) without --timeout succeed.
cat > slow.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "sleep"
ms = 1500.0
TOML
run_cmd slow_to "$SB" run slow.toml --db slow-timeout.sqlite --timeout 1
check_rc "slow cells with --timeout 1" 1 slow_to
check_eq "timeouts recorded" 2 "$(sql slow-timeout.sqlite "SELECT count(*) FROM cells WHERE status = 'timeout'")"
run_cmd slow_ok "${MPIRUN[@]}" -n 2 "$SB" run slow.toml --db slow-ok.sqlite
check_rc "slow cells without timeout" 0 slow_ok
check_eq "same keys in both" "$(sql slow-ok.sqlite "SELECT key FROM cells ORDER BY key")" \
  "$(sql slow-timeout.sqlite "SELECT key FROM cells ORDER BY key")"
run_cmd merge6 "$SB" merge slow-out.sqlite slow-timeout.sqlite slow-ok.sqlite
check_rc "merge timeout db then ok db" 0 merge6
check_file_contains "merge counts 2 replaced" <(cat merge6.out merge6.err) "2 failed cells replaced by ok"
check_eq "merged cells all ok" "ok,ok" "$(sql slow-out.sqlite "SELECT group_concat(status) FROM cells")"
check_eq "merged cells have their metric" 2 "$(sql slow-out.sqlite "SELECT count(*) FROM metrics")"
check_eq "merged metrics == ok db's" "$(metrics_dump slow-ok.sqlite)" "$(metrics_dump slow-out.sqlite)"
run_cmd merge7 "$SB" merge slow-out.sqlite slow-timeout.sqlite
check_rc "merging the timeout db again" 0 merge7
check_eq "ok cells kept over the failed input" "ok,ok" "$(sql slow-out.sqlite "SELECT group_concat(status) FROM cells")"

say "merge: an ok cell with different metrics is a conflict; OUT's value is kept"
cp s0.sqlite tampered.sqlite
victim=$(sql tampered.sqlite "SELECT key FROM cells ORDER BY key LIMIT 1")
sqlite3 tampered.sqlite "UPDATE metrics SET value = value + 1
  WHERE cell_id = (SELECT cell_id FROM cells WHERE key = '$victim')"
before=$(metrics_dump out.sqlite)
run_cmd merge8 "$SB" merge out.sqlite tampered.sqlite
echo "  merge exit code $RC"
cat merge8.out merge8.err
check_true "merge with a conflict exits 0 or 1 (got $RC)" '[[ $RC == 0 || $RC == 1 ]]'
check_file_contains "conflict message names the cell key" <(cat merge8.out merge8.err) "$victim.*kept"
check_file_contains "merge counts 1 conflict" <(cat merge8.out merge8.err) "(^| )1 conflict"
check_eq "OUT's metrics kept" "$before" "$(metrics_dump out.sqlite)"

say "merge refuses a non-database input before touching OUT"
echo "not a database" > junk.sqlite
before=$(md5sum < out.sqlite)
run_cmd merge4 "$SB" merge out.sqlite s0.sqlite junk.sqlite
check_ne "merge with a junk input fails" 0 "$RC"
check_eq "out unchanged" "$before" "$(md5sum < out.sqlite)"
check_eq "junk input untouched" "not a database" "$(cat junk.sqlite)"
run_cmd merge5 "$SB" merge new.sqlite s0.sqlite junk.sqlite
check_ne "merge into a new file with a junk input fails" 0 "$RC"
check_true "new.sqlite not created" '! compgen -G "new.sqlite*" >/dev/null'
run_cmd merge_missing "$SB" merge new.sqlite s0.sqlite nothere.sqlite
check_rc "merge with a missing input" 2 merge_missing
check_file_contains "names the missing input" merge_missing.err "merge: input nothere\.sqlite does not exist"
check_true "new.sqlite not created (missing input)" '! compgen -G "new.sqlite*" >/dev/null'

say "merge with a corrupt second input: all or nothing (OUT unchanged, a new OUT not created)"
# s2 with its cells table's root page overwritten: it opens, but reading its cells fails.
cp s2.sqlite corrupt.sqlite
page=$(sql corrupt.sqlite "SELECT rootpage FROM sqlite_schema WHERE name = 'cells'")
page_size=$(sql corrupt.sqlite "PRAGMA page_size")
head -c "$page_size" /dev/zero | tr '\0' '\377' |
  dd of=corrupt.sqlite bs="$page_size" seek=$((page - 1)) count=1 iflag=fullblock conv=notrunc status=none
cp s1.sqlite partial.sqlite
before=$(metrics_dump partial.sqlite; sql partial.sqlite "SELECT cell_id, key, run_id FROM cells ORDER BY cell_id; SELECT * FROM runs")
run_cmd merge9 "$SB" merge partial.sqlite s0.sqlite corrupt.sqlite
check_rc "merge with a corrupt second input" 3 merge9
check_file_contains "message names the corrupt input and says nothing was merged" merge9.err \
  "nothing was merged \(it is unchanged\).*corrupt\.sqlite"
after=$(metrics_dump partial.sqlite; sql partial.sqlite "SELECT cell_id, key, run_id FROM cells ORDER BY cell_id; SELECT * FROM runs")
check_true "OUT unchanged (s0's cells were not kept either)" '[[ "$before" == "$after" ]]'
check_eq "OUT: PRAGMA integrity_check" ok "$(sql partial.sqlite "PRAGMA integrity_check")"
run_cmd merge10 "$SB" merge new2.sqlite s0.sqlite corrupt.sqlite
check_rc "merge into a new file with a corrupt second input" 3 merge10
check_true "new2.sqlite not created" '! compgen -G "new2.sqlite*" >/dev/null'

finish
