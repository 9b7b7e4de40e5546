#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A private MariaDB primary and one read-only replica (GTID replication) on loopback for
# uvmysql's cluster tests: each server has its own folder, port and socket, started from
# Debian's mariadb-server binaries and never the system service.
#
#   test/cluster/replica.sh start        start what is missing, wait until the replica
#                                        replicates (a row written on the primary is seen on
#                                        the replica), then print the env
#   test/cluster/replica.sh stop         stop both servers whose pids are in their pid files
#   test/cluster/replica.sh status       one line per server; exit 0 if both run, else 3
#   test/cluster/replica.sh env          print `export UVMYSQL_REPLICA_*=...` for eval
#   test/cluster/replica.sh kill R       SIGKILL R (primary or replica)
#   test/cluster/replica.sh restart R    (stop and) start R again; wait until replication runs
#   test/cluster/replica.sh sql R SQL    run SQL on R as root over its socket (SET GLOBAL ...)
#   test/cluster/replica.sh clean        remove the folder (only when nothing runs)
#
#   eval "$(test/cluster/replica.sh start)"    # one line to start and import the settings
#
# Settings (environment): UVMYSQL_REPLICA_PORT (4330: the primary's port; the replica's is
# PORT+1), UVMYSQL_REPLICA_DIR (/tmp/uvmysql-replica-<port>), UVMYSQL_REPLICA_TIMEOUT (60).
# Progress goes to stderr; only the export line goes to stdout.
set -euo pipefail

base=${UVMYSQL_REPLICA_PORT:-4330}
dir=${UVMYSQL_REPLICA_DIR:-/tmp/uvmysql-replica-$base}
timeout=${UVMYSQL_REPLICA_TIMEOUT:-60}
roles=(primary replica)
user=uvmysql password=uvmysql          # the TCP account for tests
repl_user=uvmysql_repl repl_password=uvmysql_repl

log() { printf 'replica.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '3,22p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

# --- per-server names ------------------------------------------------------------------------

check_role() {
    [[ ${1:-} == primary || ${1:-} == replica ]] || die "expected primary or replica, not '${1:-}'"
}
role_dir() { echo "$dir/$1"; }
port_of() { if [[ $1 == primary ]]; then echo "$base"; else echo $((base + 1)); fi; }
server_id_of() { if [[ $1 == primary ]]; then echo 1; else echo 2; fi; }
socket_of() { echo "$(role_dir "$1")/mysqld.sock"; }
pidfile_of() { echo "$(role_dir "$1")/mysqld.pid"; }
errlog_of() { echo "$(role_dir "$1")/error.log"; }
cnf_of() { echo "$(role_dir "$1")/my.cnf"; }

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
}

# The pid in R's pid file, if that process is alive and is the mariadbd of *this* server
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

client() {  # R, as root over its unix socket, no config files read
    local r=$1; shift
    "$mariadb_client" --no-defaults --protocol=socket --socket="$(socket_of "$r")" -uroot \
        --connect-timeout=2 "$@"
}

answering() {
    "$mariadb_admin" --no-defaults --protocol=socket --socket="$(socket_of "$1")" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1
}

show_log() {
    log "last lines of $(errlog_of "$1"):"
    tail -n "${2:-30}" "$(errlog_of "$1")" >&2 2>/dev/null || true
}

# --- data directories and configuration ------------------------------------------------------

# Both datadirs are copies of one fresh mariadb-install-db run: the replica then starts with
# exactly the primary's system tables, and replicates everything from the primary's first
# binlog event (the accounts, the test database).
install_db() {
    [[ -f $(role_dir primary)/data/.uvmysql-installed && -f $(role_dir replica)/data/.uvmysql-installed ]] \
        && return 0
    local seed=$dir/seed
    log "initialising $seed"
    rm -rf "$seed" "$(role_dir primary)/data" "$(role_dir replica)/data"
    mkdir -p "$seed" "$(role_dir primary)" "$(role_dir replica)"
    local args=(--no-defaults --datadir="$seed" --auth-root-authentication-method=normal
                --skip-test-db --skip-name-resolve)
    [[ $(id -u) -eq 0 ]] && args+=(--user=root)
    if ! "$install_db" "${args[@]}" >"$dir/install-db.log" 2>&1; then
        tail -n 40 "$dir/install-db.log" >&2
        die "mariadb-install-db failed (full log: $dir/install-db.log)"
    fi
    touch "$seed/.uvmysql-installed"
    cp -a "$seed" "$(role_dir primary)/data"
    mv "$seed" "$(role_dir replica)/data"
    rm -f "$dir/replication-configured"
}

write_cnf() {
    local r=$1 rdir user_line="" role_lines
    rdir=$(role_dir "$r")
    [[ $(id -u) -eq 0 ]] && user_line="user = root"
    if [[ $r == replica ]]; then
        # read_only: writes from accounts without READ ONLY ADMIN fail with error 1290, as on
        # a real replica. The replication threads start by themselves at every start (no
        # skip-slave-start), from the GTID position the replica keeps.
        role_lines="read-only = ON
relay-log = $rdir/data/relay-bin
slave-net-timeout = 10"
    else
        role_lines="# The primary."
    fi
    cat >"$(cnf_of "$r")" <<EOF
# Written by test/cluster/replica.sh for the $r; rewritten at every start.
[mysqld]
$user_line
datadir = $rdir/data
tmpdir = $rdir/tmp
socket = $(socket_of "$r")
port = $(port_of "$r")
bind-address = 127.0.0.1
pid-file = $(pidfile_of "$r")
log-error = $(errlog_of "$r")
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max-allowed-packet = 64M
max-connections = 300
performance-schema = OFF
innodb-buffer-pool-size = 64M
innodb-log-file-size = 16M
innodb-flush-log-at-trx-commit = 2
innodb-use-native-aio = 0
# GTID replication; both servers write a binlog so that either can be promoted.
server-id = $(server_id_of "$r")
log-bin = $rdir/data/binlog
binlog-format = ROW
log-slave-updates = ON
gtid-strict-mode = ON
$role_lines
EOF
}

# --- one server ------------------------------------------------------------------------------

launch() {
    local r=$1 rdir
    rdir=$(role_dir "$r")
    mkdir -p "$rdir/tmp"
    write_cnf "$r"
    rm -f "$(pidfile_of "$r")" "$(socket_of "$r")"
    : >>"$(errlog_of "$r")"
    log "starting the $r on 127.0.0.1:$(port_of "$r"), socket $(socket_of "$r")"
    # setsid: the server outlives this script and ignores the caller's Ctrl-C.
    # 9>&-: the server must not inherit (and so keep holding) the lock.
    setsid nice -n 5 "$mariadbd" --defaults-file="$(cnf_of "$r")" \
        </dev/null >>"$rdir/mariadbd.out" 2>&1 9>&- &
    # nice execs mariadbd, so $! is the server's pid; record it at once.
    echo $! >"$(pidfile_of "$r")"
    local pid=$! t0=$SECONDS
    while (( SECONDS - t0 < timeout )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            show_log "$r"
            die "the $r exited during start-up"
        fi
        answering "$r" && return 0
        sleep 0.2
    done
    show_log "$r"
    die "the $r did not answer within ${timeout}s"
}

stop_role() {  # SIGTERM R and wait; SIGKILL if it hangs
    local r=$1 pid t0=$SECONDS
    if ! pid=$(live_pid "$r"); then
        rm -f "$(pidfile_of "$r")"
        return 0
    fi
    log "stopping the $r (pid $pid)"
    kill -TERM "$pid"
    while kill -0 "$pid" 2>/dev/null; do
        if (( SECONDS - t0 >= timeout )); then
            log "the $r (pid $pid) ignored SIGTERM for ${timeout}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$(pidfile_of "$r")"
}

# --- replication -----------------------------------------------------------------------------

# Once, on the primary (so that the replica replays it): the accounts and the test database.
configure_primary() {
    local extra
    # install-db may make anonymous users, which would shadow 'uvmysql'@'%' for local
    # clients, and root@<hostname>: drop them.
    extra=$(client primary -N -B -e "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user
            WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))" \
            | paste -sd, -)
    if [[ -n $extra ]]; then client primary -e "DROP USER $extra" || die "could not drop $extra"; fi
    local h sql=""
    for h in % 127.0.0.1 localhost; do
        # ALL but READ ONLY ADMIN: like an application account, it cannot write on the
        # read-only replica.
        sql+="CREATE USER IF NOT EXISTS '$user'@'$h';
ALTER USER '$user'@'$h' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$user'@'$h' WITH GRANT OPTION;
REVOKE READ_ONLY ADMIN ON *.* FROM '$user'@'$h';
"
    done
    sql+="CREATE USER IF NOT EXISTS '$repl_user'@'127.0.0.1';
ALTER USER '$repl_user'@'127.0.0.1' IDENTIFIED BY '$repl_password';
GRANT REPLICATION SLAVE, REPLICATION SLAVE ADMIN ON *.* TO '$repl_user'@'127.0.0.1';
CREATE DATABASE IF NOT EXISTS test_cluster CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE TABLE IF NOT EXISTS test_cluster.replica_check (id INT PRIMARY KEY, at DATETIME(6));"
    if ! client primary <<<"$sql" 2>"$dir/setup.err"; then
        cat "$dir/setup.err" >&2
        die "the SQL set-up on the primary failed"
    fi
}

# Once, on the replica: where the primary is. MASTER_CONNECT_RETRY=1: after the primary is
# killed or restarted the replica reconnects within a second or so (the default is 60 s).
configure_replica() {
    client replica -e "STOP SLAVE; RESET SLAVE ALL;
        CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=$(port_of primary),
            MASTER_USER='$repl_user', MASTER_PASSWORD='$repl_password',
            MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;
        START SLAVE;" || die "CHANGE MASTER on the replica failed"
    touch "$dir/replication-configured"
}

slave_field() {  # the value of one SHOW SLAVE STATUS field on the replica
    client replica -e 'SHOW SLAVE STATUS\G' 2>/dev/null \
        | sed -n "s/^ *$1: //p" | head -n 1
}

# Wait until both replication threads run, then until a row written on the primary now is on
# the replica: the proof that it replicates, not only that it is connected.
wait_replicating() {
    local t0=$SECONDS io sql
    while (( SECONDS - t0 < timeout )); do
        io=$(slave_field Slave_IO_Running)
        sql=$(slave_field Slave_SQL_Running)
        [[ $io == Yes && $sql == Yes ]] && break
        sleep 0.2
    done
    if [[ $io != Yes || $sql != Yes ]]; then
        log "Slave_IO_Running=$io Slave_SQL_Running=$sql; Last_IO_Error: $(slave_field Last_IO_Error)"
        log "Last_SQL_Error: $(slave_field Last_SQL_Error)"
        show_log replica 20
        die "the replica's threads did not run within ${timeout}s"
    fi
    local id=$((RANDOM * 32768 + RANDOM))
    client primary -e "DELETE FROM test_cluster.replica_check;
        INSERT INTO test_cluster.replica_check VALUES ($id, NOW(6))" \
        || die "could not write the check row on the primary"
    while (( SECONDS - t0 < timeout )); do
        if [[ $(client replica -N -B -e "SELECT COUNT(*) FROM test_cluster.replica_check
                WHERE id = $id" 2>/dev/null) == 1 ]]; then
            log "replicating: row $id written on the primary is on the replica ($((SECONDS - t0))s)"
            return 0
        fi
        sleep 0.2
    done
    log "Last_SQL_Error: $(slave_field Last_SQL_Error)"
    die "the check row did not reach the replica within ${timeout}s"
}

print_env() {
    printf 'export UVMYSQL_REPLICA_PORT=%q UVMYSQL_REPLICA_DIR=%q' "$base" "$dir"
    printf ' UVMYSQL_REPLICA_HOSTS=127.0.0.1:%s,127.0.0.1:%s' "$(port_of primary)" "$(port_of replica)"
    printf ' UVMYSQL_REPLICA_USER=%q UVMYSQL_REPLICA_PASSWORD=%q UVMYSQL_REPLICA_DB=test_cluster' \
        "$user" "$password"
    local r R
    for r in "${roles[@]}"; do
        R=${r^^}
        printf ' UVMYSQL_REPLICA_%s=127.0.0.1:%s UVMYSQL_REPLICA_%s_PORT=%s' "$R" "$(port_of "$r")" "$R" "$(port_of "$r")"
        printf ' UVMYSQL_REPLICA_%s_SOCKET=%q UVMYSQL_REPLICA_%s_PID=%s' \
            "$R" "$(socket_of "$r")" "$R" "$(live_pid "$r" || true)"
    done
    printf '\n'
}

lock() {  # one command at a time per pair
    mkdir -p "$dir"
    exec 9>"$dir/lock"
    if command -v flock >/dev/null 2>&1; then flock -w "$((timeout * 2 + 30))" 9 || die "$dir is locked"; fi
}

# --- subcommands -----------------------------------------------------------------------------

cmd_start() {
    tools
    (( ${#dir} + 30 < 108 )) || die "socket path too long for a unix socket: $(socket_of replica)"
    lock
    local t0=$SECONDS
    install_db
    if ! live_pid primary >/dev/null; then
        launch primary
        [[ -f $dir/replication-configured ]] || configure_primary
    fi
    live_pid replica >/dev/null || launch replica
    [[ -f $dir/replication-configured ]] || configure_replica
    wait_replicating
    log "ready in $((SECONDS - t0))s: $(client primary -N -B -e 'SELECT VERSION()')"
    print_env
}

cmd_stop() {
    lock
    # The replica first: it would only retry connecting to a stopped primary.
    stop_role replica
    stop_role primary
    log "stopped"
}

cmd_status() {
    tools
    local r pid count=0
    for r in "${roles[@]}"; do
        if pid=$(live_pid "$r"); then
            count=$((count + 1))
            local extra
            extra="read_only=$(client "$r" -N -B -e 'SELECT @@read_only' 2>/dev/null || echo '?')"
            [[ $r == replica ]] && extra+=", IO=$(slave_field Slave_IO_Running) SQL=$(slave_field Slave_SQL_Running) gtid_slave_pos=$(client replica -N -B -e 'SELECT @@gtid_slave_pos' 2>/dev/null)"
            echo "$r: running, pid $pid, 127.0.0.1:$(port_of "$r"), socket $(socket_of "$r"), $extra"
        else
            echo "$r: not running (port $(port_of "$r"))"
        fi
    done
    (( count == 2 )) || return 3
}

cmd_sql() {
    check_role "$1"
    tools
    [[ -n ${2:-} ]] || usage
    client "$1" -e "$2" || die "the statement failed on the $1"
}

cmd_kill() {
    check_role "$1"
    lock
    local pid
    pid=$(live_pid "$1") || die "the $1 is not running"
    log "SIGKILL the $1 (pid $pid)"
    kill -KILL "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited++ < 50 )); do sleep 0.1; done
}

cmd_restart() {
    check_role "$1"
    tools
    lock
    local t0=$SECONDS
    [[ -f $dir/replication-configured ]] || die "not set up yet: run start first"
    stop_role "$1"
    launch "$1"
    # Replication can only be checked with both up; with one, restarting it is all we can do.
    if live_pid primary >/dev/null && live_pid replica >/dev/null; then wait_replicating; fi
    log "the $1 is back in $((SECONDS - t0))s"
    print_env
}

cmd_clean() {
    lock
    if live_pid primary >/dev/null || live_pid replica >/dev/null; then die "still running: stop first"; fi
    rm -rf "$dir"
    log "removed $dir"
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) print_env ;;
    kill) cmd_kill "${2:-}" ;;
    restart) cmd_restart "${2:-}" ;;
    sql) cmd_sql "${2:-}" "${3:-}" ;;
    clean) cmd_clean ;;
    *) usage ;;
esac
