#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The scripted client of samples/tcp_server.cpp (run by samples/run.sh): starts the server in
# each mode, checks its answers (pipelined requests, a bad request, HTTP keep-alive), then stops
# it with SIGINT and checks that it shut down cleanly (exit status 0) within 10 s.
# Usage: samples/tcp_server_client.sh path/to/sample-tcp-server   (server env from server.sh)
set -euo pipefail
server_bin=$1
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# run_mode MODE-FLAGS... : starts the server, runs the Python check against it, stops it.
run_mode() {
    "$server_bin" "$@" >"$out" &
    local pid=$!
    local port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$out")
        [[ -n $port ]] && break
        kill -0 "$pid" 2>/dev/null || { echo "the server exited before listening" >&2; return 1; }
        sleep 0.1
    done
    [[ -n $port ]] || { kill "$pid"; echo "the server never listened" >&2; return 1; }
    python3 - "$port" "${1:-line}" <<'PY'
import socket, sys
port, mode = int(sys.argv[1]), sys.argv[2].lstrip("-")
s = socket.create_connection(("127.0.0.1", port), timeout=10)
def read_until(marker, count):
    data = b""
    while data.count(marker) < count:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode()
if mode == "line":
    s.sendall(b"12\n7\nabc\n-3\n")   # pipelined: answers come back in order
    got = read_until(b"\n", 4)
    want = "144\n49\nerror: not a number\n9\n"
else:
    req = b"GET /square?n=%d HTTP/1.1\r\nHost: x\r\n\r\n"
    s.sendall(req % 12 + req % 5)       # keep-alive, pipelined
    got = read_until(b"\n", 2 * 5)
    got = "|".join(part.split("\r\n\r\n")[1] for part in got.split("HTTP/1.1 ")[1:])
    want = "144\n|25\n"
if got != want:
    sys.exit("%s mode: got %r, want %r" % (mode, got, want))
print("%s mode: %s" % (mode, got.replace("\n", " ").strip()))
PY
    local rc=$?
    kill -INT "$pid"
    local waited=0
    while kill -0 "$pid" 2>/dev/null && (( waited < 100 )); do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid"
        echo "the server did not shut down within 10 s of SIGINT" >&2
        return 1
    fi
    wait "$pid" || { echo "the server exited with status $?" >&2; return 1; }
    return $rc
}

run_mode
run_mode --http
run_mode --http-static
echo "tcp server: answers and clean shutdown in every mode"
