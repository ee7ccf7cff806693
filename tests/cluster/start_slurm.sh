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

need=()
for pkg in munge slurmctld slurmd slurm-client libpmix2 openmpi-bin; do
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
CONF
log "wrote $conf (node $host, $cpus CPUs, $mem MB)"

# --- daemons ---------------------------------------------------------------------------------------
/usr/sbin/slurmctld -i      # daemonises; -i ignores stale state from an earlier test cluster
/usr/sbin/slurmd
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -1 || true)
  case "$state" in idle*) break ;; down*|drain*) scontrol update nodename="$host" state=resume 2>/dev/null || true ;; esac
  sleep 0.5
done
sinfo -h -N -o %t | grep -q idle || { log "node did not become idle"; tail -20 "$STATE"/slurm*.log; exit 1; }
log "cluster up: $(sinfo -h -o '%P %D %t %c')"
