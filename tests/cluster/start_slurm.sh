#!/usr/bin/env bash
# Start a real single-node SLURM cluster on this machine (Debian packages, no systemd, no cgroups, no
# accounting database) for cortexflow's cluster integration tests.
#
#   tests/cluster/start_slurm.sh [STATE_DIR]     start (installs packages when missing), wait until idle
#   tests/cluster/stop_slurm.sh  [STATE_DIR]     stop exactly the daemons this script started
#
# STATE_DIR (default /tmp/cortexflow-slurm) receives the PIDs of the started daemons, their logs and the
# spool directories. The config is written to the default path /etc/slurm/slurm.conf because the
# executor plugin's job step strips SLURM_* variables (SLURM_CONF included); an existing config that this
# script did not write is kept as slurm.conf.cortexflow-backup and restored by stop_slurm.sh.
set -euo pipefail
STATE=${1:-/tmp/cortexflow-slurm}
mkdir -p "$STATE"
log() { echo "[start_slurm] $*"; }

# Everything slurmd's MPI plugin needs must be present before slurmd starts: its mpi/pmix plugin dlopens
# the unversioned libpmix.so, which only libpmix-dev ships (libpmix2 has libpmix.so.2 alone). Without it
# slurmd starts, logs "can not load PMIx library", and every `srun --mpi=pmix` step hangs in state CG.
# The MPI build packages of envs/build_nest_mpi.sh (libopenmpi-dev pulls libpmix-dev too) are installed
# here as well, so the order of start_slurm.sh and `make nest-mpi` in .ci/run does not matter.
need=()
for pkg in munge slurmctld slurmd slurm-client libpmix2 libpmix-dev openmpi-bin libopenmpi-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >"$STATE/apt.log" 2>&1 \
    || { cat "$STATE/apt.log"; exit 1; }
fi

host=$(hostname)
getent hosts "$host" >/dev/null || { echo "127.0.1.1 $host" >> /etc/hosts; log "added $host to /etc/hosts"; }

# --- munge -----------------------------------------------------------------------------------------
if ! pgrep -x munged >/dev/null; then
  [ -s /etc/munge/munge.key ] || { dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
  chown munge:munge /etc/munge/munge.key; chmod 400 /etc/munge/munge.key
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chown munge:munge "$STATE"
  su -s /bin/sh munge -c "/usr/sbin/munged --force --pid-file=$STATE/munged.pid"
  for _ in $(seq 1 20); do [ -s "$STATE/munged.pid" ] && break; sleep 0.1; done
  chown root:root "$STATE"
  log "munged started (pid $(cat "$STATE/munged.pid"))"
fi

# --- slurm.conf ------------------------------------------------------------------------------------
mkdir -p /etc/slurm "$STATE/spool/ctld" "$STATE/spool/d"
conf=/etc/slurm/slurm.conf
if [ -f "$conf" ] && ! grep -q "written by cortexflow" "$conf"; then
  cp "$conf" "$conf.cortexflow-backup"; log "kept existing $conf as $conf.cortexflow-backup"
fi
node_line=$(slurmd -C | head -1)           # NodeName=<host> CPUs=.. Boards=.. ... RealMemory=<MB>
cpus=$(echo "$node_line" | sed -n 's/.*CPUs=\([0-9]*\).*/\1/p')
mem=$(echo "$node_line" | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')
mem=$(( mem * 90 / 100 ))
cat > "$conf" <<CONF
# written by cortexflow tests/cluster/start_slurm.sh: single-node test cluster
ClusterName=cortexflow
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=6817
SlurmdPort=6818
AuthType=auth/munge
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/slurmctld.log
SlurmdLogFile=$STATE/slurmd.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.log
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
# A node that never answers (no slurmd on its port), large enough for full-scale requests: jobs sent to
# partition "big" stay PENDING, so tests can read the request sbatch received (scontrol show job), then
# cancel it. Every check of this script and of tests/test_cluster_*.py looks at partition debug only.
NodeName=cfbig NodeAddr=127.0.0.1 NodeHostname=cfbig Port=6899 CPUs=128 RealMemory=2000000 State=DOWN
PartitionName=big Nodes=cfbig Default=NO MaxTime=INFINITE State=UP
CONF
log "wrote $conf (node $host, $cpus CPUs, $mem MB)"

# --- daemons ---------------------------------------------------------------------------------------
/usr/sbin/slurmctld -i      # daemonises; -i ignores stale state from an earlier test cluster
/usr/sbin/slurmd
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -p debug -o %t 2>/dev/null | head -1 || true)
  case "$state" in idle*) break ;; down*|drain*) scontrol update nodename="$host" state=resume 2>/dev/null || true ;; esac
  sleep 0.5
done
sinfo -h -N -p debug -o %t | grep -qx idle || { log "error: node did not become idle"; tail -20 "$STATE"/slurm*.log; exit 1; }

# --- health checks: hand the tests a working cluster or none ---------------------------------------
# 1. the PMIx plugin loaded in slurmd (it is loaded at start; a missing libpmix.so shows up here)
sleep 1
if grep -E "pmix.*(can not load|cannot load)|Couldn't load specified plugin name for mpi/pmix" "$STATE/slurmd.log"; then
  log "error: slurmd could not load its PMIx plugin (libpmix.so missing?): see $STATE/slurmd.log; stopping"
  "$(dirname "$0")/stop_slurm.sh" "$STATE"; exit 1
fi
srun --mpi=list 2>&1 | grep -q pmix || {
  log "error: srun --mpi=list does not offer pmix; stopping"; "$(dirname "$0")/stop_slurm.sh" "$STATE"; exit 1; }
# 2. a job step really runs, with PMIx, and the node is idle again afterwards (a broken step stays CG)
if ! out=$(timeout 60 srun --mpi=pmix -N1 -n1 -t 1 --immediate=30 hostname 2>&1); then
  log "error: test job step 'srun --mpi=pmix hostname' failed: $out"; tail -20 "$STATE/slurmd.log"
  "$(dirname "$0")/stop_slurm.sh" "$STATE"; exit 1
fi
for _ in $(seq 1 40); do sinfo -h -N -p debug -o %t | grep -qx idle && [ -z "$(squeue -h)" ] && break; sleep 0.5; done
sinfo -h -N -p debug -o %t | grep -qx idle || {
  log "error: node not idle after the test step: $(sinfo -h -N -p debug -o '%t %E'); $(squeue -h)"
  "$(dirname "$0")/stop_slurm.sh" "$STATE"; exit 1; }
log "cluster up: $(sinfo -h -p debug -o '%P %D %t %c'); PMIx step ran on $out"
