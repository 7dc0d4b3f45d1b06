# A one-node SLURM on localhost for the integration test (sourced):
# slurm_up DIR starts munged, slurmctld and slurmd with a generated config in
# DIR (SLURM_CONF exported); slurm_down stops exactly the daemons it started.
# Root only (slurmd runs jobs as their users).

slurm_up() {
  local dir=$1 host cpus port
  host=$(hostname -s)
  cpus=$(nproc)
  # Ports off the defaults (6817/6818), chosen per directory: a test never
  # talks to a SLURM of the machine.
  port=$((20000 + RANDOM % 20000))
  mkdir -p "$dir"/{state,spool,log,munge}
  chmod 700 "$dir/munge"
  SLURM_DIR=$dir
  SLURM_PIDS=()
  munged --socket="$dir/munge/munge.sock" --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/seed" --key-file=/etc/munge/munge.key --force || return 1
  SLURM_PIDS+=("$(cat "$dir/munge/munged.pid")")
  cat >"$dir/slurm.conf" <<CONF
ClusterName=sbtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
MessageTimeout=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -i -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" || return 1
  local i
  for i in $(seq 1 60); do
    [[ -f $dir/slurmctld.pid && -f $dir/slurmd.pid ]] && break
    sleep 0.5
  done
  [[ -f $dir/slurmctld.pid ]] && SLURM_PIDS+=("$(cat "$dir/slurmctld.pid")")
  [[ -f $dir/slurmd.pid ]] && SLURM_PIDS+=("$(cat "$dir/slurmd.pid")")
  for i in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; then return 0; fi
    sleep 0.5
  done
  echo "slurm_up: the node did not come up:" >&2
  sinfo >&2 || true
  tail -20 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  return 1
}

slurm_down() {
  local pid i
  # Daemons in the reverse order of their start.
  for ((i = ${#SLURM_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${SLURM_PIDS[i]}
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  done
  SLURM_PIDS=()
}
