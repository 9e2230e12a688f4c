#!/usr/bin/env bash
# slurm_cluster.sh COMMAND...: runs COMMAND against a throwaway single-node Slurm on localhost
# (Debian 12 packages: Slurm 22.05 + MUNGE 0.5.15; no systemd, cgroups or slurmdbd), then waits
# until every job it submitted has left the queue. The cluster (a private munged, slurmctld and
# slurmd on random free ports, everything in one temp dir) is stopped and removed whatever happens.
# After /work/notes' tested recipe (slurm_selftest.sh).
#
# Needs root and: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge
# (scripts/install-deps.sh). Exit: COMMAND's exit code; 1 when the cluster cannot start or its jobs
# do not finish in time. A missing package is a failure, not a skip: the sweep test needs Slurm.
# Env knobs: SLURMTEST_DIR=/path, SLURMTEST_KEEP=1, SLURMTEST_TIMEOUT=120 (seconds for each wait).
set -euo pipefail

log() { printf '[slurm-cluster %s] %s\n' "$(date +%T)" "$*" >&2; }
now_ms() { date +%s%3N; }

[ $# -gt 0 ] || { log "usage: slurm_cluster.sh COMMAND..."; exit 1; }
if [ "$(id -u)" != 0 ]; then log "must run as root (slurmd runs jobs as their user)"; exit 1; fi
for c in munged mungekey munge slurmctld slurmd sbatch squeue sinfo scontrol; do
    command -v "$c" >/dev/null 2>&1 || { log "'$c' not found (scripts/install-deps.sh installs it)"; exit 1; }
done

# (knobs are named SLURMTEST_* so this loop does not eat them)
# Inherited Slurm env (e.g. CI itself running inside a Slurm job) would redirect/alter
# our client commands: SBATCH_* / SQUEUE_* etc. act as command-line options.
for v in $(compgen -e | grep -E '^(SLURM|SBATCH|SALLOC|SRUN|SQUEUE|SINFO|SCONTROL|SACCT)_' || true); do unset "$v"; done

TIMEOUT=${SLURMTEST_TIMEOUT:-120}
T0=$(now_ms)

# ---------------------------------------------------------------- work dir
if [ -n "${SLURMTEST_DIR:-}" ]; then W=$SLURMTEST_DIR; mkdir -p "$W"; else W=$(mktemp -d /tmp/robustlab-slurm.XXXXXX); fi
W=$(cd "$W" && pwd -P)
chmod 755 "$W"                      # munged needs o+x on every dir above its socket
mkdir -p "$W"/munge "$W"/state "$W"/spool "$W"/log
chmod 755 "$W"/munge

# munged refuses dirs not owned by root (its own uid) -> --force turns that into a warning
MUNGE_FORCE=
d=$W; while [ "$d" != / ]; do
    [ "$(stat -c %u "$d")" = 0 ] || MUNGE_FORCE=--force
    d=$(dirname "$d")
done

# ---------------------------------------------------------------- free ports
port_in_use() { # LISTEN sockets in /proc/net/tcp{,6}: local_address ends in :PORTHEX, state 0A
    local hex; hex=$(printf '%04X' "$1")
    awk -v p=":$hex" 'NR>1 && $4=="0A" && substr($2, length($2)-4)==p {f=1} END{exit !f}' \
        /proc/net/tcp /proc/net/tcp6 2>/dev/null
}
pick_port() { # below the Linux ephemeral range (32768-60999)
    local p
    for _ in $(seq 200); do
        p=$(( 20000 + RANDOM % 12000 ))
        [ "$p" = "${1:-0}" ] && continue
        port_in_use "$p" || { echo "$p"; return 0; }
    done
    return 1
}

# ---------------------------------------------------------------- cleanup (always)
MUNGE_SOCK=$W/munge/munge.sock
export SLURM_CONF=$W/slurm.conf
pid_alive() { # a zombie (PID 1 in containers may reap late) counts as dead
    [ -n "$1" ] && [ -e "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]
}
stop_all() {
    local rc=$? p f
    set +e
    if [ "$rc" != 0 ]; then
        log "FAILED (rc=$rc) - log tails:"
        for f in "$W"/log/slurmctld.log "$W"/log/slurmd.log "$W"/munge/munged.log; do
            [ -f "$f" ] && { echo "== $f"; tail -n 25 "$f"; } >&2
        done
    fi
    if [ -f "$SLURM_CONF" ]; then
        local pids; pids=$(cat "$W"/log/slurmctld.pid "$W"/log/slurmd.pid 2>/dev/null)
        timeout 10 scontrol shutdown >/dev/null 2>&1     # stops slurmctld AND all slurmd
        for p in $pids; do
            for _ in $(seq 50); do pid_alive "$p" || break; sleep 0.1; done
            pid_alive "$p" && { kill -TERM "$p"; sleep 1; pid_alive "$p" && kill -KILL "$p"; }
        done
    fi
    # SIGTERM via pid file: ~40 ms ('munged -s -S SOCK' also works but takes ~1.8 s)
    p=$(cat "$W"/munge/munged.pid 2>/dev/null)
    if pid_alive "$p"; then
        kill -TERM "$p"
        for _ in $(seq 100); do pid_alive "$p" || break; sleep 0.05; done
    fi
    if [ "${SLURMTEST_KEEP:-0}" = 1 ]; then log "kept $W"; else rm -rf "$W"; fi
    log "total $(( $(now_ms) - T0 )) ms, exit $rc"
    exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

CTLD_PORT=$(pick_port); SLURMD_PORT=$(pick_port "$CTLD_PORT")

# ---------------------------------------------------------------- munged (private key + socket)
mungekey -c -k "$W"/munge/munge.key            # 1024-bit key, mode 0600, owner root
munged $MUNGE_FORCE -S "$MUNGE_SOCK" --key-file="$W"/munge/munge.key \
    --log-file="$W"/munge/munged.log --pid-file="$W"/munge/munged.pid \
    --seed-file="$W"/munge/munged.seed 2>>"$W"/log/munged.stderr
munge -S "$MUNGE_SOCK" -n | unmunge -S "$MUNGE_SOCK" >/dev/null
log "munged up ($MUNGE_SOCK)"

# ---------------------------------------------------------------- slurm.conf
# Node hardware from 'slurmd -C' (works without a slurm.conf); fall back to nproc/meminfo.
HW=$(env -u SLURM_CONF slurmd -C 2>/dev/null | head -n1 | sed -e 's/^NodeName=[^ ]* //' -e 's/ *UpTime=.*//') || true
case "$HW" in *CPUs=*RealMemory=*) ;; *)
    HW="CPUs=$(nproc) RealMemory=$(awk '/MemTotal/{print int($2/1024)}' /proc/meminfo)";;
esac
NODE=localhost   # slurmctld/slurmd accept "localhost" -> config is independent of `hostname`
: > "$W"/plugstack.conf   # don't pick up SPANK plugins from /etc/slurm/plugstack.conf.d

cat > "$SLURM_CONF" <<EOF
ClusterName=robustlabtest
SlurmctldHost=$NODE
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCK
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/log/slurmctld.pid
SlurmdPidFile=$W/log/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
PlugStackConfig=$W/plugstack.conf
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$W/log/jobcomp.txt
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
NodeName=$NODE $HW NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
log "ports ctld=$CTLD_PORT slurmd=$SLURMD_PORT node: $HW"

# ---------------------------------------------------------------- daemons
t=$(now_ms)
slurmctld -f "$SLURM_CONF"          # daemonizes; 'slurmctld -D' would stay in the foreground
slurmd -f "$SLURM_CONF" -N "$NODE"

deadline=$(( SECONDS + TIMEOUT ))
while :; do
    st=$(sinfo -h -N -n "$NODE" -o '%T' 2>/dev/null || true)
    case "$st" in
        idle) break ;;
        *drain*|*inval*|*fail*)
            log "node is $st: $(sinfo -h -N -n "$NODE" -o '%E')"; exit 1 ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || { log "timeout waiting for idle node (state '$st')"; exit 1; }
    sleep 0.2
done
log "node idle after $(( $(now_ms) - t )) ms"

# ---------------------------------------------------------------- the command, then its jobs
rc=0
"$@" || rc=$?
deadline=$(( SECONDS + TIMEOUT ))
while :; do
    left=$(squeue -h -o '%i') || { log "squeue failed"; exit 1; }
    [ -z "$left" ] && break
    [ "$SECONDS" -lt "$deadline" ] || { log "timeout; still queued: $left"; exit 1; }
    sleep 0.25
done
log "command exited $rc; queue empty after $(( $(now_ms) - T0 )) ms"
exit "$rc"
