#!/usr/bin/env bash
# Monitoring benchmark: what pushing live metrics to a Prometheus Pushgateway costs a
# training job. archml pushes from a background thread (at most once a second, plus the
# ending); the Python peer (bench/peer/push_rounds.py, /usr/bin/python3) pushes from its
# XGBoost callback after every round, as a script using push_to_gateway does. Both train
# the same rounds on the same file, without and with a real Debian Pushgateway on
# loopback; the figure is each side's boosting time with pushing over without.
# Usage: bench/monitoring.sh [ROWS] [ROUNDS]   (defaults 200000 and 200)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
rows=${1:-200000}
rounds=${2:-200}
work=${BENCH_DIR:-$root/bench/out}
build=${BUILD_DIR:-$root/build}
mkdir -p "$work"
archml_install_packages
[ -f "$build/build.ninja" ] ||
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" --target archml --parallel "$(nproc)" >/dev/null
archml=$build/archml
data=$work/paysim-$rows.csv
[ -f "$data" ] || "$archml" -q datagen paysim --rows "$rows" --seed 42 --out "$data"

scratch=$(mktemp -d)
gateway_pid=""
cleanup() {
  if [ -n "$gateway_pid" ]; then
    kill "$gateway_pid" 2>/dev/null || true
    wait "$gateway_pid" 2>/dev/null || true  # it writes its persistence file as it exits
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
prometheus-pushgateway --web.listen-address="127.0.0.1:$port" \
  --persistence.file="$scratch/pushgateway.data" >"$scratch/pushgateway.log" 2>&1 &
gateway_pid=$!
gateway=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf -o /dev/null "$gateway/-/ready" && break; sleep 0.1; done

hp=(num_round="$rounds" max_depth=5 subsample=0.8 eta=0.2 eval_metric=auc,aucpr nthread=2
  tree_method=hist)
# archml_boosting OUT [flags...]: the boosting stage's seconds of one training job.
archml_boosting() {
  local out=$1
  shift
  ARCHML_HOME=$scratch/home "$archml" -q "$@" train --data "$data" --target isFraud \
    --hp "${hp[@]}" --out "$scratch/$out" >/dev/null
  /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["timings_seconds"]["boosting"])' \
    "$scratch/$out/summary.json"
}
peer() {
  /usr/bin/python3 "$root/bench/peer/push_rounds.py" "$data" "$rounds" "$scratch/$1.json" "${@:2}"
  /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["boosting"])' "$scratch/$1.json"
}

echo "input: $data ($rows rows), $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
a_off=$(archml_boosting off)
a_on=$(archml_boosting on --pushgateway "$gateway")
p_off=$(peer off)
p_on=$(peer on "$gateway")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - "$a_off" "$a_on" "$p_off" "$p_on" "$scratch/on.json" <<'PY'
import json, sys
a_off, a_on, p_off, p_on = map(float, sys.argv[1:5])
peer = json.load(open(sys.argv[5]))
print("| side | boosting without push | with push | overhead |")
print("|---|---|---|---|")
print(f"| archml (background, <= 1 push/s) | {a_off:.2f} s | {a_on:.2f} s | {100 * (a_on / a_off - 1):+.1f} % |")
print(f"| python peer (push every round) | {p_off:.2f} s | {p_on:.2f} s | {100 * (p_on / p_off - 1):+.1f} % "
      f"({peer['pushes']} pushes, {1000 * peer['push_seconds'] / max(peer['pushes'], 1):.2f} ms each) |")
PY
