#!/usr/bin/env bash
# A one-node Slurm "cluster" on this machine, for trying scripts/slurm/submit.sh and for
# scripts/slurm/check.sh. Debian/Ubuntu only (apt), run as root; no systemd needed.
#
#   bash scripts/slurm/local-cluster.sh [start]   # install if missing, configure, start, wait for idle
#   bash scripts/slurm/local-cluster.sh stop      # stop slurmd, slurmctld and munged (ours only)
#   bash scripts/slurm/local-cluster.sh status    # sinfo
#
# Idempotent: "start" on a running cluster only waits for the node to be idle; a munge key and
# a slurm.conf it did not write are left alone (it refuses to overwrite a foreign slurm.conf).
# State lives in /var/spool/slurmctld and /var/spool/slurmd, logs in /var/log/slurm/.
set -euo pipefail

CONF_DIR=/etc/slurm
CONF=$CONF_DIR/slurm.conf
MARK="# written by vmatte scripts/slurm/local-cluster.sh"
LOG_DIR=/var/log/slurm
RUN_DIR=/run/vmatte-slurm
WAIT_S=${SLURM_LOCAL_WAIT_S:-60}

say() { echo "local-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "run as root (it installs packages and starts daemons)"

install_packages() {
  local missing=()
  command -v slurmctld >/dev/null || missing+=(slurmctld)
  command -v slurmd >/dev/null || missing+=(slurmd)
  command -v sbatch >/dev/null || missing+=(slurm-client)
  command -v munged >/dev/null || missing+=(munge)
  if ((${#missing[@]})); then
    say "installing slurm-wlm munge (missing: ${missing[*]})"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y slurm-wlm munge >/dev/null || {
      apt-get update >/dev/null
      apt-get install -y slurm-wlm munge >/dev/null
    }
  fi
}

write_config() {
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  # RealMemory a bit under the total, so slurmd does not mark the node invalid.
  mem=$(free -m | awk '/^Mem:/ { print int($2 * 0.9) }')
  mkdir -p "$CONF_DIR" "$LOG_DIR" "$RUN_DIR" /var/spool/slurmctld /var/spool/slurmd
  if [[ -f $CONF ]] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; move it away first"
  fi
  local new
  new=$(cat <<EOF
$MARK
ClusterName=vmatte-local
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$RUN_DIR/slurmctld.pid
SlurmdPidFile=$RUN_DIR/slurmd.pid
SlurmctldLogFile=$LOG_DIR/slurmctld.log
SlurmdLogFile=$LOG_DIR/slurmd.log
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=10
Waittime=0
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
)
  if [[ ! -f $CONF ]] || [[ $(cat "$CONF") != "$new" ]]; then
    printf '%s\n' "$new" >"$CONF"
    say "wrote $CONF (node $host, $cpus CPUs, ${mem} MiB)"
  fi
  # Debian's cgroup.conf is not needed with proctrack/linuxproc and task/none.
}

munge_key() {
  local key=/etc/munge/munge.key
  if [[ ! -s $key ]]; then
    mkdir -p /etc/munge
    if command -v mungekey >/dev/null; then
      mungekey --create --keyfile="$key" --force
    else
      dd if=/dev/urandom bs=1 count=1024 of="$key" status=none
    fi
    say "created $key"
  fi
  local owner=root
  id munge >/dev/null 2>&1 && owner=munge
  chown "$owner:$owner" "$key" /etc/munge
  chmod 0400 "$key"
  chmod 0700 /etc/munge
  mkdir -p /run/munge /var/lib/munge /var/log/munge
  chown "$owner:$owner" /run/munge /var/lib/munge /var/log/munge
  chmod 0755 /run/munge
}

pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_daemons() {
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    :
  else
    say "starting munged"
    if id munge >/dev/null 2>&1; then
      runuser -u munge -- munged
    else
      munged --force
    fi
    munge -n </dev/null | unmunge >/dev/null || die "munge does not work (see /var/log/munge/munged.log)"
  fi
  if ! pid_alive "$RUN_DIR/slurmctld.pid"; then
    say "starting slurmctld"
    slurmctld || die "slurmctld failed to start; see $LOG_DIR/slurmctld.log"
  fi
  if ! pid_alive "$RUN_DIR/slurmd.pid"; then
    say "starting slurmd"
    slurmd || die "slurmd failed to start; see $LOG_DIR/slurmd.log"
  fi
}

wait_idle() {
  local host state t=0
  host=$(hostname -s)
  while :; do
    state=$(sinfo -h -n "$host" -o %T 2>/dev/null | head -n1 || true)
    case $state in
      idle | mixed | allocated) say "node $host is $state"; return 0 ;;
      down* | drain* | fail*)
        # e.g. left "down" from an earlier run: bring it back.
        scontrol update NodeName="$host" State=RESUME 2>/dev/null || true ;;
    esac
    ((t >= WAIT_S)) && die "node $host not idle after ${WAIT_S}s (state: '${state:-none}'); see $LOG_DIR/"
    sleep 1
    t=$((t + 1))
  done
}

stop_daemons() {
  local f pid
  for f in "$RUN_DIR/slurmd.pid" "$RUN_DIR/slurmctld.pid"; do
    if pid_alive "$f"; then
      pid=$(cat "$f")
      say "stopping $(basename "$f" .pid) ($pid)"
      kill "$pid"
      for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$f"
  done
  f=/run/munge/munged.pid
  if pid_alive "$f"; then
    pid=$(cat "$f")
    say "stopping munged ($pid)"
    kill "$pid"
  fi
}

case ${1:-start} in
  start)
    install_packages
    write_config
    munge_key
    start_daemons
    wait_idle
    ;;
  stop) stop_daemons ;;
  status) sinfo ;;
  *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac
