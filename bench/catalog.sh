#!/usr/bin/env bash
# Catalog benchmark: log 100,000 metric points through archml's catalog (a JobRecorder,
# batched writes) and through the way MLflow's SQLAlchemy store writes them (one
# transaction per point, bench/peer/catalog.py with /usr/bin/python3's sqlite3), each into
# a fresh SQLite file with the same pragmas, in the same run; prints both and the ratio.
# Usage: bench/catalog.sh [POINTS]   (default 100000)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
points=${1:-100000}
build=${BUILD_DIR:-$root/build}
archml_install_packages
[ -f "$build/build.ninja" ] ||
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target archml_catalog_bench --parallel "$(nproc)" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "$points metric points, $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
archml_seconds=$("$build/archml_catalog_bench" "$work/archml.db" "$points")
peer_seconds=$(/usr/bin/python3 "$root/bench/peer/catalog.py" "$work/peer.db" "$points")
/usr/bin/python3 - "$points" "$archml_seconds" "$peer_seconds" <<'PY'
import sys
points, archml, peer = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"archml (batched, JobRecorder)          {archml:8.3f} s  {points / archml:12,.0f} points/s")
print(f"one transaction per point (MLflow-like) {peer:8.3f} s  {points / peer:12,.0f} points/s")
print(f"ratio: archml is {peer / archml:.1f}x faster; "
      f"{'PASS' if archml < 1.0 else 'FAIL'} (target: well under 1 s for 100,000 points)")
PY
