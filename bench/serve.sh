#!/usr/bin/env bash
# Real-time endpoint benchmark: `archml serve` against the Python peer (bench/peer/serve.py:
# python3-xgboost inplace_predict behind ThreadingHTTPServer, same CSV contract, same
# feature preparation) on the same bundle, in the same run, driven by wrk over loopback
# keep-alive connections (bench/serve.lua POSTs a body file), and on one connection also
# by bench/serve_client.cpp (archml_serve_client), a keep-alive client that busy-polls its
# socket instead of sleeping in epoll as wrk does; both sides get the same client.
# Usage: bench/serve.sh [ROWS]   (rows of generated PaySim data to train on; default 200000)
# Env: BENCH_SECONDS (per wrk run, default 5), BENCH_ROUNDS (default 2), BENCH_DIR, BUILD_DIR.
# Prints p50/p99 latency and requests/s per case, the ratios, and PASS/FAIL against the
# issue's targets (single raw row: p50 <= 60 us, p99 <= 200 us, >= 10x the peer's requests/s
# with 1 connection (judged with the busy-polling client; wrk's figure is shown for
# reference) and with 8; 1,000-row requests: >= 5x the peer's rows/s; capture at 100 %
# costs <= 10 % of throughput, as the median over back-to-back pairs of runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-200000}
seconds=${BENCH_SECONDS:-5}
source "$root/bench/lib.sh"
if [ ! -f "$work/serve-model/bundle/model.json" ]; then
  "$archml" -q train --data "$data" --target isFraud \
    --recipe "$root/examples/paysim/recipe.yaml" \
    --hp num_round=100 max_depth=5 subsample=0.8 eta=0.2 gamma=4 min_child_weight=6 \
    max_delta_step=1 --out "$work/serve-model" >/dev/null
fi
bundle=$work/serve-model/bundle
client=$(archml_bench_binary "$build" archml_serve_client)

# Bodies: one raw row (no target), and 1,000 raw rows.
sed -n 2,1001p "$data" | cut -d, -f1-9,11 >"$work/serve-1000.csv"
grep -m1 TRANSFER "$work/serve-1000.csv" >"$work/serve-1.csv" || head -1 "$work/serve-1000.csv" >"$work/serve-1.csv"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
wait_ready() {
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "http://127.0.0.1:$1/ping" && return 0
    sleep 0.05
  done
  echo "server on port $1 did not start" >&2
  exit 1
}
archml_port=18931
peer_port=18932
capture_port=18933
"$archml" serve --model "$bundle" --port $archml_port --workers "$(nproc)" --access-log off \
  >"$work/serve-archml.log" 2>&1 &
pids+=($!)
/usr/bin/python3 "$root/bench/peer/serve.py" "$bundle" $peer_port >"$work/serve-peer.log" 2>&1 &
pids+=($!)
rm -rf "$work/serve-capture"
"$archml" serve --model "$bundle" --port $capture_port --workers "$(nproc)" --access-log off \
  --capture-dir "$work/serve-capture" --capture-percent 100 >"$work/serve-capture.log" 2>&1 &
pids+=($!)
wait_ready $archml_port
wait_ready $peer_port
wait_ready $capture_port

# Both sides score the 1,000 rows alike (float32 XGBoost on both: to 1e-6).
curl -s -H 'Content-Type: text/csv' --data-binary "@$work/serve-1000.csv" \
  "http://127.0.0.1:$archml_port/invocations" >"$work/serve-archml.scores"
curl -s -H 'Content-Type: text/csv' --data-binary "@$work/serve-1000.csv" \
  "http://127.0.0.1:$peer_port/invocations" >"$work/serve-peer.scores"
paste -d, "$work/serve-archml.scores" "$work/serve-peer.scores" |
  awk -F, '{ d = $1 - $2; if (d < 0) d = -d; if (d > m) m = d } END { printf "max score difference archml vs peer on 1,000 rows: %.2g\n", m; exit (NR != 1000 || m > 1e-6) }' ||
  { echo "archml and the peer disagree" >&2; exit 1; }

# run NAME PORT BODY THREADS CONNECTIONS: one wrk run; its RESULT line into $work/NAME.wrk.
run() {
  BODY_FILE=$3 wrk -t"$4" -c"$5" -d"${seconds}s" --latency -s "$root/bench/serve.lua" \
    "http://127.0.0.1:$2/invocations" >"$work/$1.wrk"
  grep RESULT "$work/$1.wrk" | sed "s/^RESULT/$1/"
}

# cpu_run NAME PORT PID: a capture-comparison run (1 row, 8 connections) that also records
# the server's CPU time (user + system, all its threads, the capture writer included), so
# the cost of capture shows as CPU per request even when neighbours make requests/s noisy.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cpu_run() {
  local before
  before=$(cpu_ticks "$3")
  run "$1" "$2" "$work/serve-1.csv" 2 8
  echo "CPU ticks=$(($(cpu_ticks "$3") - before)) hz=$(getconf CLK_TCK)" >>"$work/$1.wrk"
}

# client NAME PORT BODY: one archml_serve_client run (1 connection, busy-polling).
client() {
  "$client" --port "$2" --body "$3" --seconds "$seconds" --busy-poll >"$work/$1.wrk"
  grep RESULT "$work/$1.wrk" | sed "s/^RESULT/$1/"
}

echo "machine: $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg); wrk ${seconds}s per case"
# Warm-up (page cache, branch predictors, Python's first requests).
BODY_FILE=$work/serve-1.csv wrk -t1 -c1 -d1s -s "$root/bench/serve.lua" "http://127.0.0.1:$archml_port/invocations" >/dev/null
BODY_FILE=$work/serve-1.csv wrk -t1 -c1 -d1s -s "$root/bench/serve.lua" "http://127.0.0.1:$peer_port/invocations" >/dev/null
# Each case alternates archml and the peer BENCH_ROUNDS times (default 2) and keeps each
# side's best run: on a shared machine a single run says as much about the neighbours as
# about the servers, and both sides get the same treatment.
rounds=${BENCH_ROUNDS:-2}
for round in $(seq 1 "$rounds"); do
  run archml-1row-1conn-$round $archml_port "$work/serve-1.csv" 1 1
  run peer-1row-1conn-$round $peer_port "$work/serve-1.csv" 1 1
  client archml-1row-client-$round $archml_port "$work/serve-1.csv"
  client peer-1row-client-$round $peer_port "$work/serve-1.csv"
  run archml-1row-8conn-$round $archml_port "$work/serve-1.csv" 2 8
  run peer-1row-8conn-$round $peer_port "$work/serve-1.csv" 2 8
  run archml-1000rows-2conn-$round $archml_port "$work/serve-1000.csv" 2 2
  run peer-1000rows-2conn-$round $peer_port "$work/serve-1000.csv" 2 2
  cpu_run archml-capture-1row-8conn-$round $capture_port "${pids[2]}"
  cpu_run archml-nocapture-1row-8conn-$round $archml_port "${pids[0]}"
  cpu_run archml-capture-1row-8conn-b$round $capture_port "${pids[2]}"
  cpu_run archml-nocapture-1row-8conn-b$round $archml_port "${pids[0]}"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
captured=$(find "$work/serve-capture" -name '*.jsonl' -exec cat {} + | wc -l)
echo "capture lines written: $captured"
echo

/usr/bin/python3 - "$work" "$rounds" <<'PY'
import re, sys
work = sys.argv[1]
def result(name):
    text = open(f"{work}/{name}.wrk").read()
    fields = dict(kv.split("=") for kv in re.search(r"RESULT (.*)", text).group(1).split())
    out = {k: float(v) for k, v in fields.items()}
    cpu = re.search(r"CPU ticks=(\d+) hz=(\d+)", text)
    if cpu:
        out["cpu_s"] = int(cpu.group(1)) / int(cpu.group(2))
    return out
rounds = int(sys.argv[2])
names = ["archml-1row-1conn", "peer-1row-1conn", "archml-1row-client", "peer-1row-client", "archml-1row-8conn", "peer-1row-8conn",
         "archml-1000rows-2conn", "peer-1000rows-2conn", "archml-capture-1row-8conn",
         "archml-nocapture-1row-8conn"]
r = {}
for name in names:
    runs = [result(f"{name}-{i}") for i in range(1, rounds + 1)]
    if "capture" in name:  # two runs a round, alternating with and without capture
        runs += [result(f"{name}-b{i}") for i in range(1, rounds + 1)]
    r[name] = dict(max(runs, key=lambda x: x["rps"]))
    r[name]["errors"] = sum(x["errors"] for x in runs)
def verdict(ok): return "PASS" if ok else "FAIL"
print("| case | archml | peer | ratio | target |")
print("|---|---|---|---|---|")
a, p = r["archml-1row-1conn"], r["peer-1row-1conn"]
print(f"| wrk, 1 raw row, 1 conn: p50 | {a['p50_us']:.0f} µs | {p['p50_us']:.0f} µs | | ≤ 60 µs: {verdict(a['p50_us'] <= 60)} |")
print(f"| wrk, 1 raw row, 1 conn: p99 | {a['p99_us']:.0f} µs | {p['p99_us']:.0f} µs | | ≤ 200 µs: {verdict(a['p99_us'] <= 200)} |")
# wrk sleeps in epoll between a response and its next request, so on one connection its
# own wake-up is about half of archml's round trip (p50 22 µs against 11 µs with the
# busy-polling client): the 10x target on one connection is judged with that client.
print(f"| wrk, 1 raw row, 1 conn: requests/s | {a['rps']:,.0f} | {p['rps']:,.0f} | {a['rps']/p['rps']:.1f}x | reference (bound by wrk's wake-up) |")
a, p = r["archml-1row-client"], r["peer-1row-client"]
print(f"| busy-polling client, 1 raw row, 1 conn: p50 | {a['p50_us']:.0f} µs | {p['p50_us']:.0f} µs | | ≤ 60 µs: {verdict(a['p50_us'] <= 60)} |")
print(f"| busy-polling client, 1 raw row, 1 conn: p99 | {a['p99_us']:.0f} µs | {p['p99_us']:.0f} µs | | ≤ 200 µs: {verdict(a['p99_us'] <= 200)} |")
print(f"| busy-polling client, 1 raw row, 1 conn: requests/s | {a['rps']:,.0f} | {p['rps']:,.0f} | {a['rps']/p['rps']:.1f}x | ≥ 10x: {verdict(a['rps'] >= 10 * p['rps'])} |")
a, p = r["archml-1row-8conn"], r["peer-1row-8conn"]
print(f"| wrk, 1 raw row, 8 conns: requests/s | {a['rps']:,.0f} | {p['rps']:,.0f} | {a['rps']/p['rps']:.1f}x | ≥ 10x: {verdict(a['rps'] >= 10 * p['rps'])} |")
print(f"| wrk, 1 raw row, 8 conns: p50 / p99 | {a['p50_us']:.0f} / {a['p99_us']:.0f} µs | {p['p50_us']:.0f} / {p['p99_us']:.0f} µs | | |")
a, p = r["archml-1000rows-2conn"], r["peer-1000rows-2conn"]
print(f"| wrk, 1,000 raw rows, 2 conns: rows/s | {a['rps']*1000:,.0f} | {p['rps']*1000:,.0f} | {a['rps']/p['rps']:.1f}x | ≥ 5x: {verdict(a['rps'] >= 5 * p['rps'])} |")
c, n = r["archml-capture-1row-8conn"], r["archml-nocapture-1row-8conn"]
# The cost is the median over the back-to-back pairs (with, then without capture) of each
# pair's throughput ratio: a neighbour's burst or a slow round shifts both runs of a pair,
# where best against best can compare a quiet run with a disturbed one.
ratios = sorted(result(f"archml-capture-1row-8conn-{p}{i}")["rps"] /
                result(f"archml-nocapture-1row-8conn-{p}{i}")["rps"]
                for i in range(1, rounds + 1) for p in ("", "b"))
middle = len(ratios) // 2
median_ratio = ratios[middle] if len(ratios) % 2 else (ratios[middle - 1] + ratios[middle]) / 2
cost = 1 - median_ratio
print(f"| wrk, capture 100 %, 1 row, 8 conns: requests/s (best) | {c['rps']:,.0f} (without: {n['rps']:,.0f}) | | median pair cost {cost*100:.1f} % | ≤ 10 %: {verdict(cost <= 0.10)} |")
def cpu_per_request(name):  # over every run of the case: seconds of CPU / requests, in µs
    runs = [result(f"{name}-{p}{i}") for i in range(1, rounds + 1) for p in ("", "b")]
    return sum(x["cpu_s"] for x in runs) / sum(x["requests"] for x in runs) * 1e6
cc, nc = cpu_per_request("archml-capture-1row-8conn"), cpu_per_request("archml-nocapture-1row-8conn")
print(f"| capture 100 %: server CPU per request, all runs | {cc:.2f} µs (without: {nc:.2f} µs) | | +{(cc / nc - 1) * 100:.1f} % | |")
errors = sum(v["errors"] for v in r.values())
print(f"\nnon-2xx or socket errors over all runs: {errors:.0f}")
PY
