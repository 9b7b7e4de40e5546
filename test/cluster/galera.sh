#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A private 3-node MariaDB Galera cluster on loopback for uvmysql's cluster tests: each node
# has its own folder, ports and socket, started from Debian's mariadb-server and galera-4
# packages and never the system service.
#
#   test/cluster/galera.sh start       start the missing nodes (bootstrap node 1 if none runs),
#                                      wait until all three are Synced, then print the env
#   test/cluster/galera.sh stop        stop every node whose pid is in its pid file (3, 2, 1)
#   test/cluster/galera.sh status      one line per node; exit 0 if all three run, else 3
#   test/cluster/galera.sh env         print `export UVMYSQL_GALERA_*=...` for eval
#   test/cluster/galera.sh kill N      SIGKILL node N (a crash: no clean leave)
#   test/cluster/galera.sh restart N   (stop and) start node N again, rejoining; wait for Synced
#   test/cluster/galera.sh desync N    SET GLOBAL wsrep_desync=ON on node N (state 2)
#   test/cluster/galera.sh resync N    SET GLOBAL wsrep_desync=OFF on node N (back to 4)
#   test/cluster/galera.sh clean       remove the folder (only when no node runs)
#
#   eval "$(test/cluster/galera.sh start)"     # one line to start and import the settings
#
# Settings (environment): UVMYSQL_GALERA_PORT (4310; node N's SQL port is PORT+N-1 and its
# gcomm/IST/SST ports are PORT+100+10*N, +1, +2), UVMYSQL_GALERA_DIR
# (/tmp/uvmysql-galera-<port>), UVMYSQL_GALERA_TIMEOUT (seconds to wait per node, 120).
# Progress goes to stderr; only the export line goes to stdout.
set -euo pipefail

base=${UVMYSQL_GALERA_PORT:-4310}
dir=${UVMYSQL_GALERA_DIR:-/tmp/uvmysql-galera-$base}
timeout=${UVMYSQL_GALERA_TIMEOUT:-120}
nodes=(1 2 3)
provider=/usr/lib/galera/libgalera_smm.so
user=uvmysql password=uvmysql   # the TCP account, made once on node 1 and replicated

log() { printf 'galera.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '3,23p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- per-node names --------------------------------------------------------------------------

node_dir() { echo "$dir/node$1"; }
sql_port() { echo $((base + $1 - 1)); }
gcomm_port() { echo $((base + 100 + 10 * $1)); }
ist_port() { echo $((base + 101 + 10 * $1)); }
sst_port() { echo $((base + 102 + 10 * $1)); }
socket_of() { echo "$(node_dir "$1")/mysqld.sock"; }
pidfile_of() { echo "$(node_dir "$1")/mysqld.pid"; }
errlog_of() { echo "$(node_dir "$1")/error.log"; }
cnf_of() { echo "$(node_dir "$1")/my.cnf"; }

check_node() {
    [[ ${1:-} =~ ^[123]$ ]] || die "node must be 1, 2 or 3, not '${1:-}'"
}

find_tool() {  # first of the names that exists on PATH or in the sbin folders
    local name
    for name in "$@"; do
        if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return 0; fi
        for d in /usr/sbin /usr/local/sbin /sbin; do
            if [[ -x $d/$name ]]; then echo "$d/$name"; return 0; fi
        done
    done
    return 1
}

tools() {
    mariadbd=$(find_tool mariadbd mysqld) || die "mariadbd not found (apt-get install mariadb-server)"
    install_db=$(find_tool mariadb-install-db mysql_install_db) \
        || die "mariadb-install-db not found (apt-get install mariadb-server)"
    mariadb_client=$(find_tool mariadb mysql) || die "mariadb client not found (apt-get install mariadb-client)"
    mariadb_admin=$(find_tool mariadb-admin mysqladmin) || die "mariadb-admin not found"
    [[ -f $provider ]] || die "$provider not found (apt-get install galera-4)"
    # The mariabackup SST runs these on the donor and the joiner.
    find_tool mariadb-backup mariabackup >/dev/null \
        || die "mariadb-backup not found (apt-get install mariadb-backup)"
    command -v socat >/dev/null 2>&1 || die "socat not found (apt-get install socat)"
}

# The pid in node N's pid file, if that process is alive and is the mariadbd of *this* node
# (a pid can be reused by another program after a crash; never signal that one).
live_pid() {
    local pidfile pid
    pidfile=$(pidfile_of "$1")
    [[ -s $pidfile ]] || return 1
    pid=$(tr -dc '0-9' <"$pidfile")
    [[ -n $pid ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -r /proc/$pid/cmdline ]] && tr '\0' '\n' <"/proc/$pid/cmdline" \
        | grep -qxF -- "--defaults-file=$(cnf_of "$1")" || return 1
    echo "$pid"
}

running_nodes() {  # the numbers of the nodes that run, space-separated
    local n out=()
    for n in "${nodes[@]}"; do live_pid "$n" >/dev/null && out+=("$n"); done
    echo "${out[*]}"
}

client() {  # node N, as root over its unix socket, no config files read
    local n=$1; shift
    "$mariadb_client" --no-defaults --protocol=socket --socket="$(socket_of "$n")" -uroot \
        --connect-timeout=2 "$@"
}

answering() {
    "$mariadb_admin" --no-defaults --protocol=socket --socket="$(socket_of "$1")" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1
}

# "state ready size" of node N, e.g. "4 ON 3"; fails if the node does not answer.
wsrep_state() {
    client "$1" -N -B -e "SELECT
        MAX(IF(VARIABLE_NAME = 'WSREP_LOCAL_STATE', VARIABLE_VALUE, NULL)),
        MAX(IF(VARIABLE_NAME = 'WSREP_READY', VARIABLE_VALUE, NULL)),
        MAX(IF(VARIABLE_NAME = 'WSREP_CLUSTER_SIZE', VARIABLE_VALUE, NULL))
        FROM information_schema.GLOBAL_STATUS" 2>/dev/null | tr '\t' ' '
}

show_log() {  # the last lines of node N's error log, to say why it failed
    log "last lines of $(errlog_of "$1"):"
    tail -n "${2:-40}" "$(errlog_of "$1")" >&2 2>/dev/null || true
}

# --- data directory and configuration --------------------------------------------------------

# Node 1 gets a fresh system database; the joiners start from an empty datadir and receive
# node 1's through the SST (mariabackup wipes and replaces it anyway).
install_db() {
    local n=$1 ndir datadir
    ndir=$(node_dir "$n")
    datadir=$ndir/data
    [[ -f $datadir/.uvmysql-installed || -f $datadir/grastate.dat ]] && return 0
    rm -rf "$datadir"
    mkdir -p "$datadir"
    if [[ $n == 1 ]]; then
        log "initialising $datadir"
        local args=(--no-defaults --datadir="$datadir" --auth-root-authentication-method=normal
                    --skip-test-db --skip-name-resolve)
        [[ $(id -u) -eq 0 ]] && args+=(--user=root)
        if ! "$install_db" "${args[@]}" >"$ndir/install-db.log" 2>&1; then
            tail -n 40 "$ndir/install-db.log" >&2
            die "mariadb-install-db failed (full log: $ndir/install-db.log)"
        fi
    fi
    touch "$datadir/.uvmysql-installed"
}

# A defaults file per node rather than --no-defaults: the SST scripts (wsrep_sst_mariabackup
# on the donor and the joiner) read the node's settings from the file mariadbd was given.
write_cnf() {
    local n=$1 ndir peers="" m
    ndir=$(node_dir "$n")
    local donors=""
    for m in "${nodes[@]}"; do
        peers+=${peers:+,}127.0.0.1:$(gcomm_port "$m")
        [[ $m == "$n" ]] || donors+=${donors:+,}node$m
    done
    # Short failure-detection timeouts: a killed node leaves the view in ~3 s instead of ~15 s.
    local opts
    opts="base_host=127.0.0.1;base_port=$(gcomm_port "$n")"
    opts+=";gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$n")"
    opts+=";ist.recv_addr=127.0.0.1:$(ist_port "$n")"
    opts+=";gcache.size=64M;gcache.dir=$ndir/data"
    opts+=";evs.keepalive_period=PT0.5S;evs.inactive_check_period=PT0.5S"
    opts+=";evs.suspect_timeout=PT2S;evs.inactive_timeout=PT4S;evs.install_timeout=PT4S"
    opts+=";pc.announce_timeout=PT1S;gmcast.peer_timeout=PT2S"
    local user_line=""
    [[ $(id -u) -eq 0 ]] && user_line="user = root"
    cat >"$(cnf_of "$n")" <<EOF
# Written by test/cluster/galera.sh for node $n; rewritten at every start.
[mysqld]
$user_line
datadir = $ndir/data
tmpdir = $ndir/tmp
socket = $(socket_of "$n")
port = $(sql_port "$n")
bind-address = 127.0.0.1
pid-file = $(pidfile_of "$n")
log-error = $(errlog_of "$n")
skip-name-resolve
skip-slave-start
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max-allowed-packet = 64M
max-connections = 300
performance-schema = OFF
innodb-buffer-pool-size = 64M
innodb-log-file-size = 16M
innodb-flush-log-at-trx-commit = 2
innodb-use-native-aio = 0
# What Galera requires.
binlog-format = ROW
default-storage-engine = InnoDB
innodb-autoinc-lock-mode = 2
wsrep-on = ON
wsrep-provider = $provider
wsrep-cluster-name = uvmysql-galera-$base
wsrep-cluster-address = gcomm://$peers
wsrep-node-name = node$n
wsrep-node-address = 127.0.0.1:$(gcomm_port "$n")
wsrep-provider-options = "$opts"
# mariabackup, not rsync: the rsync SST refuses to run as root.
wsrep-sst-method = mariabackup
wsrep-sst-auth = root:
wsrep-sst-receive-address = 127.0.0.1:$(sst_port "$n")
# The lowest-numbered other node donates (node 1 has the longest gcache); the trailing comma
# lets any node donate when that one is down.
wsrep-sst-donor = "$donors,"
wsrep-slave-threads = 2

[sst]
# The SST scripts log to the node's error log, not to syslog.
sst-syslog = -1
EOF
}

# --- one node --------------------------------------------------------------------------------

# After a crash grastate.dat says seqno -1 and, left alone, the node would ask for a full SST
# (10 s of sleep in wsrep_sst_mariabackup alone). Like Debian's galera_recovery, run mariadbd
# --wsrep-recover to read the last committed position from InnoDB, and start from there:
# then the node rejoins with an IST of what it missed.
recover_position() {
    local n=$1 ndir state pos
    ndir=$(node_dir "$n")
    state=$ndir/data/grastate.dat
    [[ -f $state && -f $ndir/data/ibdata1 ]] || return 0
    grep -q '^seqno: *-1' "$state" || return 0
    if ! "$mariadbd" --defaults-file="$(cnf_of "$n")" --wsrep-recover \
            --log-error="$ndir/recover.log" </dev/null >/dev/null 2>&1; then
        log "node $n: position recovery failed (see $ndir/recover.log); it will need an SST"
        return 0
    fi
    pos=$(sed -n 's/.*WSREP: Recovered position: *//p' "$ndir/recover.log" | tail -n 1)
    if [[ $pos == *:* && $pos != *:-1 ]]; then
        log "node $n: recovered position $pos"
        echo "--wsrep-start-position=$pos"
    fi
}

# Start node N's mariadbd; with "bootstrap" it forms a new cluster alone (--wsrep-new-cluster).
launch() {
    local n=$1 mode=${2:-join} ndir
    ndir=$(node_dir "$n")
    mkdir -p "$ndir/tmp"
    write_cnf "$n"
    install_db "$n"
    local args=(--defaults-file="$(cnf_of "$n")") start_pos
    start_pos=$(recover_position "$n")
    [[ -n $start_pos ]] && args+=("$start_pos")
    if [[ $mode == bootstrap ]]; then
        args+=(--wsrep-new-cluster)
        # The last node to stop marks itself safe to bootstrap; this test bed always bootstraps
        # node 1, whichever stopped last (or none, after kills).
        if [[ -f $ndir/data/grastate.dat ]]; then
            sed -i 's/^safe_to_bootstrap: 0/safe_to_bootstrap: 1/' "$ndir/data/grastate.dat"
        fi
    fi
    rm -f "$(pidfile_of "$n")" "$(socket_of "$n")"
    : >>"$(errlog_of "$n")"
    stat -c %s "$(errlog_of "$n")" >"$ndir/log-offset"   # where this start's lines begin
    log "starting node $n ($mode): 127.0.0.1:$(sql_port "$n"), gcomm $(gcomm_port "$n"), socket $(socket_of "$n")"
    # setsid: the server outlives this script and ignores the caller's Ctrl-C; it also makes
    # the server a process group leader, so its SST helpers can be signalled with it.
    # 9>&-: the server must not inherit (and so keep holding) the cluster lock.
    setsid nice -n 5 "$mariadbd" "${args[@]}" </dev/null >>"$ndir/mariadbd.out" 2>&1 9>&- &
    # nice execs mariadbd, so $! is the server's pid; record it before the server does, so
    # that `stop` finds a joiner that is still receiving its SST.
    echo $! >"$(pidfile_of "$n")"
}

# Wait until node N is Synced (4), ready, and sees a cluster of `want` nodes.
wait_synced() {
    local n=$1 want=$2 pid st t0=$SECONDS last="" log_start
    log_start=$(<"$(node_dir "$n")/log-offset") 2>/dev/null || log_start=0
    pid=$(live_pid "$n") || { show_log "$n"; die "node $n is not running"; }
    while (( SECONDS - t0 < timeout )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log "$n"
            die "node $n exited during start-up"
        fi
        # A failed IST/SST leaves the node up but out of the cluster for good: say so now.
        if tail -c "+$((log_start + 1))" "$(errlog_of "$n")" 2>/dev/null | grep -q 'node restart required'; then
            show_log "$n"
            die "node $n failed its state transfer (node restart required)"
        fi
        st=$(wsrep_state "$n" || true)
        if [[ $st == "4 ON $want" ]]; then
            log "node $n synced (cluster size $want) after $((SECONDS - t0))s"
            return 0
        fi
        [[ -n $st && $st != "$last" ]] && log "node $n: wsrep_local_state wsrep_ready cluster_size = $st"
        last=$st
        sleep 0.2
    done
    show_log "$n"
    die "node $n not Synced with cluster size $want within ${timeout}s (last state: ${last:-no answer})"
}

# SIGTERM node N and wait for it; SIGKILL (the whole process group) if it hangs.
stop_node() {
    local n=$1 pid waited=0 grace=$timeout
    if ! pid=$(live_pid "$n"); then
        rm -f "$(pidfile_of "$n")"
        return 0
    fi
    # A node still joining (no answer yet) can hang on SIGTERM for good: seen once when the
    # signal came as its IST ended. Give it 10 s; a joiner killed is only a joiner redone.
    answering "$n" || grace=10
    log "stopping node $n (pid $pid)"
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited++ >= grace * 5 )); then
            log "node $n (pid $pid) ignored SIGTERM for ${grace}s; sending SIGKILL"
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    reap_group "$pid"
    rm -f "$(pidfile_of "$n")"
}

# SST helpers (socat, mariabackup, the wsrep_sst script) live in the server's process group;
# after the server is gone, end any that are left. The group id is the pid we started.
reap_group() {
    local pgid=$1
    if pgrep -g "$pgid" >/dev/null 2>&1; then
        kill -KILL -- "-$pgid" 2>/dev/null || true
    fi
}

# --- set-up SQL ------------------------------------------------------------------------------

# Once, on node 1 right after the bootstrap: Galera replicates account statements to the
# joiners (and the SST copies them anyway).
configure() {
    # install-db may make anonymous users, which would shadow 'uvmysql'@'%' for local
    # clients, and root@<hostname>: drop them.
    local extra
    extra=$(client 1 -N -B -e "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user
            WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))" \
            | paste -sd, -)
    if [[ -n $extra ]]; then client 1 -e "DROP USER $extra" || die "could not drop $extra"; fi
    if ! client 1 2>"$dir/setup.err" <<EOF
CREATE DATABASE IF NOT EXISTS test_cluster CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE USER IF NOT EXISTS '$user'@'%';
CREATE USER IF NOT EXISTS '$user'@'127.0.0.1';
CREATE USER IF NOT EXISTS '$user'@'localhost';
ALTER USER '$user'@'%' IDENTIFIED BY '$password';
ALTER USER '$user'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$user'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$user'@'localhost' WITH GRANT OPTION;
EOF
    then
        cat "$dir/setup.err" >&2
        die "the SQL set-up failed"
    fi
}

print_env() {
    local n hosts="" sockets=""
    for n in "${nodes[@]}"; do
        hosts+=${hosts:+,}127.0.0.1:$(sql_port "$n")
        sockets+=${sockets:+,}$(socket_of "$n")
    done
    # Single quotes rather than %q, which would escape the commas of the lists.
    printf 'export UVMYSQL_GALERA_PORT=%q UVMYSQL_GALERA_DIR=%q' "$base" "$dir"
    printf " UVMYSQL_GALERA_HOSTS=%s UVMYSQL_GALERA_SOCKETS='%s'" "$hosts" "${sockets//\'/\'\\\'\'}"
    printf ' UVMYSQL_GALERA_USER=%q UVMYSQL_GALERA_PASSWORD=%q UVMYSQL_GALERA_DB=test_cluster' \
        "$user" "$password"
    for n in "${nodes[@]}"; do
        printf ' UVMYSQL_GALERA_PORT_%s=%s UVMYSQL_GALERA_SOCKET_%s=%q UVMYSQL_GALERA_PID_%s=%s' \
            "$n" "$(sql_port "$n")" "$n" "$(socket_of "$n")" "$n" "$(live_pid "$n" || true)"
    done
    printf '\n'
}

lock() {  # one command at a time per cluster
    mkdir -p "$dir"
    exec 9>"$dir/lock"
    if command -v flock >/dev/null 2>&1; then
        flock -w "$((timeout * 3 + 30))" 9 || die "$dir is locked"
    fi
}

# --- subcommands -----------------------------------------------------------------------------

# A new cluster without any SST: bootstrap node 1 on a fresh datadir, make the accounts, stop
# it cleanly (grastate.dat then holds the cluster's uuid:seqno) and copy its datadir to nodes 2
# and 3. They then join at the same position and need no state transfer at all; a mariabackup
# SST per joiner would cost 12-15 s here, 10 of them a fixed sleep in the donor's script.
init_cluster() {
    local n src ndir
    src=$(node_dir 1)/data
    log "new cluster in $dir"
    rm -rf "$src"
    launch 1 bootstrap
    wait_synced 1 1
    configure
    stop_node 1
    for n in 2 3; do
        ndir=$(node_dir "$n")
        rm -rf "$ndir/data"
        mkdir -p "$ndir"
        # Not the gcache (recreated), gvwstate.dat (node 1's own gcomm identity) nor the
        # temporary tablespace.
        cp -a "$src" "$ndir/data"
        rm -f "$ndir/data/galera.cache" "$ndir/data/gvwstate.dat" "$ndir/data/ibtmp1"
        sed -i 's/^safe_to_bootstrap: 1/safe_to_bootstrap: 0/' "$ndir/data/grastate.dat"
    done
}

cmd_start() {
    tools
    local n
    for n in "${nodes[@]}"; do
        (( ${#dir} + 20 < 108 )) || die "socket path too long for a unix socket: $(socket_of "$n")"
    done
    lock
    local t0=$SECONDS running
    running=$(running_nodes)
    if [[ -z $running ]]; then
        [[ -f $(node_dir 1)/data/grastate.dat ]] || init_cluster
        launch 1 bootstrap
        wait_synced 1 1
        running=1
    fi
    # One joiner at a time: a donor serves one state transfer at a time anyway, and a node
    # that has just joined can be picked as the next one's donor before its gcache holds
    # everything ("IST didn't contain all write sets", seen with parallel joins).
    local size
    for n in "${nodes[@]}"; do
        [[ " $running " == *" $n "* ]] && continue
        launch "$n" join
        size=$(($(wc -w <<<"$running") + 1))
        wait_synced "$n" "$size"
        running+=" $n"
    done
    for n in "${nodes[@]}"; do wait_synced "$n" 3; done
    log "ready in $((SECONDS - t0))s: $(client 1 -N -B -e 'SELECT VERSION()'), 3 nodes Synced"
    print_env
}

cmd_stop() {
    tools
    lock
    local n
    # 3, 2, 1: node 1 leaves last, so its grastate.dat says safe_to_bootstrap: 1.
    for n in 3 2 1; do stop_node "$n"; done
    log "stopped"
}

cmd_status() {
    local n pid count=0
    tools
    for n in "${nodes[@]}"; do
        if pid=$(live_pid "$n"); then
            count=$((count + 1))
            echo "node $n: running, pid $pid, 127.0.0.1:$(sql_port "$n"), socket $(socket_of "$n"), wsrep state/ready/size: $(wsrep_state "$n" || echo 'no answer')"
        else
            echo "node $n: not running (port $(sql_port "$n"))"
        fi
    done
    (( count == ${#nodes[@]} )) || return 3
}

cmd_kill() {
    check_node "$1"
    lock
    local pid
    pid=$(live_pid "$1") || die "node $1 is not running"
    log "SIGKILL node $1 (pid $pid)"
    kill -KILL "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited++ < 50 )); do sleep 0.1; done
    reap_group "$pid"
}

cmd_restart() {
    check_node "$1"
    tools
    lock
    local t0=$SECONDS running
    stop_node "$1"
    running=$(running_nodes)
    if [[ -z $running ]]; then
        [[ $1 == 1 ]] || die "no node runs: start the cluster (or restart node 1) first"
        launch 1 bootstrap
        wait_synced 1 1
    else
        launch "$1" join
        wait_synced "$1" $(($(wc -w <<<"$running") + 1))
    fi
    log "node $1 rejoined in $((SECONDS - t0))s"
    print_env
}

set_desync() {  # node on|off: wait for state 2 (Donor/Desynced) or 4 (Synced)
    check_node "$1"
    tools
    live_pid "$1" >/dev/null || die "node $1 is not running"
    local want=4 st waited=0
    [[ $2 == ON ]] && want=2
    client "$1" -e "SET GLOBAL wsrep_desync = $2" || die "SET GLOBAL wsrep_desync = $2 failed on node $1"
    while (( waited++ < timeout * 5 )); do
        st=$(wsrep_state "$1" || true)
        if [[ ${st%% *} == "$want" ]]; then
            log "node $1: wsrep_desync=$2, wsrep_local_state=$want"
            return 0
        fi
        sleep 0.2
    done
    die "node $1 did not reach wsrep_local_state=$want (last: ${st:-no answer})"
}

cmd_clean() {
    lock
    [[ -z $(running_nodes) ]] || die "nodes still run ($(running_nodes)): stop them first"
    rm -rf "$dir"
    log "removed $dir"
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) tools; print_env ;;
    kill) cmd_kill "${2:-}" ;;
    restart) cmd_restart "${2:-}" ;;
    desync) set_desync "${2:-}" ON ;;
    resync) set_desync "${2:-}" OFF ;;
    clean) cmd_clean ;;
    *) usage ;;
esac
