#!/usr/bin/env bash
# `archml serve` end to end against the running binary on loopback: every content type
# and Accept header, scores equal to `archml predict` on the same rows, prepared rows
# (CSV, JSON, libsvm) equal to Python's xgboost on the bundle's model.json, every
# bad-input case with its status code, concurrent clients, data capture files parsed
# back, graceful shutdown with a request in flight, hot swap (SIGHUP and
# /admin/reload) under load, bearer-token auth on and off, /metrics and the access log.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
require_tool curl curl

# stop_server PID: SIGTERM, then its exit status; it leaves the cleanup list, so a PID
# the system reuses later is never signalled.
stop_server() {
  local target=$1 status=0 kept=()
  kill -TERM "$target" 2>/dev/null || true
  wait "$target" || status=$?
  for p in "${servers[@]}"; do [ "$p" = "$target" ] || kept+=("$p"); done
  servers=("${kept[@]}")
  return $status
}

# start_server NAME ARGS...: runs `archml serve` on a free port; sets $pid and $url.
start_server() {
  local name=$1
  shift
  "$archml" serve --port 0 "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pid=$!
  servers+=("$pid")
  await_announcement "$tmp/$name.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/$name.err"
  url=$announced
}

# post TYPE ACCEPT BODY-FILE [URL-PATH]: prints the status, the body goes to $tmp/body.
post() {
  curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: $1" -H "Accept: $2" \
    --data-binary "@$3" "$url${4:-/invocations}"
}

expect_status() {
  local expected=$1 actual=$2 what=$3
  [ "$actual" = "$expected" ] || fail "$what: status $actual, expected $expected: $(cat "$tmp/body")"
}

"$archml" serve --help >"$tmp/help" || fail "serve --help failed"
for flag in --model --port --host --workers --content-type --output --max-payload-mb --token \
  --capture-dir --capture-percent --prepared --access-log --busy-poll-us Examples; do
  grep -q -- "$flag" "$tmp/help" || fail "serve --help lacks $flag"
done

data=$tmp/p.csv
"$archml" -q datagen paysim --rows 5000 --seed 3 --out "$data" >/dev/null
"$archml" -q train --data "$data" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=20 \
  --out "$tmp/a" >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"
"$archml" -q train --data "$data" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=5 max_depth=2 \
  --out "$tmp/b" >"$tmp/train.log" 2>&1 || fail "train b failed: $(cat "$tmp/train.log")"

# Startup failures: exit codes by kind.
expect_failure 3 "bundle|not found" -- "$archml" serve --model "$tmp/nope" --port 0
expect_failure 2 "output" -- "$archml" serve --model "$tmp/a" --port 0 --output labels
expect_failure 2 "content-type" -- "$archml" serve --model "$tmp/a" --port 0 --content-type text/html
expect_failure 2 "busy-poll-us" -- "$archml" serve --model "$tmp/a" --port 0 --busy-poll-us -1

# 300 rows (with rows of every type) as the endpoint takes them: no target column.
head -301 "$data" >"$tmp/rows.csv"
cut -d, -f1-9,11 "$tmp/rows.csv" | tail -n +2 >"$tmp/raw.csv"
"$archml" -q predict --model "$tmp/a" --data "$tmp/rows.csv" --out "$tmp/pred.csv" >/dev/null
cut -d, -f1 "$tmp/pred.csv" | tail -n +2 >"$tmp/expected"

# A long busy-poll window here, none on the capture server below: both ways of waiting
# for requests answer everything and stop gracefully.
start_server a --model "$tmp/a" --workers 2 --access-log "$tmp/access.log" --busy-poll-us 2000
server_a=$pid
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping")" = 200 ] || fail "/ping is not 200"
curl -s "$url/execution-parameters" | grep -q '"MaxPayloadInMB":6' || fail "execution-parameters"

# CSV in, CSV out: the same scores as archml predict, text for text.
expect_status 200 "$(post text/csv text/csv "$tmp/raw.csv")" "csv batch"
cmp -s "$tmp/body" "$tmp/expected" || fail "CSV scores differ from archml predict: $(diff "$tmp/body" "$tmp/expected" | head -5)"
# One row per request too, and */* or no Accept falls back to CSV.
head -1 "$tmp/raw.csv" >"$tmp/one.csv"
expect_status 200 "$(post text/csv '*/*' "$tmp/one.csv")" "csv single row"
[ "$(cat "$tmp/body")" = "$(head -1 "$tmp/expected")" ] || fail "single row: $(cat "$tmp/body")"
# Only the columns the recipe reads (no IDs) give the same scores.
cut -d, -f1-3,5,6,8,9 "$tmp/raw.csv" >"$tmp/schema.csv"
expect_status 200 "$(post 'text/csv; charset=utf-8' '' "$tmp/schema.csv")" "schema-only csv"
cmp -s "$tmp/body" "$tmp/expected" || fail "schema-only CSV scores differ"

# JSON and JSON lines, objects and arrays, with each Accept.
/usr/bin/python3 - "$tmp" <<'PY'
import csv, json, os, sys
tmp = sys.argv[1]
names = ["step","type","amount","nameOrig","oldbalanceOrg","newbalanceOrig","nameDest",
         "oldbalanceDest","newbalanceDest","isFlaggedFraud"]
rows = list(csv.reader(open(os.path.join(tmp, "raw.csv"))))
def typed(name, value):
    return value if name in ("type", "nameOrig", "nameDest") else float(value)
objects = [{n: typed(n, v) for n, v in zip(names, r)} for r in rows]
json.dump({"instances": objects}, open(os.path.join(tmp, "objects.json"), "w"))
json.dump({"instances": [[typed(n, v) for n, v in zip(names, r)] for r in rows]},
          open(os.path.join(tmp, "arrays.json"), "w"))
with open(os.path.join(tmp, "objects.jsonl"), "w") as out:
    for o in objects: out.write(json.dumps(o) + "\n")
PY
check_json_scores() {
  /usr/bin/python3 - "$tmp/body" "$tmp/expected" "$1" <<'PY' || fail "$1 scores differ from archml predict"
import json, sys
body, expected, kind = open(sys.argv[1]).read(), open(sys.argv[2]).read().split(), sys.argv[3]
if kind == "json":
    scores = [p["score"] for p in json.loads(body)["predictions"]]
else:
    scores = [json.loads(line)["score"] for line in body.splitlines()]
assert len(scores) == len(expected), (len(scores), len(expected))
assert all(float(e) == s for e, s in zip(expected, scores)), "scores differ"
PY
}
expect_status 200 "$(post application/json application/json "$tmp/objects.json")" "json objects"
check_json_scores json
expect_status 200 "$(post application/json application/jsonlines "$tmp/arrays.json")" "json arrays"
check_json_scores jsonl
expect_status 200 "$(post application/jsonlines application/json "$tmp/objects.jsonl")" "jsonlines"
check_json_scores json
expect_status 200 "$(post application/jsonlines text/csv "$tmp/objects.jsonl")" "jsonlines to csv"
cmp -s "$tmp/body" "$tmp/expected" || fail "jsonlines to CSV differs"

# Bad input: the status code, a message naming row and column, and the server lives on.
# expect_400 TYPE BODY PATTERN: BODY posted as TYPE gets 400 and a message matching PATTERN.
expect_400() {
  printf '%s\n' "$2" >"$tmp/bad"
  expect_status 400 "$(post "$1" text/csv "$tmp/bad")" "bad $1 body '$2'"
  grep -qiE "$3" "$tmp/body" || fail "message for '$2' lacks '$3': $(cat "$tmp/body")"
}
expect_400 text/csv "$(sed -n 1,2p "$tmp/raw.csv")
1,PAYMENT,12.5" "row 3 has 3 fields"
expect_400 text/csv "1,PAYMENT,lots,C1,170136.0,160296.36,M1,0.0,0.0,0" "row 1.*amount.*lots"
expect_400 application/json '{"instances": [{"step": 1, "type": "PAYMENT"}]}' "row 1, column amount"
expect_400 application/json '{"instances": [{"step": 1,' "not valid JSON"
expect_400 application/json '{"instances": [[1, {"nested": true}]]}' \
  "row 1, column field 2: expected a number"
# An unseen category under `unseen: ignore` is scored (all type_ columns 0).
echo "1,CRYPTO,12.5,C1,170136.0,160296.36,M1,0.0,0.0,0" >"$tmp/unseen.csv"
expect_status 200 "$(post text/csv text/csv "$tmp/unseen.csv")" "unseen category"
: >"$tmp/empty"
expect_status 204 "$(post text/csv text/csv "$tmp/empty")" "empty body"
expect_status 415 "$(post application/x-recordio-protobuf text/csv "$tmp/one.csv")" "protobuf"
expect_status 406 "$(post text/csv application/x-protobuf "$tmp/one.csv")" "Accept protobuf"
expect_status 405 "$(curl -s -o "$tmp/body" -w '%{http_code}' "$url/invocations")" "GET /invocations"
expect_status 404 "$(curl -s -o "$tmp/body" -w '%{http_code}' "$url/nope")" "unknown route"

# Concurrent clients: 8 connections, 25 keep-alive requests each, every answer right.
for c in $(seq 1 8); do
  (
    args=()
    for _ in $(seq 1 25); do args+=(-s -H "Content-Type: text/csv" --data-binary "@$tmp/one.csv" "$url/invocations" --next); done
    curl "${args[@]}" -s -o /dev/null -w '' "$url/ping" >"$tmp/concurrent.$c"
  ) &
done
wait $(jobs -p | grep -v "^$server_a$") 2>/dev/null || true
for c in $(seq 1 8); do
  [ "$(grep -c . "$tmp/concurrent.$c")" -eq 25 ] || fail "client $c got $(grep -c . "$tmp/concurrent.$c") answers"
  [ "$(sort -u "$tmp/concurrent.$c")" = "$(head -1 "$tmp/expected")" ] || fail "client $c got other scores"
done

# /metrics: Prometheus text with what the issue asks for.
curl -s "$url/metrics" >"$tmp/metrics"
for pattern in 'archml_serve_requests_total\{code="200"\} [0-9]+' 'requests_total\{code="400"\} 5' \
  'requests_total\{code="415"\} 1' 'request_duration_seconds_bucket\{le="\+Inf"\}' \
  'rows_scored_total [0-9]+' 'model_info\{name="a",version="[0-9a-f]{16}"\} 1' \
  'process_resident_memory_bytes [0-9]+' '# TYPE archml_serve_request_duration_seconds histogram'; do
  grep -qE "$pattern" "$tmp/metrics" || fail "/metrics lacks $pattern"
done
/usr/bin/python3 - "$tmp/access.log" <<'PY' || fail "access log is not JSON lines"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) > 200, len(lines)
assert {"time", "method", "path", "status", "rows", "duration_us"} <= set(lines[0]), lines[0]
assert any(l["status"] == 400 for l in lines)
PY

# Payload limit: 413, and the server answers the next connection.
start_server small --model "$tmp/a" --max-payload-mb 0.001 --access-log off
head -c 2000 "$tmp/raw.csv" >"$tmp/big.csv"
expect_status 413 "$(post text/csv text/csv "$tmp/big.csv")" "oversized body"
expect_status 200 "$(post text/csv text/csv "$tmp/one.csv")" "after 413"
stop_server "$pid" || fail "serve did not exit 0 on SIGTERM"

# An unseen category under `unseen: error` is a 400 naming row, column and value.
sed 's/unseen: ignore/unseen: error/' "$source_dir/examples/paysim/recipe.yaml" >"$tmp/strict.yaml"
"$archml" -q train --data "$data" --target isFraud --recipe "$tmp/strict.yaml" --hp num_round=3 \
  --out "$tmp/strict" >"$tmp/train.log" 2>&1 || fail "strict train failed: $(cat "$tmp/train.log")"
start_server strict --model "$tmp/strict" --access-log off
expect_status 400 "$(post text/csv text/csv "$tmp/unseen.csv")" "unseen category, strict"
grep -qE "row 1.*type.*CRYPTO" "$tmp/body" || fail "unseen message: $(cat "$tmp/body")"
expect_status 200 "$(post text/csv text/csv "$tmp/one.csv")" "strict, a known category"
stop_server "$pid" || fail "strict server did not exit 0"

# Prepared rows (--prepared): CSV, JSON arrays and libsvm give Python xgboost's scores.
start_server prepared --model "$tmp/a" --prepared --output predicted_label,probability \
  --content-type application/json --access-log off
/usr/bin/python3 - "$tmp" <<'PY'
import json, os, random, sys
tmp = sys.argv[1]
features = json.load(open(os.path.join(tmp, "a", "bundle", "bundle.json")))["features"]
random.seed(5)
rows = [[random.choice([0.0, 1.0]) if f.startswith("type_") else round(random.random(), 4)
         for f in features] for _ in range(50)]
rows[0][3] = None  # a missing value takes the default branch
with open(os.path.join(tmp, "prepared.csv"), "w") as out:
    for r in rows: out.write(",".join("" if v is None else repr(v) for v in r) + "\n")
json.dump({"instances": rows}, open(os.path.join(tmp, "prepared.json"), "w"))
with open(os.path.join(tmp, "prepared.libsvm"), "w") as out:
    for r in rows: out.write("0 " + " ".join(f"{i}:{v!r}" for i, v in enumerate(r) if v is not None) + "\n")
json.dump(rows, open(os.path.join(tmp, "prepared.rows"), "w"))
PY
for kind in csv:text/csv json:application/json libsvm:text/libsvm; do
  expect_status 200 "$(post "${kind#*:}" '' "$tmp/prepared.${kind%%:*}")" "prepared ${kind%%:*}"
  cp "$tmp/body" "$tmp/prepared.${kind%%:*}.out"
done
/usr/bin/python3 - "$tmp" <<'PY' || fail "prepared rows disagree with Python xgboost"
import json, os, sys
import numpy as np, xgboost
tmp = sys.argv[1]
bundle = json.load(open(os.path.join(tmp, "a", "bundle", "bundle.json")))
rows = np.array([[np.nan if v is None else v for v in r]
                 for r in json.load(open(os.path.join(tmp, "prepared.rows")))], dtype=np.float32)
booster = xgboost.Booster(model_file=os.path.join(tmp, "a", "bundle", "model.json"))
expected = booster.predict(xgboost.DMatrix(rows, feature_names=bundle["features"]))
outputs = [json.load(open(os.path.join(tmp, f"prepared.{k}.out")))["predictions"]
           for k in ("csv", "json", "libsvm")]
assert outputs[0] == outputs[1] == outputs[2], "formats disagree"
for p, e in zip(outputs[0], expected):
    assert abs(p["probability"] - float(e)) < 1e-7, (p, e)
    assert p["predicted_label"] == (1 if p["probability"] >= bundle["cutoff"] else 0), p
print(f"prepared: {len(expected)} rows agree with xgboost")
PY
echo "1,2,3" >"$tmp/bad.csv"
expect_status 400 "$(post text/csv '' "$tmp/bad.csv")" "prepared wrong width"
echo "0 99:1.5" >"$tmp/bad.libsvm"
expect_status 400 "$(post text/libsvm '' "$tmp/bad.libsvm")" "libsvm index out of range"
grep -q "row 1.*99" "$tmp/body" || fail "libsvm message: $(cat "$tmp/body")"
stop_server "$pid" || true

# Auth on: /invocations and /admin need the bearer token, /ping does not.
ARCHML_SERVE_TOKEN=s3cret start_server auth --model "$tmp/a" --access-log off
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping")" = 200 ] || fail "/ping needs no token"
expect_status 401 "$(post text/csv text/csv "$tmp/one.csv")" "no token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Authorization: Bearer wrong' \
  -H 'Content-Type: text/csv' --data-binary "@$tmp/one.csv" "$url/invocations")
expect_status 401 "$status" "wrong token"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H 'Authorization: Bearer s3cret' \
  -H 'Content-Type: text/csv' --data-binary "@$tmp/one.csv" "$url/invocations")
expect_status 200 "$status" "right token"
expect_status 401 "$(post text/csv text/csv "$tmp/one.csv" /admin/reload)" "reload without token"
stop_server "$pid" || true

# Data capture at 100 %, then graceful shutdown with a request in flight.
mkdir -p "$tmp/live"
cp -r "$tmp/a/bundle/." "$tmp/live/"
start_server capture --model "$tmp/live" --capture-dir "$tmp/capture" --endpoint-name fraud \
  --token t0k --access-log off --grace-seconds 20 --busy-poll-us 0
auth=(-H 'Authorization: Bearer t0k')
for i in $(seq 1 20); do
  sed -n "${i}p" "$tmp/raw.csv" >"$tmp/row"
  curl -s "${auth[@]}" -H 'Content-Type: text/csv' --data-binary "@$tmp/row" "$url/invocations" >>"$tmp/captured.expected"
done
"$archml" -q predict --model "$tmp/b" --data "$tmp/rows.csv" --out "$tmp/pred-b.csv" >/dev/null
# Hot swap under load: requests keep flowing while the model changes twice.
(
  for _ in $(seq 1 150); do
    curl -s -o /dev/null -w '%{http_code}\n' "${auth[@]}" -H 'Content-Type: text/csv' \
      --data-binary "@$tmp/one.csv" "$url/invocations"
  done >"$tmp/swap.codes"
) &
load=$!
cp -r "$tmp/b/bundle/." "$tmp/live/"
kill -HUP "$pid"
sleep 0.3
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -X POST "${auth[@]}" "$url/admin/reload")
expect_status 200 "$status" "admin reload"
grep -q '"version"' "$tmp/body" || fail "reload answer: $(cat "$tmp/body")"
wait "$load"
[ "$(sort -u "$tmp/swap.codes")" = 200 ] || fail "requests failed during hot swap: $(sort "$tmp/swap.codes" | uniq -c)"
grep -q "SIGHUP: reloaded" "$tmp/capture.err" || fail "SIGHUP did not reload: $(cat "$tmp/capture.err")"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' "${auth[@]}" -H 'Content-Type: text/csv' \
  --data-binary "@$tmp/raw.csv" "$url/invocations")
expect_status 200 "$status" "after swap"
cmp -s "$tmp/body" <(cut -d, -f1 "$tmp/pred-b.csv" | tail -n +2) || fail "after the swap the scores are not model b's"
curl -s "$url/metrics" | grep -q 'model_reloads_total{outcome="ok"} 2' || fail "reloads not counted"

# A request in flight at SIGTERM is answered: half the body, the signal, the other half.
/usr/bin/python3 - "$url" "$pid" "$tmp/one.csv" <<'PY' || fail "in-flight request was not answered"
import os, signal, socket, sys, time, urllib.parse
url, pid, body = urllib.parse.urlparse(sys.argv[1]), int(sys.argv[2]), open(sys.argv[3], "rb").read()
s = socket.create_connection((url.hostname, url.port))
head = (f"POST /invocations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t0k\r\n"
        f"Content-Type: text/csv\r\nContent-Length: {len(body)}\r\n\r\n").encode()
s.sendall(head + body[:10])
time.sleep(0.2)
os.kill(pid, signal.SIGTERM)
time.sleep(0.3)
s.sendall(body[10:])
answer = s.recv(65536).decode()
assert answer.startswith("HTTP/1.1 200"), answer
assert "Connection: close" in answer, answer
PY
stop_server "$pid" || fail "serve did not exit 0 after SIGTERM"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/ping" || true)" = 000 ] || fail "server still answers"

/usr/bin/python3 - "$tmp" <<'PY' || fail "capture files are wrong"
import glob, json, os, re, sys
tmp = sys.argv[1]
files = glob.glob(os.path.join(tmp, "capture", "fraud", "AllTraffic", "*", "*", "*", "*", "*.jsonl"))
assert files, "no capture file"
for f in files:
    assert re.search(r"/\d{4}/\d{2}/\d{2}/\d{2}/[^/]+\.jsonl$", f), f
records = [json.loads(l) for f in sorted(files) for l in open(f)]
# 20 + 150 under load + 1 batch + 1 in flight
assert len(records) == 172, len(records)
sent = open(os.path.join(tmp, "raw.csv")).read().splitlines()[:20]
answers = open(os.path.join(tmp, "captured.expected")).read().splitlines()
ids = set()
for i, r in enumerate(records):
    data, meta = r["captureData"], r["eventMetadata"]
    assert data["endpointInput"]["mode"] == "INPUT" and data["endpointOutput"]["mode"] == "OUTPUT"
    assert data["endpointInput"]["encoding"] == "CSV", data
    assert data["endpointInput"]["observedContentType"] == "text/csv"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", meta["inferenceTime"]), meta
    ids.add(meta["eventId"])
    if i < 20:
        assert data["endpointInput"]["data"].strip() == sent[i], (data, sent[i])
        assert data["endpointOutput"]["data"].strip() == answers[i], (data, answers[i])
assert len(ids) == len(records), "event ids are not unique"
print(f"capture: {len(records)} records in {len(files)} file(s)")
PY
echo "serve: all checks passed"
