#!/usr/bin/env bash
# What `run` refuses before writing anything (docs/CLUSTERS.md), with the
# launcher's environment and the file system's statfs magic played by
# variables: tasks of a job step outside one MPI world, a database on a
# network file system, a second run on a database being written. And
# `shardbench slurm` without a scheduler: the [slurm] table, staging chosen
# by the database's file system, missing counts.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat > slow.toml <<'TOML'
suite = "selftest"
seeds = 2
[[datasets]]
name = "empty"
[[methods]]
name = "sleep"
ms = 1500.0
TOML

say "a task of an srun step without PMIx (SLURM_STEP_NUM_TASKS=2, MPI world of 1)"
run_cmd step env SLURM_JOB_ID=7 SLURM_STEP_ID=0 SLURM_STEP_NUM_TASKS=2 SLURM_NTASKS=2 SLURM_PROCID=1 \
  "$SB" run slow.toml --db step.sqlite
check_rc "refused" 2 step
check_file_contains "names the fix" step.err "task 1 of 2 \(SLURM_STEP_NUM_TASKS=2\).*srun --mpi=pmix.*mpirun"
check_true "nothing written" '! compgen -G "step.sqlite*" >/dev/null'
run_cmd batch env SLURM_JOB_ID=7 SLURM_NTASKS=4 SLURM_PROCID=0 "$SB" run slow.toml --db batch.sqlite --dry-run
check_rc "the batch script of a 4-task allocation is one process: allowed" 0 batch

say "a database on a network file system (SB_TEST_FS_MAGIC plays the statfs magic)"
for magic in 0x6969:nfs 0x0BD00BD0:lustre 0x47504653:gpfs 0x19830326:beegfs 0xFF534D42:cifs; do
  run_cmd nfs env SB_TEST_FS_MAGIC="${magic%%:*}" "$SB" run slow.toml --db nfs.sqlite
  check_rc "${magic#*:}: refused" 2 nfs
  check_file_contains "${magic#*:}: named, with --db on local disk and merge" nfs.err \
    "network file system \(${magic#*:}\).*--db .*shardbench merge nfs.sqlite"
done
check_true "nothing written" '! compgen -G "nfs.sqlite*" >/dev/null'
run_cmd local_fs env SB_TEST_FS_MAGIC=0xEF53 "$SB" run slow.toml --db ext4.sqlite --seeds 1
check_rc "ext4: runs" 0 local_fs

say "two runs on one database: the second is refused, the first finishes"
"$SB" run slow.toml --db busy.sqlite >first.out 2>first.err &
FIRST=$!
for _ in $(seq 1 100); do
  [[ $(sql busy.sqlite "SELECT count(*) FROM runs" 2>/dev/null) == 1 ]] && break
  sleep 0.05
done
run_cmd second "$SB" run slow.toml --db busy.sqlite
check_rc "second run while the first is running" 2 second
check_file_contains "says another run is writing" second.err "another .shardbench run. is writing busy.sqlite"
wait $FIRST && pass "first run finished ok" || fail "first run failed"
check_eq "one run recorded, each cell once" "1|2" "$(sql busy.sqlite "SELECT (SELECT count(*) FROM runs), count(*) FROM cells")"
run_cmd third "$SB" run slow.toml --db busy.sqlite
check_rc "a run after it has ended" 0 third

say "shardbench slurm: the [slurm] table, staging by file system"
{ cat slow.toml; printf '[slurm]\nmode = "array"\nshards = 2\npartition = "short"\ntime = "10"\n'; } > with-slurm.toml
run_cmd plain "$SB" run with-slurm.toml --db with-slurm.sqlite --seeds 1
check_rc "run accepts a config with a [slurm] table" 0 plain
check_eq "the [slurm] table changes no cell key" \
  "$(SB_TEST_FS_MAGIC=0xEF53 "$SB" run slow.toml --db no-table.sqlite --seeds 1 >/dev/null 2>&1; sql no-table.sqlite "SELECT key FROM cells")" \
  "$(sql with-slurm.sqlite "SELECT key FROM cells")"
run_cmd dry "$SB" slurm with-slurm.toml --db out.sqlite --dry-run
check_rc "slurm --dry-run" 0 dry
check_file_contains "array mode from the table" dry.out "#SBATCH --array=0-1"
check_file_contains "partition from the table" dry.out "#SBATCH --partition=short"
check_file_contains "merge job" dry.out "merge \"\\\$RUN_DB\" \"\\\$\{SHARD_DBS\[@\]\}\""
check_true "local database: no staging" '! grep -q LOCAL_DIR dry.out'
check_true "--dry-run writes nothing" '[[ ! -e slurm-with-slurm ]]'
run_cmd dry_nfs env SB_TEST_FS_MAGIC=0x6969 "$SB" slurm with-slurm.toml --db out.sqlite --dry-run --partition long
check_file_contains "database on nfs: staged through node-local disk" dry_nfs.out "network file system \(nfs\)"
check_file_contains "the option overrides the table" dry_nfs.out "#SBATCH --partition=long"
run_cmd written "$SB" slurm with-slurm.toml --mode mpi --ntasks 4 --db out.sqlite --dir jobs
check_rc "slurm writes the scripts" 0 written
check_true "script written and executable" '[[ -x jobs/sb-with-slurm.sbatch ]]'
check_file_contains "prints how to submit" written.out "submit with: sbatch .*jobs/sb-with-slurm.sbatch"
check_true "the script is valid bash" 'bash -n jobs/sb-with-slurm.sbatch'
run_cmd no_tasks "$SB" slurm slow.toml --dry-run
check_rc "mpi mode without --ntasks" 2 no_tasks
check_file_contains "names --ntasks" no_tasks.err "--ntasks N"
run_cmd bad_time "$SB" slurm slow.toml --ntasks 2 --time 2h --dry-run
check_rc "bad --time" 2 bad_time

finish
