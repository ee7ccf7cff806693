#!/usr/bin/env bash
# Stop exactly the daemons started by tests/cluster/start_slurm.sh (by the PIDs in STATE_DIR).
set -u
STATE=${1:-/tmp/cortexflow-slurm}
for d in slurmd slurmctld munged; do
  f="$STATE/$d.pid"
  [ -s "$f" ] || continue
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "[stop_slurm] stopped $d (pid $pid)"
  fi
  rm -f "$f"
done
conf=/etc/slurm/slurm.conf
if [ -f "$conf.cortexflow-backup" ]; then mv "$conf.cortexflow-backup" "$conf"; fi
exit 0
