#!/usr/bin/env bash
# One workspace switched to an S3 bucket with --artifacts: training keeps its bundle,
# split, metrics and summary in the bucket, the catalog records their s3:// URIs and
# SHA-256, predict and serve load the bundle straight from the bucket, and serve's
# finished capture file lands there too. Against Ceph's RADOS Gateway (s3_server.sh).
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/s3_server.sh"
python=/usr/bin/python3
require_python_module boto3 python3-boto3
require_tool curl curl
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  s3_server_stop
  rm -rf "$tmp"
}
trap cleanup EXIT
status=0
s3_server_start "$tmp/ceph" || status=$?
[ "$status" -ne 2 ] || skip "$S3_SERVER_SKIP_REASON"
[ "$status" -eq 0 ] || fail "the RADOS Gateway did not start (logs above)"
cd "$tmp"
data=$tmp/paysim.csv
"$archml" -q datagen paysim --rows 5000 --seed 3 --out "$data" >/dev/null

"$archml" artifacts mb s3://archml-ws 2>/dev/null  # bucket names have 3 to 63 characters

# An unreachable store fails the job loudly, and the catalog says why.
AWS_ENDPOINT_URL=http://127.0.0.1:1 expect_failure 4 "artifact store s3://archml-ws/ws" -- \
  "$archml" -q --artifacts s3://archml-ws/ws train --data "$data" --target isFraud \
  --hp num_round=3 --out down --experiment fraud --run down
"$archml" runs show fraud/down --json >down.json
"$python" - down.json <<'PY' || fail "the failed upload is not recorded as a failed job"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["jobs"][0]["status"] == "Failed" and "artifact store" in d["jobs"][0]["failure_reason"], d["jobs"]
PY

"$archml" -q --artifacts s3://archml-ws/ws train --data "$data" --target isFraud --hp num_round=10 \
  --out t --experiment fraud --run s3run >train.log 2>&1 || fail "train to s3: $(cat train.log)"
[ -f t/bundle/model.json ] || fail "the local outputs are gone"

"$archml" runs show fraud/s3run --json >show.json
"$python" - show.json t <<'PY' || fail "runs show lacks the s3:// artifacts"
import hashlib, json, os, sys
d, out = json.load(open(sys.argv[1])), sys.argv[2]
job = d["jobs"][0]
prefix = "s3://archml-ws/ws/experiments/fraud/runs/s3run/training-%d/" % job["id"]
arts = {a["name"]: a for a in d["artifacts"]}
for name in ["bundle/model.json", "bundle/bundle.json", "split.json", "metrics.json", "summary.json"]:
    a = arts[name]
    assert a["uri"] == prefix + name, (a["uri"], prefix + name)
    content = open(os.path.join(out, name), "rb").read()
    assert a["sha256"] == hashlib.sha256(content).hexdigest() and a["size"] == len(content), a
PY
prefix=$("$python" - show.json <<'PY'
import json, sys
print("experiments/fraud/runs/s3run/training-%d" % json.load(open(sys.argv[1]))["jobs"][0]["id"])
PY
)
"$archml" artifacts ls "s3://archml-ws/ws/$prefix/" >ls.txt
grep -q "bundle/model.json" ls.txt || fail "artifacts ls lacks the bundle: $(cat ls.txt)"

# Metric exports through the store: every point of every series, as the catalog has them.
"$archml" metrics fraud/s3run --export s3://archml-ws/exports/s3run.csv >export.log ||
  fail "metrics --export"
grep -q "to s3://archml-ws/exports/s3run.csv" export.log || fail "export message: $(cat export.log)"
"$archml" artifacts cat s3://archml-ws/exports/s3run.csv >export.csv
"$archml" metrics fraud/s3run --json >summaries.json
"$python" - export.csv summaries.json <<'PY' || fail "the exported CSV disagrees with the catalog"
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
summaries = json.load(open(sys.argv[2]))["metrics"]
assert any(n.startswith("validation:") for n in summaries), summaries
for name, summary in summaries.items():
    values = [float(r["value"]) for r in rows if r["name"] == name]
    assert len(values) >= summary["count"], (name, len(values), summary)
    assert abs(max(values) - summary["max"]) < 1e-9, (name, summary)
PY
expect_failure 2 "names a bucket" -- "$archml" metrics fraud/s3run --export s3://archml-ws

# boto3 sees the same bytes as the local bundle.
"$python" - "ws/$prefix/bundle/model.json" t/bundle/model.json <<'PY' || fail "boto3 reads another model"
import os, sys
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                  config=Config(s3={"addressing_style": "path"}))
body = s3.get_object(Bucket="archml-ws", Key=sys.argv[1])["Body"].read()
assert body == open(sys.argv[2], "rb").read()
PY

# predict from the bucket (the bundle and the training job's folder) equals the local bundle.
"$archml" -q predict --model t --data "$data" --out local.csv >/dev/null 2>&1 || fail "local predict"
"$archml" -q predict --model "s3://archml-ws/ws/$prefix/bundle" --data "$data" --out remote.csv \
  >/dev/null 2>predict.err || fail "predict from s3: $(cat predict.err)"
cmp -s local.csv remote.csv || fail "scores from the s3 bundle differ from the local bundle's"
"$archml" -q predict --model "s3://archml-ws/ws/$prefix" --data "$data" --out folder.csv \
  >/dev/null 2>predict.err || fail "predict from the job folder: $(cat predict.err)"
cmp -s local.csv folder.csv || fail "scores from the job folder differ"
expect_failure 3 "no bundle" -- "$archml" predict --model s3://archml-ws/ws/nothing --data "$data" --out x.csv

# Processes fetching the same bundle at once into an empty cache each get a whole bundle,
# and no partial folder stays.
rm -rf "$ARCHML_HOME/cache"
pids=()
for i in 1 2 3 4; do
  "$archml" -q predict --model "s3://archml-ws/ws/$prefix/bundle" --data "$data" --out "par$i.csv" \
    >/dev/null 2>"par$i.err" &
  pids+=($!)
done
for i in 1 2 3 4; do
  wait "${pids[$((i - 1))]}" || fail "concurrent predict $i failed: $(cat "par$i.err")"
  cmp -s local.csv "par$i.csv" || fail "concurrent predict $i scores differ: $(cat "par$i.err")"
done
# An unchanged bundle is used from the cache, not downloaded again.
cache=$(find "$ARCHML_HOME/cache" -name bundle.json -path "*$prefix/bundle/*")
[ "$(echo "$cache" | wc -l)" = 1 ] || fail "one cached bundle expected: $cache"
before=$(stat -c '%i %Y' "$(dirname "$cache")/model.json")
"$archml" -q predict --model "s3://archml-ws/ws/$prefix/bundle" --data "$data" --out again.csv \
  >/dev/null 2>&1 || fail "predict from the cached bundle"
[ "$(stat -c '%i %Y' "$(dirname "$cache")/model.json")" = "$before" ] ||
  fail "an unchanged bundle was downloaded again"
if find "$ARCHML_HOME/cache" -name '*.archml-partial-*' | grep -q .; then
  fail "partial downloads left in the cache: $(find "$ARCHML_HOME/cache" -name '*.archml-partial-*')"
fi

# The predict job itself kept its predictions in the workspace store too.
"$archml" --artifacts s3://archml-ws/ws artifacts ls s3://archml-ws/ws/experiments/fraud/runs/s3run/ >runs.txt
"$archml" -q --artifacts s3://archml-ws/ws predict --model "s3://archml-ws/ws/$prefix" --data "$data" \
  --out kept.csv >/dev/null 2>&1 || fail "predict with --artifacts"
"$archml" artifacts ls s3://archml-ws/ws/experiments/fraud/runs/s3run/ | grep -q "transform-.*/predictions" ||
  fail "the predictions are not in the store"

# serve from the bucket, capture one request, stop: the capture file is in the bucket.
"$archml" --artifacts s3://archml-ws/ws serve --model "s3://archml-ws/ws/$prefix" --port 0 \
  --capture-dir capture --access-log off >serve.out 2>serve.err &
server=$!
await_announcement serve.out "$server" 's/.*listening on \(http[^ ]*\).*/\1/p' serve.err
url=$announced
head -2 "$data" | tail -1 | cut -d, -f1-9,11 >row.csv
code=$(curl -s -o body -w '%{http_code}' -H "Content-Type: text/csv" --data-binary @row.csv "$url/invocations")
[ "$code" = 200 ] || fail "invocation: $code $(cat body)"
kill -TERM "$server"
wait "$server" || fail "serve did not stop cleanly: $(cat serve.err)"
server=
"$archml" artifacts ls s3://archml-ws/ws/capture/ >capture.txt
grep -q "AllTraffic/.*\.jsonl" capture.txt || fail "no capture object: $(cat capture.txt) $(cat serve.err)"
[ -z "$(find capture -name '*.jsonl')" ] || fail "the uploaded capture file was kept locally"
key=$(sed -n 's/.*\(capture\/[^ ]*\.jsonl\).*/\1/p' capture.txt | head -1)
"$archml" artifacts cat "s3://archml-ws/ws/$key" | grep -q '"endpointInput"' || fail "capture object content"
echo "PASS"
