#!/usr/bin/env bash
# Artifact-store benchmark: upload and download one file of random bytes to a local Ceph
# RADOS Gateway (tests/integration/s3_server.sh) with `archml artifacts cp` and with boto3's
# upload_file / download_file (bench/peer/s3_transfer.py, /usr/bin/python3), in the same
# run against the same server. Each direction runs twice per side; the better run counts.
# Usage: bench/store.sh [MB]   (default 300)
# Prints seconds and MB/s per side and direction, and boto3 time / archml time. archml is
# timed as a whole command (its start-up takes milliseconds); boto3 as the transfer call
# alone, measured inside Python, so the interpreter's start-up is not counted against it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
source "$root/tests/integration/s3_server.sh"
megabytes=${1:-300}
build=${BUILD_DIR:-$root/build}
archml=$(archml_bench_binary "$build")
work=$(mktemp -d)
trap 's3_server_stop; rm -rf "$work"' EXIT
# Two objects of the payload's size live in the OSD's memory at once.
export S3_SERVER_MEMSTORE_MB=$((megabytes * 3 + 256))
s3_server_start "$work/ceph" || { echo "cannot start the RADOS Gateway" >&2; exit 1; }
"$archml" -q artifacts mb s3://bench 2>/dev/null
head -c $((megabytes * 1000 * 1000)) /dev/urandom >"$work/payload"

# seconds COMMAND...: wall seconds of the command, on stdout.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
best() { printf '%s\n' "$@" | sort -g | head -1; }

echo "payload: $megabytes MB of random bytes, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A time
for round in 1 2; do
  a_up=$(seconds "$archml" -q artifacts cp "$work/payload" s3://bench/archml.bin)
  a_down=$(seconds "$archml" -q artifacts cp s3://bench/archml.bin "$work/archml.out")
  p_up=$(/usr/bin/python3 "$root/bench/peer/s3_transfer.py" up bench boto.bin "$work/payload")
  p_down=$(/usr/bin/python3 "$root/bench/peer/s3_transfer.py" down bench boto.bin "$work/boto.out")
  time[a_up]=$(best ${time[a_up]:-} "$a_up")
  time[a_down]=$(best ${time[a_down]:-} "$a_down")
  time[p_up]=$(best ${time[p_up]:-} "$p_up")
  time[p_down]=$(best ${time[p_down]:-} "$p_down")
done
cmp -s "$work/payload" "$work/archml.out" || { echo "archml download differs" >&2; exit 1; }
cmp -s "$work/payload" "$work/boto.out" || { echo "boto3 download differs" >&2; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
printf '| direction | archml | boto3 | boto3 / archml |\n|---|---|---|---|\n'
for direction in up down; do
  a=${time[a_$direction]}
  p=${time[p_$direction]}
  awk -v name="$([ "$direction" = up ] && echo upload || echo download)" -v a="$a" -v p="$p" \
    -v mb="$megabytes" 'BEGIN { printf "| %s | %.2f s (%.0f MB/s) | %.2f s (%.0f MB/s) | %.2fx |\n",
                                name, a, mb / a, p, mb / p, p / a }'
done
