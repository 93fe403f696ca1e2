#!/usr/bin/env bash
# `archml monitor` end to end with real processes: `archml serve --capture-dir` captures
# requests sent with curl (CSV and JSON bodies, with inference ids), `monitor baseline`
# writes SageMaker's statistics.json and constraints.json from the training data,
# `monitor run` finds no violation on in-distribution traffic and a baseline_drift_check
# naming `amount` (exit 6) on traffic with amount shifted by half its standard deviation,
# reads a capture file cut short with a warning; `monitor quality` joins labels by inference
# id (no violation with the true labels, an auc violation and exit 6 with flipped ones);
# every command fails clearly on bad input.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
require_tool curl curl

"$archml" monitor --help >"$tmp/help" || fail "monitor --help failed"
grep -q "baseline" "$tmp/help" && grep -q "exits 6" "$tmp/help" || fail "monitor --help: $(cat "$tmp/help")"
"$archml" monitor run --help >"$tmp/help" || fail "monitor run --help failed"
for word in baseline_drift_check --since --capture "6 violations"; do
  grep -q -- "$word" "$tmp/help" || fail "monitor run --help lacks $word"
done

data=$tmp/p.csv
"$archml" -q datagen paysim --rows 30000 --seed 5 --out "$tmp/ordered.csv" >/dev/null
# PaySim rows come in time order (step); shuffled, training and live traffic share a
# distribution.
{ head -1 "$tmp/ordered.csv"; tail -n +2 "$tmp/ordered.csv" |
  awk 'BEGIN { srand(7) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2-; } >"$data"
head -20001 "$data" >"$tmp/train.csv"
"$archml" -q train --data "$tmp/train.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=10 \
  --out "$tmp/model" >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"

"$archml" monitor baseline --data "$tmp/train.csv" --model "$tmp/model" --out "$tmp/base" \
  >"$tmp/out" || fail "baseline failed"
for f in statistics.json constraints.json baseline.json; do
  [ -s "$tmp/base/$f" ] || fail "baseline wrote no $f"
done
python3 - "$tmp/base" <<'PY' || fail "baseline files lack SageMaker's fields"
import json, sys
d = sys.argv[1]
s = json.load(open(d + "/statistics.json"))
c = json.load(open(d + "/constraints.json"))
names = {f["name"]: f for f in s["features"]}
assert s["dataset"]["item_count"] == 20000, s["dataset"]
amount = names["amount"]["numerical_statistics"]
assert amount["common"]["num_present"] == 20000 and "kll" in amount["distribution"], amount.keys()
kind = names["type"]["string_statistics"]
assert kind["distribution"]["categorical"]["buckets"][0]["count"] > 0
dc = c["monitoring_config"]["distribution_constraints"]
assert dc["comparison_threshold"] == 0.1 and dc["perform_comparison"] == "Enabled"
assert "CASH_OUT" in {d for f in c["features"] if f["name"] == "type" for d in f["string_constraints"]["domains"]}
PY

# Request rows as the endpoint takes them: every column but the target (isFraud, 10th).
sed -n "20002,20601p" "$data" | cut -d, -f1-9,11 >"$tmp/live.csv"
# The same rows with amount (3rd) shifted by half its training standard deviation.
shift=$(python3 -c "
import json; s = json.load(open('$tmp/base/statistics.json'))
print([f for f in s['features'] if f['name'] == 'amount'][0]['numerical_statistics']['std_dev'] / 2)")
awk -F, -v OFS=, -v s="$shift" '{ $3 = $3 + s; print }' "$tmp/live.csv" >"$tmp/shifted.csv"

# serve_capture NAME ROWS-FILE: serves the model with capture into $tmp/NAME, sends each
# row as one CSV request (every tenth as JSON lines, all with an inference id), stops it.
serve_capture() {
  local name=$1 rows=$2
  "$archml" serve --model "$tmp/model" --port 0 --capture-dir "$tmp/$name" \
    >"$tmp/$name.out" 2>"$tmp/$name.err" &
  local pid=$!
  servers+=("$pid")
  await_announcement "$tmp/$name.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/$name.err"
  local url=$announced n=0
  : >"$tmp/$name.curl"
  while IFS= read -r row; do
    n=$((n + 1))
    {
      [ "$n" = 1 ] || echo "next"
      echo "url = \"$url/invocations\""
      echo "header = \"X-Amzn-SageMaker-Inference-Id: $name-$n\""
      echo "output = \"/dev/null\""
      echo "write-out = \"%{http_code}\\n\""
      if [ $((n % 10)) -eq 0 ]; then
        IFS=, read -r step type amount orig ob nb dest od nd flagged <<<"$row"
        echo "header = \"Content-Type: application/jsonlines\""
        printf 'data-binary = "{\\"step\\": %s, \\"type\\": \\"%s\\", \\"amount\\": %s, \\"nameOrig\\": \\"%s\\", \\"oldbalanceOrg\\": %s, \\"newbalanceOrig\\": %s, \\"nameDest\\": \\"%s\\", \\"oldbalanceDest\\": %s, \\"newbalanceDest\\": %s, \\"isFlaggedFraud\\": %s}"\n' \
          "$step" "$type" "$amount" "$orig" "$ob" "$nb" "$dest" "$od" "$nd" "$flagged"
      else
        echo "header = \"Content-Type: text/csv\""
        echo "data-binary = \"$row\""
      fi
    } >>"$tmp/$name.curl"
  done <"$rows"
  curl -s -K "$tmp/$name.curl" >"$tmp/$name.codes" || fail "curl failed"
  local bad
  bad=$(grep -vc '^200$' "$tmp/$name.codes" || true)
  [ "$bad" = 0 ] || fail "$bad of the $name requests were not answered 200: $(sort "$tmp/$name.codes" | uniq -c)"
  kill -TERM "$pid"
  wait "$pid" || fail "serve did not stop cleanly: $(cat "$tmp/$name.err")"
  servers=()
}

serve_capture same "$tmp/live.csv"
serve_capture shifted "$tmp/shifted.csv"
# Quality traffic: every fraud of the held-out rows and 300 others, with their labels
# keyed by the inference ids serve_capture sends.
tail -n +20002 "$data" | awk -F, '$10 == 1' >"$tmp/q.csv"
tail -n +20002 "$data" | awk -F, '$10 == 0' | sed -n 1,300p >>"$tmp/q.csv"
cut -d, -f1-9,11 "$tmp/q.csv" >"$tmp/quality.csv"
awk -F, 'BEGIN { print "inference_id,label" } { print "quality-" NR "," $10 }' "$tmp/q.csv" >"$tmp/labels.csv"
awk -F, 'BEGIN { print "inference_id,label" } { print "quality-" NR "," 1 - $10 }' "$tmp/q.csv" >"$tmp/flipped.csv"
serve_capture quality "$tmp/quality.csv"

status=0
"$archml" monitor run --capture "$tmp/same" --baseline "$tmp/base" --out "$tmp/check-same" --json \
  >"$tmp/same.json" 2>"$tmp/same.err" || status=$?
[ "$status" = 0 ] || fail "monitor run on in-distribution traffic exited $status: $(cat "$tmp/same.json" "$tmp/same.err")"
python3 - "$tmp/same.json" "$tmp/check-same" <<'PY' || fail "in-distribution summary: $(cat "$tmp/same.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["records"] == 600 and s["rows"] == 600 and s["failed_records"] == 0, s
assert s["violations"] == [], s["violations"]
assert {d["feature"] for d in s["drift"]} >= {"amount", "type"}, s["drift"]
v = json.load(open(sys.argv[2] + "/constraint_violations.json"))
assert v == {"violations": []}, v
PY
grep -q "<svg" "$tmp/check-same/report.html" || fail "report.html has no chart"

status=0
"$archml" monitor run --capture "$tmp/shifted" --baseline "$tmp/base" --out "$tmp/check-shifted" \
  >"$tmp/shifted.txt" 2>"$tmp/shifted.err" || status=$?
[ "$status" = 6 ] || fail "monitor run on shifted traffic exited $status, expected 6: $(cat "$tmp/shifted.txt" "$tmp/shifted.err")"
python3 - "$tmp/check-shifted/constraint_violations.json" <<'PY' || fail "shifted violations: $(cat "$tmp/check-shifted/constraint_violations.json")"
import json, sys
v = json.load(open(sys.argv[1]))["violations"]
drift = [x for x in v if x["constraint_check_type"] == "baseline_drift_check"]
assert [x["feature_name"] for x in drift] == ["amount"], v
PY

# A capture file cut short mid-record: read up to the record before, with a warning.
file=$(find "$tmp/same" -name '*.jsonl' | head -1)
mkdir -p "$tmp/cut"
head -c -40 "$file" >"$tmp/cut/part.jsonl"
status=0
"$archml" monitor run --capture "$tmp/cut" --baseline "$tmp/base" --out "$tmp/check-cut" --json \
  >"$tmp/cut.json" 2>"$tmp/cut.err" || status=$?
[ "$status" = 0 ] || fail "monitor run on a cut file exited $status: $(cat "$tmp/cut.err")"
grep -q "cut short" "$tmp/cut.err" || fail "no warning on a cut file: $(cat "$tmp/cut.err")"
grep -q '"records": 599' "$tmp/cut.json" || fail "cut file: $(cat "$tmp/cut.json")"

# Model quality: labels joined by inference id.
"$archml" monitor quality --capture "$tmp/quality" --baseline "$tmp/base" \
  --ground-truth "$tmp/labels.csv" --out "$tmp/q-out" --json >"$tmp/q.json" 2>"$tmp/q.err" ||
  fail "monitor quality exited $?: $(cat "$tmp/q.json" "$tmp/q.err")"
python3 - "$tmp/q.json" "$(wc -l <"$tmp/q.csv")" <<'PY' || fail "quality summary: $(cat "$tmp/q.json")"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["labelled"] == int(sys.argv[2]) and s["unlabelled"] == 0, s
assert s["live"]["auc"] > 0.9 and "auc" in s["baseline"], s
assert s["violations"] == [], s
PY
status=0
"$archml" monitor quality --capture "$tmp/quality" --baseline "$tmp/base" \
  --ground-truth "$tmp/flipped.csv" --out "$tmp/q-flipped" >"$tmp/qf.txt" 2>&1 || status=$?
[ "$status" = 6 ] || fail "quality with wrong labels exited $status, expected 6: $(cat "$tmp/qf.txt")"
grep -q "model_quality_check auc" "$tmp/qf.txt" || fail "no auc violation: $(cat "$tmp/qf.txt")"
expect_failure 2 "inference_id" -- "$archml" monitor quality --capture "$tmp/quality" \
  --baseline "$tmp/base" --ground-truth "$tmp/live.csv" --out "$tmp/x"

# The schedule: a process of its own, an execution at once and every 2 s over the last
# hour of capture, recorded in the catalog, counted on /metrics, stopped by SIGTERM.
"$archml" monitor schedule --every 2s --window 1h --capture "$tmp/shifted" --baseline "$tmp/base" \
  --out "$tmp/sched" --name shifted --port 0 >"$tmp/sched.out" 2>"$tmp/sched.err" &
sched=$!
servers+=("$sched")
await_announcement "$tmp/sched.out" "$sched" 's|.*metrics on \(http[^ ]*\)/metrics.*|\1|p' "$tmp/sched.err"
murl=$announced
for _ in $(seq 1 100); do
  [ "$(grep -c '^execution ' "$tmp/sched.out")" -ge 2 ] && break
  sleep 0.1
done
grep -q "^execution .*CompletedWithViolations, .* 600 requests" "$tmp/sched.out" ||
  fail "schedule executions: $(cat "$tmp/sched.out" "$tmp/sched.err")"
curl -s "$murl/metrics" >"$tmp/metrics"
grep -q 'archml_monitor_violations{schedule="shifted",check="baseline_drift_check"} 1' "$tmp/metrics" ||
  fail "/metrics lacks the drift violation: $(cat "$tmp/metrics")"
grep -qE 'archml_monitor_executions_total\{schedule="shifted",status="CompletedWithViolations"\} [2-9]' "$tmp/metrics" ||
  fail "/metrics lacks the executions: $(cat "$tmp/metrics")"
grep -q 'archml_monitor_drift_distance{schedule="shifted",feature="amount"}' "$tmp/metrics" ||
  fail "/metrics lacks the distances: $(cat "$tmp/metrics")"
kill -TERM "$sched"
status=0
wait "$sched" || status=$?
servers=()
[ "$status" = 0 ] || fail "schedule exited $status on SIGTERM: $(cat "$tmp/sched.err")"
python3 - "$ARCHML_HOME" <<'PY' || fail "the catalog lacks the executions"
import glob, sqlite3, sys
catalog = glob.glob(sys.argv[1] + "/**/*.db", recursive=True) + glob.glob(sys.argv[1] + "/**/*.sqlite", recursive=True)
rows = sqlite3.connect(catalog[0]).execute(
    "SELECT status, records, violations FROM monitoring_executions WHERE schedule = 'shifted'").fetchall()
assert len(rows) >= 2 and all(r == ("CompletedWithViolations", 600, rows[0][2]) for r in rows), rows
PY
"$archml" monitor executions --schedule shifted --json >"$tmp/executions.json" ||
  fail "monitor executions failed"
python3 - "$tmp/executions.json" <<'PY' || fail "monitor executions: $(cat "$tmp/executions.json")"
import json, sys
e = json.load(open(sys.argv[1]))
assert len(e) >= 2 and e[0]["status"] == "CompletedWithViolations" and e[0]["records"] == 600, e
assert e[0]["id"] > e[1]["id"], e
PY
"$archml" monitor executions >"$tmp/executions.txt"
grep -q "CompletedWithViolations" "$tmp/executions.txt" || fail "executions table: $(cat "$tmp/executions.txt")"
# --executions N stops by itself, exit 6 when an execution found violations, 0 otherwise.
status=0
"$archml" monitor schedule --every 1s --window 1h --executions 1 --capture "$tmp/shifted" \
  --baseline "$tmp/base" --out "$tmp/sched1" --port 0 >"$tmp/s1.out" 2>&1 || status=$?
[ "$status" = 6 ] || fail "schedule --executions 1 on shifted traffic exited $status: $(cat "$tmp/s1.out")"
"$archml" monitor schedule --every 1s --window 1h --executions 2 --capture "$tmp/same" \
  --baseline "$tmp/base" --out "$tmp/sched2" --port 0 --json >"$tmp/s2.out" 2>&1 ||
  fail "schedule on in-distribution traffic failed: $(cat "$tmp/s2.out")"
[ "$(grep -c '"status":"Completed"' "$tmp/s2.out")" = 2 ] || fail "two executions expected: $(cat "$tmp/s2.out")"
grep '"status":"Completed"' "$tmp/s2.out" | tail -1 | python3 -c '
import json, sys; e = json.load(sys.stdin); assert e["records"] == 600 and e["violations"] == 0, e' ||
  fail "schedule --json: $(cat "$tmp/s2.out")"
expect_failure 2 "duration" -- "$archml" monitor schedule --every 5x --capture "$tmp/same" \
  --baseline "$tmp/base" --out "$tmp/x"

# An empty window checks nothing (no missing columns), says so and exits 0.
"$archml" monitor run --capture "$tmp/shifted" --baseline "$tmp/base" --since 2000-01-01 \
  --until 2000-01-02 --out "$tmp/empty" >"$tmp/empty.out" 2>"$tmp/empty.err" ||
  fail "an empty window exited $?: $(cat "$tmp/empty.out" "$tmp/empty.err")"
grep -q "no captured request in the window" "$tmp/empty.err" || fail "empty window: $(cat "$tmp/empty.err")"
grep -q '"violations": \[\]' "$tmp/empty/constraint_violations.json" || fail "empty window violations"

# Clear errors.
expect_failure 2 "since.*ISO 8601" -- "$archml" monitor run --capture "$tmp/same" --baseline "$tmp/base" \
  --since yesterday --out "$tmp/x"
expect_failure 3 "monitor baseline" -- "$archml" monitor run --capture "$tmp/same" --baseline "$tmp/nope" --out "$tmp/x"
expect_failure 3 "capture" -- "$archml" monitor run --capture "$tmp/base" --baseline "$tmp/base" --out "$tmp/x"
expect_failure 2 "threshold" -- "$archml" monitor baseline --data "$tmp/train.csv" --model "$tmp/model" --out "$tmp/x" --threshold 2
echo "monitor_test: ok"
