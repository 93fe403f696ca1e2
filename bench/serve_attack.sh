#!/usr/bin/env bash
# The endpoint under attack: a well-behaved client's /ping and /invocations p99 on an idle
# `archml serve`, then on the same server (same run, same connections) under a 300-
# connection slowloris plus a connection flood to the open-file limit, and the server's
# CPU seconds in each phase.
#   well-behaved: two archml_serve_client processes (bench/serve_client.cpp), one GET /ping
#     and one POST /invocations of one raw row, each on one keep-alive connection opened
#     before the attack and paced at BENCH_RATE requests/s (default 1000); each reports
#     p50/p99 per phase. Two rounds of idle, ramp-up (not judged), attack, cool-down (not
#     judged): on a shared machine a neighbour's burst can land in any one phase, so each
#     side is the mean of its two phases' p99.
#   attack: tests/integration/serve_attack.py: 300 connections trickling a header a byte
#     every 0.5 s and BENCH_FILE_LIMIT idle connections (the flood), each reopened (at up
#     to 200/s) when the server closes it.
# The server runs under `ulimit -n BENCH_FILE_LIMIT` (default 1024) twice: with the default
# connection cap (the flood meets the cap, 503s) and with the cap lifted above the file
# limit (--max-connections 100000: accept meets EMFILE and backs off).
# The server and the well-behaved clients run at `nice BENCH_NICE` (default -10 when root,
# else 0) and the attacker at the default priority: on this shared 2-core machine the
# other engineers' builds would otherwise decide the p99 (a neighbour's burst moves an
# idle phase's p99 from 0.13 to 5 ms), and the attacker, which would run on other machines
# in real life, gets no advantage over the server from sharing its cores.
# Usage: bench/serve_attack.sh [ROWS]  (rows of PaySim data to train on; default 20000)
# Env: BENCH_SECONDS (each judged phase, default 5), BENCH_RATE, BENCH_FILE_LIMIT,
#      BENCH_DIR, BUILD_DIR.
# Prints, per case, idle and attack p99 of both routes, their ratio, the server's CPU
# seconds per phase, and PASS/FAIL against the goal (attack p99 <= 2x idle p99).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-20000}
seconds=${BENCH_SECONDS:-5}
rate=${BENCH_RATE:-1000}
files=${BENCH_FILE_LIMIT:-1024}
ramp=2
priority=${BENCH_NICE:-$([ "$(id -u)" = 0 ] && echo -10 || echo 0)}
source "$root/bench/lib.sh"
model=$work/serve-attack-model
if [ ! -f "$model/bundle/model.json" ]; then
  "$archml" -q train --data "$data" --target isFraud \
    --recipe "$root/examples/paysim/recipe.yaml" --hp num_round=100 max_depth=5 \
    --out "$model" >/dev/null
fi
client=$(archml_bench_binary "$build" archml_serve_client)
sed -n 2p "$data" | cut -d, -f1-9,11 >"$work/serve-attack-row.csv"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
# sleep_until START OFFSET: sleeps until START (epoch seconds) + OFFSET seconds.
sleep_until() {
  sleep "$(awk -v t="$1" -v o="$2" -v n="$EPOCHREALTIME" 'BEGIN { d = t + o - n; printf "%.6f", (d > 0 ? d : 0) }')"
}
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }

# one_case NAME ARGS...: a server with ARGS, the clients through idle, ramp and attack.
one_case() {
  local name=$1 server port ping invocations
  shift
  (
    ulimit -n "$files"
    exec nice -n "$priority" "$archml" serve --model "$model/bundle" --port 0 --workers "$(nproc)" --access-log off "$@"
  ) >"$work/$name.server.out" 2>"$work/$name.server.err" &
  server=$!
  pids+=("$server")
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on http:[^ ]*:\([0-9]*\).*/\1/p' "$work/$name.server.out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { cat "$work/$name.server.err" >&2; exit 1; }
  grep "limits:" "$work/$name.server.out"
  local schedule="$seconds,$ramp,$seconds,$ramp,$seconds,$ramp,$seconds"
  nice -n "$priority" "$client" --port "$port" --path /ping --method GET --rate "$rate" \
    --phases "$schedule" >"$work/$name.ping" &
  ping=$!
  nice -n "$priority" "$client" --port "$port" --body "$work/serve-attack-row.csv" --rate "$rate" \
    --phases "$schedule" >"$work/$name.invocations" &
  invocations=$!
  # The clients connect, then sleep 50 ms before their clock starts at `start`.
  local start idle=0 attack=0 before attacker
  start=$(awk -v n="$EPOCHREALTIME" 'BEGIN { printf "%.6f", n + 0.05 }')
  for round in 0 1; do
    local at=$((round * (2 * seconds + 2 * ramp)))
    sleep_until "$start" "$at"
    before=$(cpu_seconds "$server")
    sleep_until "$start" $((at + seconds))
    idle=$(awk -v a="$idle" -v b="$before" -v c="$(cpu_seconds "$server")" 'BEGIN { print a + c - b }')
    nice -n "${BENCH_ATTACKER_NICE:-0}" python3 "$root/tests/integration/serve_attack.py" --port "$port" --slow 300 --flood "$files" \
      --seconds "$((ramp + seconds))" >"$work/$name.attack-$round" &
    attacker=$!
    sleep_until "$start" $((at + seconds + ramp))
    before=$(cpu_seconds "$server")
    sleep_until "$start" $((at + 2 * seconds + ramp))
    attack=$(awk -v a="$attack" -v b="$before" -v c="$(cpu_seconds "$server")" 'BEGIN { print a + c - b }')
    wait "$attacker"
  done
  wait "$ping" "$invocations"
  curl -s "http://127.0.0.1:$port/metrics" | grep -E '^archml_serve_(open_connections|connections_(refused|timed_out))' >"$work/$name.metrics" || true
  kill -TERM "$server"
  wait "$server" || true
  echo "CPU idle=$idle attack=$attack" >"$work/$name.cpu"
}

echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); ulimit -n $files; $rate requests/s per client; ${seconds}s per phase; nice $priority"
one_case attack-cap
one_case attack-file-limit --max-connections 100000
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/python3 - "$work" "$seconds" <<'PY'
import json, re, sys
work, seconds = sys.argv[1], float(sys.argv[2])
def phases(name):
    out = []
    for line in open(f"{work}/{name}").read().splitlines():
        if line.startswith("RESULT"):
            out.append({k: float(v) for k, v in (kv.split("=") for kv in line.split()[1:])})
    return out
print("| case | route | idle p50 / p99 (rounds 1, 2) | attack p50 / p99 (rounds 1, 2) | mean p99 ratio | errors | server CPU idle / attack (10 s each) | goal (ratio <= 2) |")
print("|---|---|---|---|---|---|---|---|")
for case, label in (("attack-cap", "cap (default)"), ("attack-file-limit", "cap above the file limit")):
    cpu = dict(kv.split("=") for kv in open(f"{work}/{case}.cpu").read().split()[1:])
    for route in ("ping", "invocations"):
        p = phases(f"{case}.{route}")
        idle, attack = [p[0], p[4]], [p[2], p[6]]
        mean = lambda runs: sum(r["p99_us"] for r in runs) / len(runs)
        ratio = mean(attack) / max(mean(idle), 1)
        errors = sum(r["errors"] for r in attack)
        ok = ratio <= 2 and errors == 0
        show = lambda runs: ", ".join(f"{r['p50_us']:.0f} / {r['p99_us']:.0f}" for r in runs)
        print(f"| {label} | /{route} | {show(idle)} µs | {show(attack)} µs | {ratio:.2f}x | "
              f"{errors:.0f} | {float(cpu['idle']):.2f} / {float(cpu['attack']):.2f} s | "
              f"{'PASS' if ok else 'FAIL'} |")
for case in ("attack-cap", "attack-file-limit"):
    for round in (0, 1):
        report = json.loads(open(f"{work}/{case}.attack-{round}").read())
        print(f"\n{case}, round {round + 1}: attacker {json.dumps(report)}")
    print(open(f"{work}/{case}.metrics").read().strip())
PY
