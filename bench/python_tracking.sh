#!/usr/bin/env bash
# Tracking from Python: 100,000 points of run.log_metric through archml's Python package
# (bench/python_tracking.py: the run ends, so every point is in the catalog, before the
# clock stops) against MLflow-style logging, one transaction per call with python3's
# sqlite3 (bench/peer/catalog.py, the peer of bench/catalog.sh), in the same run;
# prints both and the ratio (goal: at least 50x).
# Usage: bench/python_tracking.sh [POINTS]   (default 100000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
points=${1:-100000}
build=${BUILD_DIR:-$root/build}
archml_bench_binary "$build" archml_python >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "$points metric points from Python, $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
archml_seconds=$(PYTHONPATH="$build/python" /usr/bin/python3 "$root/bench/python_tracking.py" \
  "$work/home" "$points")
peer_seconds=$(/usr/bin/python3 "$root/bench/peer/catalog.py" "$work/peer.db" "$points")
/usr/bin/python3 - "$points" "$archml_seconds" "$peer_seconds" <<'PY'
import sys
points, archml, peer = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
ratio = peer / archml
print(f"archml run.log_metric (batched)          {archml:8.3f} s  {points / archml:12,.0f} points/s")
print(f"one transaction per call (MLflow-like)   {peer:8.3f} s  {points / peer:12,.0f} points/s")
print(f"ratio: archml is {ratio:.1f}x faster; {'PASS' if ratio >= 50 else 'FAIL'} (goal: at least 50x)")
PY
