#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A private MariaDB for uvmysql's integration tests: its own folder, port, socket and TLS
# certificates, started from Debian's mariadb-server binaries and never the system service.
#
#   test/mariadb/server.sh start    start (or re-check) the instance, then print its env
#   test/mariadb/server.sh stop     stop the instance whose pid is in its pid file
#   test/mariadb/server.sh status   say whether it runs (exit 0) or not (exit 3)
#   test/mariadb/server.sh env      print `export UVMYSQL_TEST_*=...` for eval
#
#   eval "$(test/mariadb/server.sh start)"     # one line to start and import the settings
#
# Settings (environment): UVMYSQL_TEST_PORT (3307), UVMYSQL_SERVER_DIR
# (/tmp/uvmysql-mariadb-<uid>-<port>), UVMYSQL_SERVER_TIMEOUT (seconds to wait, 60).
# Progress goes to stderr; only the export line goes to stdout.
set -euo pipefail

port=${UVMYSQL_TEST_PORT:-3307}
dir=${UVMYSQL_SERVER_DIR:-/tmp/uvmysql-mariadb-$(id -u)-$port}
timeout=${UVMYSQL_SERVER_TIMEOUT:-60}

datadir=$dir/data
socket=$dir/mysqld.sock
pidfile=$dir/mysqld.pid
errlog=$dir/error.log
certs=$dir/certs
tmpdir=$dir/tmp

log() { printf 'server.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

usage() {
    sed -n '3,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
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

# The pid in the pid file, if that process is alive and is the mariadbd of *this* datadir
# (a pid can be reused by another program after a crash; never signal that one).
live_pid() {
    [[ -s $pidfile ]] || return 1
    local pid
    pid=$(tr -dc '0-9' <"$pidfile")
    [[ -n $pid ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--datadir=$datadir " \
        || return 1
    echo "$pid"
}

client() {  # the mariadb client as root over this instance's unix socket, no config files read
    "$mariadb_client" --no-defaults --protocol=socket --socket="$socket" -uroot "$@"
}

answering() {
    "$mariadb_admin" --no-defaults --protocol=socket --socket="$socket" -uroot \
        --connect-timeout=2 ping >/dev/null 2>&1
}

ipv6_loopback() {  # ::1 is configured on some interface (and IPv6 is not disabled)
    [[ -r /proc/net/if_inet6 ]] && grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6
}

plugin_dir() {
    "$mariadbd" --no-defaults --verbose --help 2>/dev/null \
        | awk '$1 == "plugin-dir" { print $2; exit }'
}

# --- certificates ----------------------------------------------------------------------------

make_certs() {
    [[ -s $certs/ca.pem && -s $certs/server-cert.pem && -s $certs/client-cert.pem \
        && -s $certs/wrong-ca.pem ]] && return 0
    command -v openssl >/dev/null 2>&1 || die "openssl is missing (apt-get install openssl)"
    log "generating test certificates in $certs"
    rm -rf "$certs"
    mkdir -p "$certs"
    (
        cd "$certs"
        exec 2>openssl.log
        cat >ext.cnf <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[client]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
        # RSA 2048 + SHA-256: what both OpenSSL (server) and mbedTLS 2.28 (client) accept.
        new_ca() {  # name CN
            openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$1-key.pem" -out "$1.csr" \
                -subj "/O=uvmysql tests/CN=$2"
            openssl x509 -req -sha256 -days 3650 -in "$1.csr" -signkey "$1-key.pem" \
                -extfile ext.cnf -extensions ca -set_serial "0x$(openssl rand -hex 8)" -out "$1.pem"
        }
        new_leaf() {  # name CN extensions
            openssl req -new -newkey rsa:2048 -nodes -sha256 -keyout "$1-key.pem" -out "$1.csr" \
                -subj "/O=uvmysql tests/CN=$2"
            openssl x509 -req -sha256 -days 3650 -in "$1.csr" -CA ca.pem -CAkey ca-key.pem \
                -extfile ext.cnf -extensions "$3" -set_serial "0x$(openssl rand -hex 8)" \
                -out "$1-cert.pem"
        }
        new_ca ca "uvmysql test CA"
        new_ca wrong-ca "uvmysql untrusted CA"
        new_leaf server localhost server
        new_leaf client uvmysql_x509 client
        rm -f ./*.csr
        chmod 600 ./*-key.pem
        openssl verify -CAfile ca.pem server-cert.pem client-cert.pem >/dev/null
    ) || { cat "$certs/openssl.log" >&2 2>/dev/null || true; die "certificate generation failed"; }
}

# --- data directory --------------------------------------------------------------------------

install_db() {
    [[ -f $datadir/.uvmysql-installed ]] && return 0
    log "initialising $datadir"
    rm -rf "$datadir"
    mkdir -p "$datadir"
    local args=(--no-defaults --datadir="$datadir" --auth-root-authentication-method=normal
                --skip-test-db --skip-name-resolve)
    [[ $(id -u) -eq 0 ]] && args+=(--user=root)
    if ! "$install_db" "${args[@]}" >"$dir/install-db.log" 2>&1; then
        tail -n 40 "$dir/install-db.log" >&2
        die "mariadb-install-db failed (full log: $dir/install-db.log)"
    fi
    touch "$datadir/.uvmysql-installed"
}

# --- server ----------------------------------------------------------------------------------

launch() {
    local bind=127.0.0.1
    ipv6_loopback && bind=127.0.0.1,::1
    local args=(
        --no-defaults
        --datadir="$datadir" --tmpdir="$tmpdir"
        --port="$port" --socket="$socket" --bind-address="$bind"
        --pid-file="$pidfile" --log-error="$errlog"
        --skip-name-resolve --skip-log-bin --skip-slave-start
        --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
        --max-allowed-packet=64M --local-infile=1 --max-connections=2200   # the bench's W2-1024
        --innodb-buffer-pool-size=64M --innodb-log-file-size=16M
        --innodb-flush-log-at-trx-commit=2 --innodb-use-native-aio=0
        --performance-schema=ON   # session_connect_attrs: the attributes a client sends
        --ssl-ca="$certs/ca.pem" --ssl-cert="$certs/server-cert.pem" --ssl-key="$certs/server-key.pem"
    )
    [[ $(id -u) -eq 0 ]] && args+=(--user=root)
    local pdir
    pdir=$(plugin_dir)
    if [[ -n $pdir && -f $pdir/auth_ed25519.so ]]; then
        args+=(--plugin-load-add=auth_ed25519)
    fi
    mkdir -p "$tmpdir"
    rm -f "$pidfile" "$socket"
    : >>"$errlog"
    log "starting mariadbd on 127.0.0.1:$port$([[ $bind == *::1* ]] && echo ' and [::1]'):$port, socket $socket"
    # setsid: the server outlives this script and ignores the caller's Ctrl-C.
    # 9>&-: the server must not inherit (and so keep holding) the instance lock.
    setsid "$mariadbd" "${args[@]}" </dev/null >>"$dir/mariadbd.out" 2>&1 9>&- &
    local child=$!
    local waited=0
    while (( waited < timeout * 5 )); do
        if ! kill -0 "$child" 2>/dev/null; then
            log "mariadbd exited during start-up; last lines of $errlog:"
            tail -n 30 "$errlog" >&2
            tail -n 10 "$dir/mariadbd.out" >&2 2>/dev/null || true
            die "mariadbd did not start"
        fi
        if answering; then
            # The pid file appears just before the server accepts connections.
            [[ -s $pidfile ]] || echo "$child" >"$pidfile"
            return 0
        fi
        sleep 0.2
        waited=$((waited + 1))
    done
    log "mariadbd did not answer within ${timeout}s; last lines of $errlog:"
    tail -n 30 "$errlog" >&2
    kill -TERM "$child" 2>/dev/null || true
    die "mariadbd did not answer"
}

setup_sql() {
    local ed25519=$1
    cat <<'EOF'
SET SESSION sql_log_bin = 0;
CREATE DATABASE IF NOT EXISTS test_pymysql CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE DATABASE IF NOT EXISTS test_pymysql2 CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;
CREATE DATABASE IF NOT EXISTS bench CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;

-- root with an empty mysql_native_password over TCP (v4 and v6) and the socket, as aiomysql's
-- suite expects; no unix_socket plugin in the way.
CREATE USER IF NOT EXISTS 'root'@'localhost';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
CREATE USER IF NOT EXISTS 'root'@'::1';
ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
ALTER USER 'root'@'127.0.0.1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
ALTER USER 'root'@'::1' IDENTIFIED VIA mysql_native_password USING PASSWORD('');
GRANT ALL PRIVILEGES ON *.* TO 'root'@'localhost' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'root'@'::1' WITH GRANT OPTION;

CREATE USER IF NOT EXISTS 'uvmysql_native'@'%';
ALTER USER 'uvmysql_native'@'%' IDENTIFIED VIA mysql_native_password USING PASSWORD('native-pw') REQUIRE NONE;
CREATE USER IF NOT EXISTS 'uvmysql_ssl'@'%';
ALTER USER 'uvmysql_ssl'@'%' IDENTIFIED BY 'ssl-pw' REQUIRE SSL;
CREATE USER IF NOT EXISTS 'uvmysql_x509'@'%';
ALTER USER 'uvmysql_x509'@'%' IDENTIFIED BY 'x509-pw' REQUIRE X509;
CREATE USER IF NOT EXISTS 'uvmysql_nodb'@'%';
ALTER USER 'uvmysql_nodb'@'%' IDENTIFIED BY 'nodb-pw' REQUIRE NONE;
EOF
    local u
    for u in uvmysql_native uvmysql_ssl uvmysql_x509; do
        echo "GRANT ALL PRIVILEGES ON test_pymysql.* TO '$u'@'%';"
        echo "GRANT ALL PRIVILEGES ON test_pymysql2.* TO '$u'@'%';"
    done
    if [[ $ed25519 == 1 ]]; then
        cat <<'EOF'
CREATE USER IF NOT EXISTS 'uvmysql_ed25519'@'%';
ALTER USER 'uvmysql_ed25519'@'%' IDENTIFIED VIA ed25519 USING PASSWORD('ed-pw') REQUIRE NONE;
GRANT ALL PRIVILEGES ON test_pymysql.* TO 'uvmysql_ed25519'@'%';
GRANT ALL PRIVILEGES ON test_pymysql2.* TO 'uvmysql_ed25519'@'%';
EOF
    fi
    echo "FLUSH PRIVILEGES;"
}

configure() {
    local ed25519=0
    if [[ $(client -N -B -e "SELECT COUNT(*) FROM information_schema.PLUGINS
            WHERE PLUGIN_NAME = 'ed25519' AND PLUGIN_STATUS = 'ACTIVE'") == 1 ]]; then
        ed25519=1
    fi
    # install-db also makes root@<hostname> (ignored under skip-name-resolve, but it warns) and
    # may make anonymous users, which would shadow 'user'@'%' for local clients: drop them.
    local extra
    extra=$(client -N -B -e "SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.user
            WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost', '127.0.0.1', '::1'))" \
            | paste -sd, -)
    if [[ -n $extra ]]; then client -e "DROP USER $extra" || die "could not drop $extra"; fi
    if ! setup_sql "$ed25519" | client 2>"$dir/setup.err"; then
        cat "$dir/setup.err" >&2
        die "the SQL set-up failed"
    fi
    echo "$ed25519" >"$dir/ed25519"
}

print_env() {
    local pid ed25519=0 ipv6=0
    pid=$(live_pid || true)
    [[ -f $dir/ed25519 ]] && ed25519=$(<"$dir/ed25519")
    ipv6_loopback && ipv6=1
    printf 'export UVMYSQL_TEST_HOST=127.0.0.1 UVMYSQL_TEST_PORT=%q UVMYSQL_TEST_SOCKET=%q' \
        "$port" "$socket"
    printf ' UVMYSQL_TEST_USER=root UVMYSQL_TEST_PASSWORD= UVMYSQL_TEST_DB=test_pymysql'
    printf ' UVMYSQL_TEST_CA=%q UVMYSQL_TEST_CLIENT_CERT=%q UVMYSQL_TEST_CLIENT_KEY=%q' \
        "$certs/ca.pem" "$certs/client-cert.pem" "$certs/client-key.pem"
    printf ' UVMYSQL_TEST_WRONG_CA=%q UVMYSQL_TEST_ED25519=%s UVMYSQL_TEST_IPV6=%s' \
        "$certs/wrong-ca.pem" "$ed25519" "$ipv6"
    printf ' UVMYSQL_SERVER_DIR=%q UVMYSQL_SERVER_PID=%s\n' "$dir" "$pid"
}

tools() {
    mariadbd=$(find_tool mariadbd mysqld) || die "mariadbd not found (apt-get install mariadb-server)"
    install_db=$(find_tool mariadb-install-db mysql_install_db) \
        || die "mariadb-install-db not found (apt-get install mariadb-server)"
    mariadb_client=$(find_tool mariadb mysql) || die "mariadb client not found (apt-get install mariadb-client)"
    mariadb_admin=$(find_tool mariadb-admin mysqladmin) || die "mariadb-admin not found"
}

lock() {  # one start/stop at a time per instance
    mkdir -p "$dir"
    exec 9>"$dir/lock"
    if command -v flock >/dev/null 2>&1; then flock -w "$((timeout + 30))" 9 || die "$dir is locked"; fi
}

cmd_start() {
    tools
    if (( ${#socket} > 107 )); then die "socket path too long for a unix socket: $socket"; fi
    lock
    local pid
    if pid=$(live_pid); then
        log "already running (pid $pid); re-applying the SQL set-up"
        local waited=0
        until answering; do
            (( waited++ < timeout * 5 )) || { tail -n 30 "$errlog" >&2; die "pid $pid does not answer"; }
            sleep 0.2
        done
    else
        [[ -e $pidfile ]] && log "removing the stale pid file $pidfile"
        make_certs
        install_db
        launch
    fi
    configure
    log "ready: $(client -N -B -e 'SELECT VERSION()')"
    print_env
}

cmd_stop() {
    lock
    local pid
    if ! pid=$(live_pid); then
        log "not running"
        rm -f "$pidfile"
        return 0
    fi
    log "stopping pid $pid"
    kill -TERM "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null; do
        if (( waited++ >= timeout * 5 )); then
            log "pid $pid ignored SIGTERM for ${timeout}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$pidfile"
}

cmd_status() {
    local pid
    if pid=$(live_pid); then
        echo "running: pid $pid, 127.0.0.1:$port, socket $socket, folder $dir"
    else
        echo "not running (folder $dir)"
        return 3
    fi
}

case ${1:-} in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) print_env ;;
    *) usage ;;
esac
