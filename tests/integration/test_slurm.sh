#!/usr/bin/env bash
# A real one-node SLURM on localhost (slurm-wlm + munge, installed by
# scripts/setup.sh --with-slurm): `shardbench slurm --submit` runs a job
# array of shards with its merge job, a one-step MPI job (srun --mpi=pmix)
# and an mpirun-inside-sbatch job through node-local storage; each database
# must hold exactly the cells and metric values of a plain local run
# (by key, bitwise). `srun -n 2` without PMIx must be refused, writing
# nothing. Root on Debian only (the daemons run as root): otherwise skipped
# (exit 77). The daemons it started are stopped at the end.
if [[ $(id -u) -ne 0 || ! -f /etc/debian_version ]]; then
  echo "SKIP: needs root on Debian (installs slurm-wlm and munge, starts slurmctld/slurmd)"
  exit 77
fi
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$SRC/tests/integration/slurm_local.sh"
trap 'slurm_down; cd /; rm -rf "$WORK"' EXIT

say "install slurm-wlm and munge (scripts/setup.sh --with-slurm)"
start=$SECONDS
bash "$SRC/scripts/setup.sh" --with-slurm >setup.log 2>&1 || { cat setup.log; die "setup.sh --with-slurm failed"; }
pass "installed in $((SECONDS - start))s"

CONFIG=$SRC/benchmarks/configs/smoke.toml
SEEDS=3

say "plain local run (the reference)"
run_cmd local "$SB" run "$CONFIG" --seeds $SEEDS --db local.sqlite
check_rc "local run" 0 local
TOTAL=$(count_cells local.sqlite)
check_true "local run has cells ($TOTAL)" '[[ $TOTAL -gt 0 ]]'

say "one-node SLURM on localhost"
start=$SECONDS
slurm_up "$WORK/slurm" || die "SLURM did not come up"
pass "slurmctld + slurmd up in $((SECONDS - start))s ($(sinfo -h -o '%N %c CPUs %t'))"

# same_results WHAT DB: exactly the local run's cells and metric values.
same_results() {
  check_eq "$1: cells" "$TOTAL" "$(count_cells "$2")"
  check_eq "$1: keys, labels, seeds, status == the local run's" \
    "$(sql local.sqlite "SELECT key, dataset_label, method_label, seed, status FROM cells ORDER BY key")" \
    "$(sql "$2" "SELECT key, dataset_label, method_label, seed, status FROM cells ORDER BY key")"
  if cmp -s <(metrics_dump local.sqlite) <(metrics_dump "$2"); then
    pass "$1: metrics bitwise identical to the local run's ($(metrics_dump "$2" | wc -l) rows)"
  else
    fail "$1: metrics differ from the local run's:"
    diff <(metrics_dump local.sqlite) <(metrics_dump "$2") | head -10 >&2 || true
  fi
  check_eq "$1: PRAGMA integrity_check" ok "$(sql "$2" "PRAGMA integrity_check")"
}

say "job array of 3 shards + dependent merge job (shardbench slurm --mode array --submit)"
run_cmd array timeout -k 5 120 "$SB" slurm "$CONFIG" --mode array --shards 3 --seeds $SEEDS --db array.sqlite \
  --dir jobs-array --time 5 --submit --wait
check_rc "slurm --mode array --submit --wait" 0 array
cat array.out
check_file_contains "array and merge job ids printed" array.out "submitted job array [0-9]+ \(3 shards\)"
same_results "array + merge" array.sqlite
check_eq "three shard databases" 3 "$(ls jobs-array/*-shard-*-of-3.sqlite | wc -l)"
check_file_contains "merge job printed the status" <(cat jobs-array/*-merge-*.out) "$TOTAL"
# Shards receive whole replications (dataset x seed) by hash, so with the 6
# replications here a shard can be empty; it then has nothing to run and
# records no run. One run per non-empty shard, tagged with its array index.
busy_shards=()
for i in 0 1 2; do
  [[ $(sql jobs-array/*-shard-$i-of-3.sqlite "SELECT count(*) FROM cells") -gt 0 ]] && busy_shards+=("$i")
done
check_true "cells in at least two of the three shards (${busy_shards[*]})" '[[ ${#busy_shards[@]} -ge 2 ]]'
check_eq "runs recorded (one per non-empty shard)" ${#busy_shards[@]} "$(sql array.sqlite "SELECT count(*) FROM runs")"
check_eq "provenance: scheduler slurm, the array job ids of those shards, no launcher" \
  "slurm|none|$(IFS=,; echo "${busy_shards[*]}")" \
  "$(sql array.sqlite "SELECT s.value, l.value, group_concat(substr(j.value, instr(j.value, '_') + 1), ',')
     FROM (SELECT * FROM run_environment ORDER BY value) AS j
     JOIN run_environment AS s ON s.run_id = j.run_id AND s.name = 'scheduler'
     JOIN run_environment AS l ON l.run_id = j.run_id AND l.name = 'launcher' WHERE j.name = 'job_id'")"

say "one MPI job step: srun --mpi=pmix over 2 tasks (shardbench slurm --mode mpi --submit)"
run_cmd mpi timeout -k 5 120 "$SB" slurm "$CONFIG" --ntasks 2 --seeds $SEEDS --db mpi.sqlite --dir jobs-mpi --submit --wait
check_rc "slurm --mode mpi --submit --wait" 0 mpi
cat mpi.out
same_results "srun --mpi=pmix job" mpi.sqlite
check_eq "one run of 2 ranks" "1|2" "$(sql mpi.sqlite "SELECT count(*), max(mpi_size) FROM runs")"
check_eq "provenance: launcher, ranks per host" "srun --mpi=pmix|$(hostname)=2" \
  "$(sql mpi.sqlite "SELECT (SELECT value FROM run_environment WHERE name = 'launcher'),
                            (SELECT value FROM run_environment WHERE name = 'ranks_per_host')")"
check_file_contains "provenance: MPI library" <(sql mpi.sqlite "SELECT value FROM run_environment WHERE name = 'mpi_library'") \
  "Open MPI v[0-9]"

say "mpirun inside sbatch, through node-local storage (--launcher mpirun --stage always)"
run_cmd mpirun timeout -k 5 120 "$SB" slurm "$CONFIG" --ntasks 2 --launcher mpirun --stage always --seeds $SEEDS \
  --db mpirun.sqlite --dir jobs-mpirun --submit --wait
check_rc "slurm --launcher mpirun --stage always --submit --wait" 0 mpirun
check_file_contains "the script stages through node-local disk" jobs-mpirun/sb-smoke.sbatch 'LOCAL_DIR=.*SLURM_TMPDIR'
same_results "mpirun job (staged)" mpirun.sqlite
check_eq "one run of 2 ranks" "2" "$(sql mpirun.sqlite "SELECT max(mpi_size) FROM runs")"
check_eq "provenance: launcher mpirun, scheduler slurm" "mpirun|slurm" \
  "$(sql mpirun.sqlite "SELECT (SELECT value FROM run_environment WHERE name = 'launcher'),
                               (SELECT value FROM run_environment WHERE name = 'scheduler')")"

say "srun -n 2 without PMIx: refused, nothing written"
run_cmd refused timeout -k 5 60 srun -n 2 --mpi=none "$SB" run "$CONFIG" --seeds $SEEDS --db refused.sqlite
check_ne "srun -n 2 --mpi=none exit code" 0 "$RC"
check_file_contains "the message names srun --mpi=pmix" refused.err "task [01] of 2 .*srun --mpi=pmix"
check_file_contains "the tasks exited with code 2" refused.err "exit code 2"
check_true "no database written" '! compgen -G "refused.sqlite*" >/dev/null'

finish
