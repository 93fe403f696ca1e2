#!/usr/bin/env bash
# `archml monitor run --capture s3://...` against a real S3 server (Ceph's RADOS Gateway,
# s3_server.sh): a capture folder uploaded with `archml artifacts cp` gives the same
# results as the folder itself, a capture file cut short included.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/s3_server.sh"
trap 's3_server_stop; rm -rf "$tmp"' EXIT
status=0
s3_server_start "$tmp/ceph" || status=$?
[ "$status" -ne 2 ] || skip "$S3_SERVER_SKIP_REASON"
[ "$status" -eq 0 ] || fail "the RADOS Gateway did not start (logs above)"

"$archml" -q datagen paysim --rows 6000 --seed 9 --out "$tmp/p.csv" >/dev/null
head -5001 "$tmp/p.csv" >"$tmp/train.csv"
"$archml" -q train --data "$tmp/train.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=5 --out "$tmp/model" \
  >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"
"$archml" -q monitor baseline --data "$tmp/train.csv" --model "$tmp/model" --out "$tmp/base" >/dev/null
# Two capture files in the endpoint's layout, the second cut short mid-record.
/usr/bin/python3 "$source_dir/bench/peer/monitor.py" write "$tmp/p.csv" 5000 600 "$tmp/capture"
folder=$(dirname "$(find "$tmp/capture" -name '*.jsonl')")
head -c 20000 "$folder/capture.jsonl" >"$folder/later.jsonl"

"$archml" artifacts mb s3://archml-test 2>/dev/null
"$archml" artifacts cp "$tmp/capture" s3://archml-test/capture >/dev/null 2>&1 ||
  fail "could not upload the capture"
for where in "$tmp/capture" s3://archml-test/capture; do
  name=$(basename "$where")-$([ "${where#s3:}" = "$where" ] && echo local || echo s3)
  status=0
  "$archml" monitor run --capture "$where" --baseline "$tmp/base" --out "$tmp/$name" --json \
    >"$tmp/$name.json" 2>"$tmp/$name.err" || status=$?
  [ "$status" = 0 ] || [ "$status" = 6 ] || fail "monitor run on $where exited $status: $(cat "$tmp/$name.err")"
  grep -q "later.jsonl: the last record .* is cut short" "$tmp/$name.err" ||
    fail "no warning on the cut file from $where: $(cat "$tmp/$name.err")"
done
/usr/bin/python3 - "$tmp/capture-local.json" "$tmp/capture-s3.json" <<'PY' || fail "local and S3 runs differ"
import json, sys
local, s3 = (json.load(open(p)) for p in sys.argv[1:])
for summary in (local, s3):
    summary.pop("out")
assert local == s3, (local, s3)
assert local["records"] > 600 and local["truncated_files"], local
PY
expect_failure 3 "no capture files" -- "$archml" monitor run --capture s3://archml-test/none \
  --baseline "$tmp/base" --out "$tmp/x"
echo "monitor_s3_test: ok"
