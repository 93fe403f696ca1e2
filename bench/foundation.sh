#!/usr/bin/env bash
# Foundation benchmark: reading a PaySim-size CSV and profiling it, archml against the
# Python stack (pandas via /usr/bin/python3) on the same file in the same run.
# Usage: [RUNS=3] [WARMUP=1] bench/foundation.sh [ROWS]   (default 6362620, the full PaySim size)
# Prints wall time and peak memory of each, and the ratios.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
rows=${1:-6362620}
runs=${RUNS:-3}
warmup=${WARMUP:-1}
work=${BENCH_DIR:-$root/bench/out}
mkdir -p "$work"
archml_install_packages
archml_build "$root/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
archml=$root/build/archml
data=$work/paysim-$rows.csv
[ -f "$data" ] || "$archml" -q datagen paysim --rows "$rows" --seed 42 --out "$data"
cat "$data" >/dev/null  # both sides start from a warm page cache

# measure NAME command...: median wall seconds and max peak RSS (MB) over $runs runs,
# after $warmup untimed runs. The first process after a pause (or after another program
# freed gigabytes) gets memory the VM's host has reclaimed, and pays for the host to
# back it again; a warm-up run gives each side the steady state it reaches when run
# repeatedly. WARMUP=0 measures from cold.
measure() {
  local name=$1
  shift
  for _ in $(seq "$warmup"); do "$@" >/dev/null 2>&1 || true; done
  local walls=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" ||
      { cat "$work/stderr.txt" >&2; exit 1; }
    read -r wall rss_kb <"$work/time.txt"
    walls+=("$wall")
    [ "$rss_kb" -gt "$peak" ] && peak=$rss_kb
  done
  local median
  median=$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "$(((runs + 1) / 2))p")
  echo "$median $((peak / 1024))" >"$work/$name.result"
  printf '  %-28s %8.2f s  %7d MB peak\n' "$name" "$median" "$((peak / 1024))"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

echo "input: $data ($(du -mL "$data" | cut -f1) MB, $rows rows), median of $runs runs after $warmup warm-up, $(nproc) cores"
echo "read the CSV into columns:"
measure archml-read "$archml" -q schema "$data" --head 0
measure pandas-read_csv /usr/bin/python3 "$root/bench/peer/read_csv.py" "$data"
echo "profile end to end:"
measure archml-profile "$archml" -q profile "$data" --target isFraud --out "$work/profile"
measure pandas-profile /usr/bin/python3 "$root/bench/peer/profile.py" "$data" isFraud

read -r ar am <"$work/archml-read.result"
read -r pr pm <"$work/pandas-read_csv.result"
read -r ap apm <"$work/archml-profile.result"
read -r pp ppm <"$work/pandas-profile.result"
echo
echo "read:    archml is $(ratio "$pr" "$ar")x faster than pandas.read_csv (target >= 10x)"
echo "profile: archml is $(ratio "$pp" "$ap")x faster than pandas (target >= 10x)," \
  "using $(ratio "$apm" "$ppm")x its peak memory (target <= 0.33x; pandas $ppm MB, archml $apm MB)"
