#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# End-to-end check of the cluster test bed, with nothing but the `mariadb` command-line client:
# galera.sh (write on node 1, read on node 3, desync/resync node 2, kill and restart node 3),
# then replica.sh (write on the primary, read on the replica, read_only, kill and restart
# each side). Ends with `N passed, N failed` and exits non-zero if anything failed.
#
#   test/cluster/smoke.sh
#
# Each bed lives in a fresh temporary folder (removed at the end) unless UVMYSQL_GALERA_DIR /
# UVMYSQL_REPLICA_DIR say otherwise, so the start timings printed are those of a cold start.
# Ports: UVMYSQL_GALERA_PORT (4310) and UVMYSQL_REPLICA_PORT (4330), as in the scripts.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
galera=$here/galera.sh
replica=$here/replica.sh

own_galera_dir="" own_replica_dir=""
if [[ -z ${UVMYSQL_GALERA_DIR:-} ]]; then
    own_galera_dir=$(mktemp -d /tmp/uvmysql-smoke-galera.XXXXXX)
    export UVMYSQL_GALERA_DIR=$own_galera_dir
fi
if [[ -z ${UVMYSQL_REPLICA_DIR:-} ]]; then
    own_replica_dir=$(mktemp -d /tmp/uvmysql-smoke-replica.XXXXXX)
    export UVMYSQL_REPLICA_DIR=$own_replica_dir
fi

passed=0 failed=0
pass() { passed=$((passed + 1)); printf 'ok    %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s%s\n' "$1" "${2:+: $2}"; }

# check NAME EXPECTED ACTUAL
check() {
    if [[ $3 == "$2" ]]; then pass "$1"; else fail "$1" "expected '$2', got '$3'"; fi
}

# eventually NAME EXPECTED SECONDS COMMAND...: re-run COMMAND until it prints EXPECTED
# (replication and membership changes are asynchronous).
eventually() {
    local name=$1 want=$2 secs=$3 got="" t0=$SECONDS
    shift 3
    while (( SECONDS - t0 <= secs )); do
        got=$("$@" 2>/dev/null)
        [[ $got == "$want" ]] && { pass "$name"; return 0; }
        sleep 0.3
    done
    fail "$name" "expected '$want' within ${secs}s, got '$got'"
    return 1
}

# sql PORT USER PASSWORD STATEMENTS: the mariadb client over TCP, tab-separated, no headers.
sql() {
    mariadb --no-defaults --protocol=tcp -h127.0.0.1 -P"$1" -u"$2" -p"$3" \
        --connect-timeout=3 -N -B -e "$4"
}

# Whatever happens, leave no server of ours running: both scripts stop by their pid files.
cleanup() {
    "$galera" stop >/dev/null 2>&1
    "$replica" stop >/dev/null 2>&1
    [[ -n $own_galera_dir ]] && rm -rf "$own_galera_dir"
    [[ -n $own_replica_dir ]] && rm -rf "$own_replica_dir"
}
trap cleanup EXIT

# --- Galera ----------------------------------------------------------------------------------

g() {  # g NODE STATEMENTS: as the uvmysql account on node NODE
    local port_var=UVMYSQL_GALERA_PORT_$1
    sql "${!port_var}" "$UVMYSQL_GALERA_USER" "$UVMYSQL_GALERA_PASSWORD" "$2"
}
gstatus() { g "$1" "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = '$2'"; }

galera_suite() {
    local t0=$SECONDS env
    if ! env=$("$galera" start); then
        fail "galera: start"
        return
    fi
    galera_start_s=$((SECONDS - t0))
    pass "galera: start (${galera_start_s}s)"
    eval "$env"

    local n
    for n in 1 2 3; do
        check "galera: node $n Synced, ready, size 3" "4 ON 3" \
            "$(gstatus "$n" WSREP_LOCAL_STATE) $(gstatus "$n" WSREP_READY) $(gstatus "$n" WSREP_CLUSTER_SIZE)"
    done

    g 1 "CREATE TABLE IF NOT EXISTS test_cluster.smoke (id INT PRIMARY KEY, v VARCHAR(32));
         DELETE FROM test_cluster.smoke; INSERT INTO test_cluster.smoke VALUES (1, 'from node 1')"
    check "galera: written on node 1" 0 $?
    # wsrep_sync_wait=1: the read waits until node 3 has applied what the cluster committed.
    check "galera: read on node 3" "from node 1" \
        "$(g 3 "SET SESSION wsrep_sync_wait = 1; SELECT v FROM test_cluster.smoke WHERE id = 1")"

    "$galera" desync 2 2>/dev/null
    check "galera: desync 2 -> wsrep_local_state 2" "2 Donor/Desynced" \
        "$(gstatus 2 WSREP_LOCAL_STATE) $(gstatus 2 WSREP_LOCAL_STATE_COMMENT)"
    "$galera" resync 2 2>/dev/null
    check "galera: resync 2 -> wsrep_local_state 4" "4 Synced" \
        "$(gstatus 2 WSREP_LOCAL_STATE) $(gstatus 2 WSREP_LOCAL_STATE_COMMENT)"

    t0=$SECONDS
    "$galera" kill 3 2>/dev/null
    eventually "galera: kill 3 -> cluster size 2 on node 1" 2 30 gstatus 1 WSREP_CLUSTER_SIZE \
        && echo "      (node 1 saw it in $((SECONDS - t0))s)"
    check "galera: status says not all run" 3 "$("$galera" status >/dev/null 2>&1; echo $?)"
    g 1 "INSERT INTO test_cluster.smoke VALUES (2, 'while 3 was down')"
    check "galera: written on node 1 while node 3 is down" 0 $?

    t0=$SECONDS
    if env=$("$galera" restart 3 2>/dev/null); then
        galera_restart_s=$((SECONDS - t0))
        pass "galera: restart 3 (${galera_restart_s}s)"
        eval "$env"
    else
        fail "galera: restart 3"
    fi
    check "galera: node 3 Synced again, size 3" "4 3" \
        "$(gstatus 3 WSREP_LOCAL_STATE) $(gstatus 3 WSREP_CLUSTER_SIZE)"
    check "galera: node 3 has the row written while it was down" "while 3 was down" \
        "$(g 3 "SET SESSION wsrep_sync_wait = 1; SELECT v FROM test_cluster.smoke WHERE id = 2")"
    check "galera: status 0 with 3 nodes" 0 "$("$galera" status >/dev/null 2>&1; echo $?)"

    local pids
    pids="$UVMYSQL_GALERA_PID_1 $UVMYSQL_GALERA_PID_2 $UVMYSQL_GALERA_PID_3"
    "$galera" stop 2>/dev/null
    check "galera: stop" 3 "$("$galera" status >/dev/null 2>&1; echo $?)"
    local alive=""
    for n in $pids; do kill -0 "$n" 2>/dev/null && alive+=" $n"; done
    check "galera: no node process left" "" "$alive"
}

# --- primary and replica ---------------------------------------------------------------------

rp() {  # rp primary|replica STATEMENTS: as the uvmysql account
    local port_var=UVMYSQL_REPLICA_${1^^}_PORT
    sql "${!port_var}" "$UVMYSQL_REPLICA_USER" "$UVMYSQL_REPLICA_PASSWORD" "$2"
}
replica_has() { rp replica "SELECT v FROM test_cluster.smoke WHERE id = $1"; }
io_running() {
    mariadb --no-defaults --protocol=socket -S "$UVMYSQL_REPLICA_REPLICA_SOCKET" -uroot \
        -e 'SHOW SLAVE STATUS\G' | sed -n 's/^ *Slave_IO_Running: //p'
}

replica_suite() {
    local t0=$SECONDS env
    if ! env=$("$replica" start); then
        fail "replica: start"
        return
    fi
    replica_start_s=$((SECONDS - t0))
    pass "replica: start (${replica_start_s}s)"
    eval "$env"

    rp primary "CREATE TABLE IF NOT EXISTS test_cluster.smoke (id INT PRIMARY KEY, v VARCHAR(32));
                DELETE FROM test_cluster.smoke; INSERT INTO test_cluster.smoke VALUES (1, 'from the primary')"
    check "replica: written on the primary" 0 $?
    eventually "replica: read on the replica" "from the primary" 10 replica_has 1
    check "replica: read_only on the replica, not on the primary" "1 0" \
        "$(rp replica 'SELECT @@read_only') $(rp primary 'SELECT @@read_only')"
    local err
    err=$(rp replica "INSERT INTO test_cluster.smoke VALUES (99, 'x')" 2>&1)
    check "replica: a write on the replica fails with 1290" 1290 \
        "$(sed -n 's/^ERROR \([0-9]*\).*/\1/p' <<<"$err")"

    "$replica" kill replica 2>/dev/null
    rp primary "INSERT INTO test_cluster.smoke VALUES (2, 'while the replica was down')"
    check "replica: written while the replica is down" 0 $?
    if env=$("$replica" restart replica 2>/dev/null); then pass "replica: restart replica"; eval "$env"
    else fail "replica: restart replica"; fi
    eventually "replica: catches up after its restart" "while the replica was down" 10 replica_has 2

    "$replica" kill primary 2>/dev/null
    eventually "replica: IO thread notices the primary is gone" Connecting 15 io_running
    t0=$SECONDS
    if env=$("$replica" restart primary 2>/dev/null); then
        pass "replica: restart primary ($((SECONDS - t0))s)"
        eval "$env"
    else
        fail "replica: restart primary"
    fi
    check "replica: IO thread reconnected" Yes "$(io_running)"
    rp primary "INSERT INTO test_cluster.smoke VALUES (3, 'after the primary restarted')"
    eventually "replica: replicates after the primary's restart" "after the primary restarted" 10 \
        replica_has 3

    local pids="$UVMYSQL_REPLICA_PRIMARY_PID $UVMYSQL_REPLICA_REPLICA_PID" n alive=""
    "$replica" stop 2>/dev/null
    check "replica: stop" 3 "$("$replica" status >/dev/null 2>&1; echo $?)"
    for n in $pids; do kill -0 "$n" 2>/dev/null && alive+=" $n"; done
    check "replica: no server process left" "" "$alive"
}

galera_start_s="?" galera_restart_s="?" replica_start_s="?"
t_all=$SECONDS
echo "== galera ($UVMYSQL_GALERA_DIR)"
galera_suite
echo "== primary/replica ($UVMYSQL_REPLICA_DIR)"
replica_suite
echo "timings: galera start ${galera_start_s}s, galera restart of a killed node ${galera_restart_s}s," \
    "replica start ${replica_start_s}s, whole smoke test $((SECONDS - t_all))s"
echo "$passed passed, $failed failed"
(( failed == 0 ))
