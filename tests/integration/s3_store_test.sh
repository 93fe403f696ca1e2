#!/usr/bin/env bash
# The S3 artifact store against a real server: Ceph's RADOS Gateway on loopback (see
# s3_server.sh), which checks every SigV4 signature. Objects go up and down through
# `archml artifacts`, are read back with boto3 (and the other way round), and the failures
# a user meets are checked: wrong credentials, a missing bucket or key, a server that is down.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/s3_server.sh"
python=/usr/bin/python3

require_python_module boto3 python3-boto3
trap 's3_server_stop; rm -rf "$tmp"' EXIT
status=0
s3_server_start "$tmp/ceph" || status=$?
[ "$status" -ne 2 ] || skip "$S3_SERVER_SKIP_REASON"
[ "$status" -eq 0 ] || fail "the RADOS Gateway did not start (logs above)"

bucket=s3://archml-test
boto() {
  "$python" - "$@" <<'PY'
import hashlib, os, sys
import boto3
from botocore.config import Config
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                  config=Config(s3={"addressing_style": "path"}))
op, args = sys.argv[1], sys.argv[2:]
if op == "get":        # get KEY FILE
    s3.download_file("archml-test", args[0], args[1])
elif op == "put":      # put KEY FILE (boto3 goes multipart above 8 MB)
    s3.upload_file(args[1], "archml-test", args[0])
elif op == "bytes":    # bytes KEY: the object's bytes on stdout
    sys.stdout.buffer.write(s3.get_object(Bucket="archml-test", Key=args[0])["Body"].read())
elif op == "keys":     # keys PREFIX: every key, one a line
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket="archml-test", Prefix=args[0]):
        for item in page.get("Contents", []):
            print(item["Key"])
PY
}

"$archml" artifacts mb "$bucket" 2>/dev/null
"$archml" artifacts mb "$bucket" 2>/dev/null  # an existing bucket of ours is fine

# Put, get, head, ranged get, with a key that needs encoding (space, UTF-8, '+', '&').
key="runs/1/with space/ünïcødé 名前+a&b.txt"
printf 'hello, artifact store\n' >"$tmp/hello.txt"
"$archml" artifacts cp "$tmp/hello.txt" "$bucket/$key" 2>/dev/null
[ "$("$archml" artifacts cat "$bucket/$key")" = "hello, artifact store" ] || fail "cat of $key"
[ "$("$archml" artifacts cat "$bucket/$key" --offset 7 --length 8)" = "artifact" ] ||
  fail "ranged get of $key"
"$archml" artifacts stat "$bucket/$key" --json >"$tmp/stat.json"
"$python" - "$tmp/stat.json" "$tmp/hello.txt" <<'PY' || fail "stat of the uploaded object"
import hashlib, json, sys
info = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
assert info["size"] == len(data), info
assert info["etag"] == hashlib.md5(data).hexdigest(), info
assert info["last_modified"].endswith("Z"), info
PY
[ "$(boto bytes "$key")" = "hello, artifact store" ] || fail "boto3 cannot read $key written by archml"
"$archml" artifacts cp "$bucket/$key" "$tmp/down/" 2>/dev/null
cmp -s "$tmp/hello.txt" "$tmp/down/ünïcødé 名前+a&b.txt" || fail "download to a folder"

# Empty objects, both ways.
: >"$tmp/empty"
"$archml" artifacts cp "$tmp/empty" "$bucket/empty" 2>/dev/null
[ "$("$archml" artifacts stat "$bucket/empty" --json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["size"])')" = 0 ] ||
  fail "empty object size"
"$archml" artifacts cp "$bucket/empty" "$tmp/empty-back" 2>/dev/null
[ -f "$tmp/empty-back" ] && [ ! -s "$tmp/empty-back" ] || fail "empty object download"
boto put "from boto/empty" "$tmp/empty"
[ -z "$("$archml" artifacts cat "$bucket/from boto/empty")" ] || fail "empty object from boto3"

# Listing across pages: 25 objects, 7 keys a page.
mkdir -p "$tmp/tree/sub"
for i in $(seq -w 1 20); do echo "file $i" >"$tmp/tree/f$i.txt"; done
for i in 1 2 3 4 5; do echo "deep $i" >"$tmp/tree/sub/d$i.txt"; done
"$archml" artifacts cp "$tmp/tree" "$bucket/tree" 2>/dev/null
"$archml" artifacts ls "$bucket/tree/" --page-size 7 --json >"$tmp/list.json"
"$python" - "$tmp/list.json" <<'PY' || fail "paginated listing"
import json, sys
items = json.load(open(sys.argv[1]))
keys = [item["key"] for item in items]
assert len(keys) == 25, len(keys)
assert keys == sorted(keys), keys
assert keys[0] == "tree/f01.txt" and keys[-1] == "tree/sub/d5.txt", keys
assert all(item["uri"] == "s3://archml-test/" + item["key"] for item in items)
PY
[ "$(boto keys tree/ | wc -l)" -eq 25 ] || fail "boto3 sees another listing"
"$archml" artifacts cp "$bucket/tree" "$tmp/tree-back" 2>/dev/null
diff -r "$tmp/tree" "$tmp/tree-back" || fail "folder round trip"

# Delete: the object goes, a second delete of it is a clear "not found".
"$archml" artifacts rm "$bucket/tree/f01.txt"
expect_failure 3 "no artifact s3://archml-test/tree/f01.txt" -- \
  "$archml" artifacts stat "$bucket/tree/f01.txt"
expect_failure 3 "no artifact" -- "$archml" artifacts rm "$bucket/tree/f01.txt"
"$archml" artifacts rm -r "$bucket/tree" 2>/dev/null
[ "$(boto keys tree/ | wc -l)" -eq 0 ] || fail "rm -r left objects behind"

# A large object goes up in parts and comes back identical. The sanitizer build moves
# fewer bytes (ASan makes hashing ~10x slower) but still crosses the multipart threshold.
if [ "${ARCHML_SANITIZE:-OFF}" = "ON" ]; then
  echo "note: sanitizer build: 24 MB multipart with 5 MB parts instead of 100 MB"
  big_mb=24
  part_flags=(--multipart-threshold-mb 5 --part-size-mb 5)
else
  big_mb=100
  part_flags=()
fi
head -c $((big_mb * 1000 * 1000)) /dev/urandom >"$tmp/big.bin"
"$archml" artifacts cp "$tmp/big.bin" "$bucket/big/big.bin" "${part_flags[@]}" 2>/dev/null
etag=$("$archml" artifacts stat "$bucket/big/big.bin" --json |
  "$python" -c 'import json,sys; print(json.load(sys.stdin)["etag"])')
case "$etag" in *-*) ;; *) fail "the large object was not uploaded in parts (ETag $etag)" ;; esac
"$archml" artifacts cp "$bucket/big/big.bin" "$tmp/big-archml.bin" 2>/dev/null
boto get big/big.bin "$tmp/big-boto.bin"
want=$(sha256sum <"$tmp/big.bin")
[ "$(sha256sum <"$tmp/big-archml.bin")" = "$want" ] || fail "archml download differs"
[ "$(sha256sum <"$tmp/big-boto.bin")" = "$want" ] || fail "boto3 download of archml upload differs"
rm -f "$tmp/big-archml.bin" "$tmp/big-boto.bin"

# boto3 writes (multipart above 8 MB), archml reads.
boto put "from boto/big.bin" "$tmp/big.bin"
"$archml" artifacts cp "$bucket/from boto/big.bin" "$tmp/from-boto.bin" 2>/dev/null
[ "$(sha256sum <"$tmp/from-boto.bin")" = "$want" ] || fail "archml download of boto3 upload"
rm -f "$tmp/big.bin" "$tmp/from-boto.bin"

# What a user gets wrong.
expect_failure 2 "refused the credentials.*AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY" -- \
  env AWS_SECRET_ACCESS_KEY=wrong-secret "$archml" artifacts ls "$bucket/"
expect_failure 2 "InvalidAccessKeyId.*AWS_ACCESS_KEY_ID" -- \
  env AWS_ACCESS_KEY_ID=nobody "$archml" artifacts cat "$bucket/empty"
expect_failure 2 "no S3 credentials: set AWS_ACCESS_KEY_ID" -- \
  env -u AWS_ACCESS_KEY_ID "$archml" artifacts ls "$bucket/"
expect_failure 3 "bucket 'no-such-bucket' does not exist" -- \
  "$archml" artifacts ls s3://no-such-bucket/
expect_failure 3 "no artifact s3://archml-test/missing" -- "$archml" artifacts cat "$bucket/missing"
expect_failure 2 "climb out" -- "$archml" artifacts cp "$tmp/hello.txt" "$bucket/a/../../etc"

# The library API (prefixed stores, multipart with small parts, folders) in GoogleTest,
# when the test binary sits next to archml as the build places it.
tests_binary="$(dirname "$archml")/archml_tests"
if [ -x "$tests_binary" ]; then
  ARCHML_S3_LIVE_BUCKET=archml-test "$tests_binary" --gtest_filter='S3StoreLive.*' \
    >"$tmp/live.log" 2>&1 || { cat "$tmp/live.log" >&2; fail "S3StoreLive tests"; }
  grep -q "PASSED.* 2 tests" "$tmp/live.log" || { cat "$tmp/live.log" >&2; fail "S3StoreLive did not run"; }
else
  echo "note: $tests_binary not found; S3StoreLive tests not run"
fi

# A server that is down: a clear error naming the endpoint, after a bounded number of
# attempts (timeout only guards against a hang; no timing is asserted).
down_port=$(_s3_free_port)
expect_failure 4 "http://127.0.0.1:$down_port did not answer after 4 attempts" -- \
  timeout 60 "$archml" artifacts ls "$bucket/" --s3-endpoint "http://127.0.0.1:$down_port"

# A stand-in server for failures the real one cannot be made to produce: every GET is
# answered 503, and a multipart upload starts but each part is refused. It logs every
# request, so the test sees how many attempts archml made and that it aborted the upload.
flaky_port=$(_s3_free_port)
"$python" - "$flaky_port" "$tmp/flaky.log" <<'PY' &
import http.server, sys
port, log_file = int(sys.argv[1]), sys.argv[2]
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, status, body):
        with open(log_file, "a") as log:
            log.write(self.command + " " + self.path + "\n")
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def do_GET(self):
        self.answer(503, b"<Error><Code>SlowDown</Code><Message>busy</Message></Error>")
    def do_POST(self):
        self.answer(200, b"<InitiateMultipartUploadResult><UploadId>up-1</UploadId>"
                         b"</InitiateMultipartUploadResult>")
    def do_PUT(self):
        self.answer(400, b"<Error><Code>InvalidPart</Code><Message>no</Message></Error>")
    def do_DELETE(self):
        self.answer(204, b"")
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
flaky_pid=$!
trap 'kill "$flaky_pid" 2>/dev/null || true; s3_server_stop; rm -rf "$tmp"' EXIT
for _ in $(seq 1 40); do
  curl -s "http://127.0.0.1:$flaky_port/" >/dev/null 2>&1 && break
  sleep 0.25
done
: >"$tmp/flaky.log"
expect_failure 4 "HTTP 503 SlowDown: busy" -- \
  timeout 60 "$archml" artifacts cat "$bucket/k" --s3-endpoint "http://127.0.0.1:$flaky_port"
attempts=$(grep -c '^GET /archml-test/k$' "$tmp/flaky.log" || true)
[ "$attempts" -eq 4 ] || fail "expected 4 attempts at a 503 server, saw $attempts"
: >"$tmp/flaky.log"
head -c $((11 * 1024 * 1024)) /dev/zero >"$tmp/parts.bin"
expect_failure 4 "upload part .* InvalidPart" -- \
  timeout 60 "$archml" artifacts cp "$tmp/parts.bin" "$bucket/parts.bin" \
  --s3-endpoint "http://127.0.0.1:$flaky_port" --multipart-threshold-mb 5 --part-size-mb 5
grep -q '^POST /archml-test/parts.bin?uploads=$' "$tmp/flaky.log" || fail "no multipart start"
grep -q '^DELETE /archml-test/parts.bin?uploadId=up-1$' "$tmp/flaky.log" ||
  fail "the failed multipart upload was not aborted: $(cat "$tmp/flaky.log")"
kill "$flaky_pid"

echo "s3_store_test: all checks passed"
