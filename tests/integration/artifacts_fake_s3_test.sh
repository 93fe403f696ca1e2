#!/usr/bin/env bash
# The S3 store against a server that misbehaves (fake_s3.py): listings that never end,
# keys outside the prefix asked for, a body shorter than its Content-Length, an endpoint
# that accepts and never answers, and endpoint URLs that are not URLs. Each must end in
# bounded time with a clear message and the documented exit code, and leave nothing
# behind. The `timeout`s only turn a hang into a failure; no timing is asserted.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fake_s3.sh"

status=0
fake_s3_start || status=$?
if [ "$status" -eq 2 ]; then
  echo "SKIP: $fake_s3_skip_reason"
  exit 77
fi
list_requests() { grep -c "^GET /$1?.*list-type=2" "$tmp/fake-s3.log" || true; }

# A listing that says "more follows" forever, with a new token each page: the key limit
# stops it after a bounded number of requests, in ls, cp of a prefix and --model.
: >"$tmp/fake-s3.log"
expect_failure 4 "listing of s3://endless/runs/ passed 5000 keys.*ARCHML_S3_LIST_MAX_KEYS" -- \
  env ARCHML_S3_LIST_MAX_KEYS=5000 timeout 60 "$archml" artifacts ls s3://endless/runs/
[ "$(list_requests endless)" -eq 6 ] || fail "expected 6 listing requests, saw $(list_requests endless)"
expect_failure 4 "passed 5000 keys" -- \
  env ARCHML_S3_LIST_MAX_KEYS=5000 timeout 60 "$archml" artifacts cp s3://endless/runs "$tmp/down"
[ ! -e "$tmp/down" ] || fail "cp of an endless prefix left $(ls -R "$tmp/down")"
printf 'amount\n1\n' >"$tmp/one.csv"
expect_failure 4 "passed 5000 keys" -- env ARCHML_S3_LIST_MAX_KEYS=5000 timeout 60 \
  "$archml" -q predict --model s3://endless/model --data "$tmp/one.csv" --out "$tmp/p.csv"
expect_failure 2 "ARCHML_S3_LIST_MAX_KEYS='lots' must be a whole number" -- \
  env ARCHML_S3_LIST_MAX_KEYS=lots timeout 60 "$archml" artifacts ls s3://endless/

# Pages without keys, forever; a token that comes back.
: >"$tmp/fake-s3.log"
expect_failure 4 "sent 100 pages in a row without a key while listing s3://hollow/" -- \
  timeout 60 "$archml" artifacts ls s3://hollow/
[ "$(list_requests hollow)" -eq 100 ] || fail "expected 100 listing requests, saw $(list_requests hollow)"
expect_failure 4 "repeated the continuation token 'A' while listing s3://cycle/" -- \
  timeout 60 "$archml" artifacts ls s3://cycle/
[ "$(list_requests cycle)" -eq 3 ] || fail "expected 3 listing requests, saw $(list_requests cycle)"

# A key outside (and shorter than) the prefix listed: a clear error, no crash, and no
# file written for it.
expect_failure 4 "listing of s3://stray/tree/ with the key 'x', which is not under the prefix" -- \
  "$archml" artifacts ls s3://stray/tree/
expect_failure 4 "with the key 'x'" -- "$archml" artifacts cp s3://stray/tree "$tmp/tree"
[ ! -e "$tmp/tree" ] || fail "cp of a stray listing wrote $(ls -R "$tmp/tree")"

# A body shorter than its Content-Length: an I/O error, nothing on stdout, no file.
expect_failure 4 "cannot download s3://short/obj: .* closed the connection before sending all the bytes" -- \
  timeout 60 "$archml" artifacts cat s3://short/obj
[ ! -s "$tmp/out" ] || fail "cat of a truncated object wrote $(wc -c <"$tmp/out") bytes to stdout"
grep -q "truncated in transit" "$tmp/err" || fail "cat does not say the object was truncated"
expect_failure 4 "truncated" -- timeout 60 "$archml" artifacts cp s3://short/obj "$tmp/short.bin"
[ ! -e "$tmp/short.bin" ] || fail "cp of a truncated object left $tmp/short.bin"
ls "$tmp" | grep -q archml-partial && fail "a temporary file was left in $tmp"

# A whole object, through file:// on the local side.
"$archml" artifacts cp s3://whole/a/b.bin "file://$tmp/whole.bin" 2>/dev/null
[ "$(wc -c <"$tmp/whole.bin")" -eq 1048576 ] || fail "cp to a file:// destination"

# An endpoint that is not a URL is invalid input, refused before any request.
: >"$tmp/fake-s3.log"
expect_failure 2 "S3 endpoint 'http://127.0.0.1:99999' \(--s3-endpoint\).*port '99999'" -- \
  "$archml" artifacts ls s3://whole/ --s3-endpoint "http://127.0.0.1:99999"
expect_failure 2 "\(AWS_ENDPOINT_URL\).*space" -- \
  env AWS_ENDPOINT_URL="http://127.0.0.1 :$fake_port" "$archml" artifacts ls s3://whole/
expect_failure 2 "scheme must be http:// or https://" -- \
  env AWS_ENDPOINT_URL_S3="ftp://127.0.0.1:$fake_port" "$archml" artifacts cat s3://whole/k
expect_failure 2 "needs a scheme" -- \
  "$archml" artifacts stat s3://whole/k --s3-endpoint "127.0.0.1:$fake_port"
[ ! -s "$tmp/fake-s3.log" ] || fail "a malformed endpoint still sent: $(cat "$tmp/fake-s3.log")"

# An endpoint that accepts and never answers: the read timeout ends each attempt, and
# timeouts get two attempts, not four.
expect_failure 4 "did not answer within the timeouts \(5 s to connect, 1 s without a byte\) in 2 attempts" -- \
  env ARCHML_S3_READ_TIMEOUT=1 timeout 30 \
  "$archml" artifacts ls s3://whole/ --s3-endpoint "http://127.0.0.1:$silent_port"
expect_failure 4 "10 s without a byte\) in 2 attempts.*ARCHML_S3_READ_TIMEOUT" -- \
  timeout 60 "$archml" artifacts cat s3://whole/k --s3-endpoint "http://127.0.0.1:$silent_port"
expect_failure 2 "ARCHML_S3_READ_TIMEOUT='0' must be a whole number of seconds from 1 to 3600" -- \
  env ARCHML_S3_READ_TIMEOUT=0 "$archml" artifacts ls s3://whole/

echo "artifacts_fake_s3_test: all checks passed"
