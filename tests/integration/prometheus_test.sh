#!/usr/bin/env bash
# Prometheus end to end with Debian's servers on loopback: a Pushgateway and `archml
# metrics-server` scraped every second by a real Prometheus (honor_labels on the gateway);
# `archml train` pushes its per-round and resource metrics while it runs; the test then
# asks Prometheus' HTTP API for the pushed job metrics and the catalog's, and checks they
# agree. Also: an unreachable gateway warns once and never fails the job; a malformed URL
# is refused before the job starts. Every server is killed by PID on exit.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
require_tool prometheus prometheus
require_tool prometheus-pushgateway prometheus-pushgateway
require_tool curl curl
python=/usr/bin/python3
[ -x "$python" ] || python=python3

# Free loopback ports for the servers that cannot pick their own.
read -r gateway_port prometheus_port closed_port < <("$python" -c '
import socket
sockets = [socket.socket() for _ in range(3)]
for s in sockets: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])')

# wait_for URL WHAT PID: polls URL until it answers 200 (bounded), failing if PID exits.
wait_for() {
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "$1" && return 0
    kill -0 "$3" 2>/dev/null || fail "$2 exited: $(tail -5 "$tmp/$2.log")"
    sleep 0.1
  done
  fail "$2 did not answer $1 within 30 s: $(tail -5 "$tmp/$2.log")"
}

export ARCHML_HOME=$tmp/home
unset ARCHML_PUSHGATEWAY_URL

prometheus-pushgateway --web.listen-address="127.0.0.1:$gateway_port" \
  --persistence.file="$tmp/pushgateway.data" >"$tmp/pushgateway.log" 2>&1 &
servers+=($!)
gateway=http://127.0.0.1:$gateway_port
wait_for "$gateway/-/ready" pushgateway "${servers[-1]}"

"$archml" metrics-server --port 0 >"$tmp/metrics-server.log" 2>&1 &
servers+=($!)
await_announcement "$tmp/metrics-server.log" "${servers[-1]}" 's|.* on http://\([^/]*\)/metrics.*|\1|p'
exporter=$announced
curl -sf "http://$exporter/" | grep -q "GET /metrics" || fail "metrics-server / lacks its help"
expect_failure 4 "127.0.0.1" -- "$archml" metrics-server --port "${exporter##*:}"

cat >"$tmp/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: archml_catalog
    static_configs:
      - targets: ['$exporter']
  - job_name: pushgateway
    honor_labels: true
    static_configs:
      - targets: ['127.0.0.1:$gateway_port']
YAML
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/prometheus-data" \
  --web.listen-address="127.0.0.1:$prometheus_port" >"$tmp/prometheus.log" 2>&1 &
servers+=($!)
prometheus_url=http://127.0.0.1:$prometheus_port
wait_for "$prometheus_url/-/ready" prometheus "${servers[-1]}"

# A malformed gateway is refused before any job starts; an unreachable one warns once.
data=$tmp/p.csv
"$archml" -q datagen paysim --rows 5000 --seed 3 --out "$data" >/dev/null
expect_failure 2 "Pushgateway URL 'ftp://" -- "$archml" --pushgateway ftp://x:1 train \
  --data "$data" --target isFraud --out "$tmp/never"
"$archml" -q --pushgateway "127.0.0.1:$closed_port" train --data "$data" --target isFraud \
  --hp num_round=5 --experiment offline --out "$tmp/offline" >"$tmp/offline.log" 2>"$tmp/offline.err" ||
  fail "a job failed because the Pushgateway was down: $(cat "$tmp/offline.err")"
[ "$(grep -c "warning: job metrics are not reaching the Pushgateway" "$tmp/offline.err")" = 1 ] ||
  fail "an unreachable Pushgateway should warn exactly once: $(cat "$tmp/offline.err")"

"$archml" -q --pushgateway "$gateway" train --data "$data" --target isFraud \
  --hp num_round=20 --hp eval_metric=logloss,auc --experiment fraud --run prom \
  --out "$tmp/model" >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"

# query PROMQL: the first sample's value, or nothing when Prometheus has none yet.
query() {
  curl -sf --get "$prometheus_url/api/v1/query" --data-urlencode "query=$1" |
    "$python" -c '
import json, sys
answer = json.load(sys.stdin)
assert answer["status"] == "success", answer
result = answer["data"]["result"]
print(result[0]["value"][1] if result else "")'
}

# await PROMQL: polls until Prometheus has a sample (bounded), prints its value.
await() {
  local value=""
  for _ in $(seq 1 60); do
    value=$(query "$1")
    [ -n "$value" ] && { echo "$value"; return 0; }
    sleep 0.5
  done
  fail "Prometheus found no sample of '$1' within 30 s; targets: $(curl -s "$prometheus_url/api/v1/targets" | head -c 2000)"
}

# in_range VALUE LOW HIGH: LOW < VALUE <= HIGH.
in_range() {
  "$python" -c 'import sys; v, lo, hi = map(float, sys.argv[1:]); sys.exit(0 if lo < v <= hi else 1)' "$@"
}

pushed='job="archml_training",experiment="fraud",run="prom"'
# Prometheus may have scraped the gateway while the job ran: first wait for a scrape of
# the final push (status Completed), then every pushed value is the final one.
await "archml_job_status{$pushed,status=\"Completed\"} == 1" >/dev/null
auc=$(await "archml_job_metric{$pushed,metric=\"validation:auc\"}")
in_range "$auc" 0 1 || fail "pushed validation AUC $auc is not in (0, 1]"
step=$(await "archml_job_metric_step{$pushed,metric=\"validation:auc\"}")
[ "$step" = 19 ] || fail "pushed AUC is of round $step, expected the last round 19"
for gauge in archml_job_cpu_seconds archml_job_wall_seconds archml_job_rows_per_second; do
  value=$(await "$gauge{$pushed}")
  in_range "$value" 0 1e12 || fail "$gauge is $value"
done
rss=$(await "archml_job_peak_resident_memory_bytes{$pushed}")
in_range "$rss" 1e6 1e12 || fail "peak resident memory $rss bytes is not plausible"

catalog='job="archml_catalog",experiment="fraud",run="prom",kind="training"'
# Likewise a scrape of the catalog after both training jobs ended.
await 'archml_catalog_jobs{job="archml_catalog",kind="training",status="Completed"} == 2' >/dev/null
catalog_auc=$(await "archml_catalog_job_metric{$catalog,metric=\"validation:auc\"}")
[ "$catalog_auc" = "$auc" ] || fail "catalog AUC $catalog_auc differs from the pushed $auc"
[ "$(await "archml_catalog_job_status{$catalog,status=\"Completed\"}")" = 1 ] ||
  fail "the catalog's training job is not Completed in Prometheus"
[ "$(await 'archml_catalog_runs{job="archml_catalog"}')" = 2 ] || fail "expected 2 runs"
echo "prometheus_test: pushed AUC $auc (round $step), catalog agrees; peak RSS $rss bytes"
