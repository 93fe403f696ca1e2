#!/usr/bin/env bash
# Monitor benchmark: `archml monitor run` over a capture of N requests (default 1,000,000
# CSV requests of one PaySim row each, in the endpoint's SageMaker capture format) against
# the Python peer (bench/peer/monitor.py: pandas reading the JSON lines, numpy/scipy
# distances, /usr/bin/python3) in the same run, on the same files and baseline. Prints
# both wall times, the ratio, and checks both found the same drift distances.
# Usage: bench/monitor.sh [REQUESTS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
requests=${1:-1000000}
baseline_rows=100000
rows=$((requests + baseline_rows))
source "$root/bench/lib.sh"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ARCHML_HOME=$scratch/home
head -$((baseline_rows + 1)) "$data" >"$scratch/train.csv"
"$archml" -q train --data "$scratch/train.csv" --target isFraud \
  --recipe "$root/examples/paysim/recipe.yaml" --hp num_round=10 --out "$scratch/model" >/dev/null 2>&1
"$archml" -q monitor baseline --data "$scratch/train.csv" --model "$scratch/model" \
  --out "$scratch/base" >/dev/null
/usr/bin/python3 "$root/bench/peer/monitor.py" write "$data" "$baseline_rows" "$requests" "$scratch/capture"
cat "$scratch"/capture/archml/AllTraffic/*/*/*/*/*.jsonl >/dev/null  # warm page cache for both

echo "capture: $requests requests ($(du -sh "$scratch/capture" | cut -f1)), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
/usr/bin/time -f "%e %M" -o "$work/monitor-archml.time" "$archml" -q monitor run \
  --capture "$scratch/capture" --baseline "$scratch/base" --out "$scratch/out" --json \
  >"$work/monitor-archml.json" 2>"$work/monitor-archml.err" || status=$?
[ "$status" = 0 ] || [ "$status" = 6 ] || { cat "$work/monitor-archml.err" >&2; exit 1; }
timed monitor-peer /usr/bin/python3 "$root/bench/peer/monitor.py" check "$scratch/capture" "$scratch/base"

/usr/bin/python3 - "$work/monitor-archml.json" "$work/monitor-peer.stdout" \
  "$work/monitor-archml.time" "$work/monitor-peer.time" <<'PY'
import json, sys
a = json.load(open(sys.argv[1]))
p = json.load(open(sys.argv[2]))
ta, ma = map(float, open(sys.argv[3]).read().split("\n")[-2].split())
tp, mp = map(float, open(sys.argv[4]).read().split("\n")[-2].split())
assert a["records"] == p["records"] and a["rows"] == p["rows"], (a["records"], p["records"])
for d in a["drift"]:
    other = p["distances"][d["feature"]]
    assert abs(d["distance"] - other) < 2e-3, (d["feature"], d["distance"], other)
print(f"archml monitor run: {ta:.2f} s, peak {ma / 1024:.0f} MB, {len(a['violations'])} violation(s)")
print(f"python peer:        {tp:.2f} s, peak {mp / 1024:.0f} MB, {len(p['violations'])} violation(s)")
print(f"ratio (peer / archml wall): {tp / ta:.1f}x; drift distances agree within 0.002")
PY
