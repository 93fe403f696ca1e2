#!/usr/bin/env bash
# `archml artifacts` on local folders (no server): listing, reading, ranges, stat, removal,
# and the usage errors. The S3 side is tests/integration/s3_store_test.sh.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
python=/usr/bin/python3

mkdir -p "$tmp/store/runs/1" "$tmp/store/runs/2"
printf '0123456789' >"$tmp/store/runs/1/digits.txt"
printf '{}' >"$tmp/store/runs/2/bundle.json"
: >"$tmp/store/empty"

"$archml" artifacts ls "$tmp/store" --json >"$tmp/list.json"
"$python" - "$tmp/list.json" "$tmp/store" <<'PY' || fail "ls of a folder"
import json, sys
items = json.load(open(sys.argv[1]))
assert [i["key"] for i in items] == ["empty", "runs/1/digits.txt", "runs/2/bundle.json"], items
assert [i["size"] for i in items] == [0, 10, 2], items
assert items[1]["uri"] == sys.argv[2] + "/runs/1/digits.txt", items[1]
PY
[ "$("$archml" artifacts cat "$tmp/store/runs/1/digits.txt")" = 0123456789 ] || fail "cat"
[ "$("$archml" artifacts cat "$tmp/store/runs/1/digits.txt" --offset 3 --length 4)" = 3456 ] ||
  fail "ranged cat"
"$archml" artifacts stat "$tmp/store/runs/1/digits.txt" | grep -qE '^size +10$' || fail "stat"

# file:///path names the same folders and files (docs/artifacts.md), as the catalog
# records them.
"$archml" artifacts ls "file://$tmp/store" --json >"$tmp/list-uri.json"
cmp -s "$tmp/list.json" "$tmp/list-uri.json" || fail "ls of file://$tmp/store differs from ls of the path"
[ "$("$archml" artifacts cat "file://$tmp/store/runs/1/digits.txt")" = 0123456789 ] ||
  fail "cat of a file:// URI"
[ "$("$archml" artifacts cat "file://localhost$tmp/store/runs/1/digits.txt" --offset 8 --length 2)" = 89 ] ||
  fail "ranged cat of a file://localhost URI"
"$archml" artifacts stat "file://$tmp/store/runs/1/digits.txt" | grep -qE '^size +10$' ||
  fail "stat of a file:// URI"
expect_failure 2 "not a local file URI: write file:///absolute/path" -- \
  "$archml" artifacts cat "file://relative/digits.txt"
expect_failure 2 "unsupported artifact store 'http://host/x'" -- "$archml" artifacts ls "http://host/x"

# Output to a full device: the reason, not "check permissions"; exit code 4.
expect_failure 4 "cannot write 'standard output': no space left on device" -- \
  sh -c '"$0" artifacts cat "$1" >/dev/full' "$archml" "$tmp/store/runs/1/digits.txt"
"$archml" artifacts rm "$tmp/store/runs/1/digits.txt"
[ ! -e "$tmp/store/runs/1/digits.txt" ] || fail "rm left the file"

expect_failure 3 "no artifact" -- "$archml" artifacts stat "$tmp/store/runs/1/digits.txt"
expect_failure 3 "no folder" -- "$archml" artifacts ls "$tmp/nowhere"
expect_failure 2 "range starts at byte 5" -- \
  "$archml" artifacts cat "$tmp/store/runs/2/bundle.json" --offset 5 --length 1
expect_failure 2 "needs an s3:// URI" -- "$archml" artifacts cp "$tmp/store/empty" "$tmp/copy"
expect_failure 2 "bucket name" -- "$archml" artifacts ls s3://X/
expect_failure 2 "names a bucket, not an object" -- \
  env AWS_ACCESS_KEY_ID=a AWS_SECRET_ACCESS_KEY=b "$archml" artifacts cat s3://some-bucket
expect_failure 2 "no S3 credentials" -- \
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY "$archml" artifacts ls s3://some-bucket/
expect_failure 2 "" -- "$archml" artifacts
echo "artifacts_local_test: all checks passed"
