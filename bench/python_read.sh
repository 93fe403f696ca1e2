#!/usr/bin/env bash
# archml.read_csv against pandas.read_csv from /usr/bin/python3 on a PaySim-like file
# generated with `archml datagen` (full size by default), each read in a fresh process,
# RUNS times alternately (bench/python_read.py); prints the best of each side and the
# ratio (goal of issue 22: at least 8x) after checking both frames hold the same values.
# Usage: bench/python_read.sh [ROWS]   (default 6362620; RUNS=3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
rows=${1:-6362620}
build=${BUILD_DIR:-$root/build}
archml=$(archml_bench_binary "$build")
cmake --build "$build" --target archml_python >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$archml" -q datagen paysim --rows "$rows" --seed 1729 --out "$work/paysim.csv" >/dev/null
echo "$rows rows ($(du -h "$work/paysim.csv" | cut -f1)), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
PYTHONPATH="$build/python" /usr/bin/python3 "$root/bench/python_read.py" "$work/paysim.csv" "${RUNS:-3}"
