#!/usr/bin/env bash
# `archml serve`'s endpoint limits against the real binary on loopback: a slowloris and a
# connection flood at the open-file limit (ulimit -n 64) leave /ping answering and the
# server's CPU bounded (no accept spin); connections over --max-connections get 503;
# slow headers get 408, idle keep-alive connections close; Expect: 100-continue is
# answered; the header limit is exact however its bytes arrive; header names with NUL
# are 400; overflowing JSON numbers are 400 in archml's words; the server's own answers
# reach /metrics and the access log; an unusable --capture-dir fails the start; SIGTERM
# refuses new connections at once and finishes the request in flight.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
attack="$(dirname "$0")/serve_attack.py"
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
for tool in curl python3; do
  command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done

"$archml" serve --help >"$tmp/help"
for flag in --header-timeout-seconds --body-timeout-seconds --idle-timeout-seconds \
  --max-connections 408 503; do
  grep -q -- "$flag" "$tmp/help" || fail "serve --help lacks $flag"
done

"$archml" -q datagen paysim --rows 3000 --seed 3 --out "$tmp/p.csv" >/dev/null
"$archml" -q train --data "$tmp/p.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=5 max_depth=3 \
  --out "$tmp/m" >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"

# start_server NAME FILES ARGS...: `archml serve` on a free port under `ulimit -n FILES`;
# sets $pid, $port and $url.
start_server() {
  local name=$1 files=$2
  shift 2
  (
    ulimit -n "$files"
    exec "$archml" serve --model "$tmp/m/bundle" --port 0 --workers 2 "$@"
  ) >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pid=$!
  servers+=("$pid")
  await_announcement "$tmp/$name.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/$name.err"
  url=$announced
  port=${url##*:}
}

# stop_server PID NAME: SIGTERM; it must exit 0. It leaves the cleanup list.
stop_server() {
  local status=0 kept=()
  kill -TERM "$1"
  wait "$1" || status=$?
  for p in "${servers[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  servers=("${kept[@]}")
  [ "$status" = 0 ] || fail "server $2 exited $status on SIGTERM: $(cat "$tmp/$2.err")"
}

# json_field REPORT KEY: one field of serve_attack.py's report.
json_field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
metric() { curl -s "$url/metrics" | awk -v name="$1" '$1 == name { print $2 }'; }

echo "[${SECONDS}s] == the open-file limit: 300 slow clients and 80 idle ones, the connection cap above it"
start_server files 64 --max-connections 1000 --access-log off
report=$(python3 "$attack" --port "$port" --slow 300 --flood 80 --seconds 3 --pid "$pid" --ping)
echo "$report"
cpu=$(json_field "$report" server_cpu_seconds)
# Before: both workers spun on the readable listening socket (about 2 CPU-seconds a second).
python3 -c "import sys; sys.exit(not float('$cpu') < 0.5)" ||
  fail "the server used $cpu CPU-seconds in 3 s of attack (spinning on accept?)"
[ "$(json_field "$report" ping_failures)" = 0 ] || fail "pings failed under attack: $report"
[ "$(json_field "$report" pings)" -ge 20 ] || fail "too few pings answered under attack: $report"
python3 -c "import sys; sys.exit(not float('$(json_field "$report" ping_p99_ms)') < 250)" ||
  fail "/ping p99 over 250 ms under attack: $report"
[ "$(json_field "$report" answers_503)" -ge 1 ] || fail "no waiting connection was refused: $report"
[ "$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$url/ping")" = 200 ] ||
  fail "/ping on a new connection fails after the attack"
[ "$(metric 'archml_serve_connections_refused_total{reason="file_limit"}')" -ge 1 ] ||
  fail "refusals at the file limit are not in /metrics"
stop_server "$pid" files

echo "[${SECONDS}s] == the connection limit (from ulimit -n 64: 48), timeouts, own answers in metrics and log"
start_server limits 64 --header-timeout-seconds 1 --idle-timeout-seconds 1 \
  --access-log "$tmp/access.log"
grep -q "limits: 48 connections; timeouts: headers 1 s, body 30 s, idle 1 s" "$tmp/limits.out" ||
  fail "start-up line lacks the limits: $(cat "$tmp/limits.out")"
report=$(python3 "$attack" --port "$port" --flood 60 --seconds 0.5 --reopen-rate 0 --pid "$pid")
echo "$report"
[ "$(json_field "$report" answers_503)" -ge 12 ] || fail "connections over 48 were not refused: $report"
python3 -c "import sys; sys.exit(not float('$(json_field "$report" server_cpu_seconds)') < 0.3)" ||
  fail "refusing connections cost too much CPU: $report"
# An idle keep-alive connection closes after --idle-timeout-seconds.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /ping HTTP/1.1\r\nHost: x\r\n\r\n' >&3
timeout 5 cat <&3 >"$tmp/idle" || fail "an idle keep-alive connection stayed open"
exec 3<&-
grep -q "200 OK" "$tmp/idle" || fail "no answer before the idle close: $(cat "$tmp/idle")"
# A header that does not arrive within --header-timeout-seconds gets 408.
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'GET /ping HTTP/1.1\r\nX-Slow: ' >&3
timeout 5 cat <&3 >"$tmp/slow" || fail "a slow header kept its connection open"
exec 3<&-
grep -q "408 Request Timeout" "$tmp/slow" || fail "a slow header got no 408: $(cat "$tmp/slow")"
# Parser-level rejections, each on its own connection.
python3 - "$port" >"$tmp/rejections" <<'PY'
import socket, sys
port = int(sys.argv[1])
def ask(request, step=0):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if step:
        for i in range(0, len(request), step):
            s.sendall(request[i:i + step])
    else:
        s.sendall(request)
    got = b""
    while b"\r\n\r\n" not in got:
        chunk = s.recv(4096)
        if not chunk:
            break
        got += chunk
    s.close()
    return got.split(b" ")[1].decode() if got else "none"
def block(size):  # a GET whose header block, final CRLFCRLF included, is `size` bytes
    head = b"GET /ping HTTP/1.1\r\nX: "
    return head + b"a" * (size - len(head) - 4) + b"\r\n\r\n"
print("garbage", ask(b"GARBAGE\r\n\r\n"))
print("chunked", ask(b"POST /invocations HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"))
print("huge", ask(b"POST /invocations HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"))
print("version", ask(b"GET /ping HTTP/2.0\r\n\r\n"))
print("nul-name", ask(b"GET /ping HTTP/1.1\r\nX\0Y: 1\r\n\r\n"))
print("cr-name", ask(b"GET /ping HTTP/1.1\r\nX\rY: 1\r\n\r\n"))
for size in (16383, 16384, 16385):
    print(f"block-{size}", ask(block(size)), ask(block(size), step=1), ask(block(size), step=1000))
PY
cat >"$tmp/expected" <<'EOF'
garbage 400
chunked 411
huge 413
version 505
nul-name 400
cr-name 400
block-16383 200 200 200
block-16384 200 200 200
block-16385 431 431 431
EOF
diff "$tmp/expected" "$tmp/rejections" || fail "parser-level answers differ (expected < > got)"
for code in 400 408 411 413 431 503 505; do
  count=$(metric "archml_serve_requests_total{code=\"$code\"}")
  [ "${count:-0}" -ge 1 ] || fail "/metrics does not count the $code answers"
  grep -q "\"status\":$code" "$tmp/access.log" || fail "the access log lacks the $code answers"
done
[ "$(metric 'archml_serve_connections_refused_total{reason="connection_limit"}')" -ge 12 ] ||
  fail "refusals over the connection limit are not in /metrics"
[ "$(metric 'archml_serve_connections_timed_out_total{phase="idle"}')" -ge 1 ] ||
  fail "idle timeouts are not in /metrics"

echo "[${SECONDS}s] == Expect: 100-continue (curl sends it for bodies over 1 MB and waits 1 s without it)"
head -c 2000000 /dev/zero | tr '\0' '\n' >"$tmp/blank-lines.csv"
code=$(curl -sv -o /dev/null -w '%{http_code}' -H 'Content-Type: text/csv' \
  --data-binary "@$tmp/blank-lines.csv" "$url/invocations" 2>"$tmp/curl.err")
[ "$code" = 204 ] || fail "2 MB of blank lines: status $code"
grep -q "HTTP/1.1 100 Continue" "$tmp/curl.err" || fail "no 100 Continue: $(grep '^[<>]' "$tmp/curl.err")"

echo "[${SECONDS}s] == overflowing JSON numbers: 400 in archml's words"
features=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["features"]))' "$tmp/m/bundle/bundle.json")
overflow() {  # overflow TYPE BODY: expects 400 saying the number is out of range
  local status
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: $1" --data-binary "$2" "$url/invocations")
  [ "$status" = 400 ] || fail "$1 $2: status $status: $(cat "$tmp/body")"
  grep -q "is out of range" "$tmp/body" || fail "$1 $2: $(cat "$tmp/body")"
  ! grep -q "json.exception" "$tmp/body" || fail "$1 $2: the JSON library's text reached the client"
}
overflow application/json '{"instances": [[1, "TRANSFER", 1e400, "C1", 0, 0, "M1", 0, 0, 0]]}'
overflow application/jsonlines $'[1, "TRANSFER", 181, "C1", 0, 0, "M1", 0, 0, 0]\n[1, "TRANSFER", 1E1111111111, "C1", 0, 0, "M1", 0, 0, 0]'
stop_server "$pid" limits
start_server prepared 1024 --prepared --access-log off
row=$(python3 -c "print(', '.join(['1e400'] + ['0'] * ($features - 1)))")
overflow application/json "{\"instances\": [[$row]]}"
overflow application/jsonlines "[$row]"
stop_server "$pid" prepared

echo "[${SECONDS}s] == an unusable --capture-dir fails the start"
: >"$tmp/a-file"
expect_failure 4 "--capture-dir $tmp/a-file/captures: cannot create" -- \
  "$archml" serve --model "$tmp/m/bundle" --port 0 --capture-dir "$tmp/a-file/captures"

echo "[${SECONDS}s] == SIGTERM: new connections are refused at once, the request in flight is answered"
start_server drain 1024 --access-log off
python3 - "$port" "$pid" <<'PY'
import os, signal, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
body = b"1,TRANSFER,181.0,C1,181.0,0.0,C2,0.0,0.0,0\n"
inflight = socket.create_connection(("127.0.0.1", port), timeout=5)
inflight.sendall(b"POST /invocations HTTP/1.1\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n" % len(body) + body[:10])
time.sleep(0.2)
os.kill(pid, signal.SIGTERM)
time.sleep(0.3)
try:
    late = socket.create_connection(("127.0.0.1", port), timeout=2)
    late.sendall(b"GET /ping HTTP/1.1\r\n\r\n")
    sys.exit(f"a new connection during the drain was accepted; it got {late.recv(100)!r}")
except ConnectionRefusedError:
    pass
except socket.timeout:
    sys.exit("a new connection during the drain hung instead of being refused")
inflight.sendall(body[10:])
answer = inflight.recv(4096)
if not answer.startswith(b"HTTP/1.1 200"):
    sys.exit(f"the request in flight got {answer!r}")
PY
wait "$pid" || fail "the draining server exited $?: $(cat "$tmp/drain.err")"
servers=()
grep -q "archml serve: stopped" "$tmp/drain.err" || fail "the drain did not finish: $(cat "$tmp/drain.err")"
echo "[${SECONDS}s] PASS"
