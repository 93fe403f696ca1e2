# Sourced after lib.sh by the tests that need fake_s3.py (see its header): fake_s3_start
# runs it in the background (killed on exit with the other servers), sets $fake_port and
# $silent_port, and points the AWS variables at it. Returns 2 with $fake_s3_skip_reason
# set when python3 is missing.
fake_s3_start() {
  if [ ! -x /usr/bin/python3 ]; then
    fake_s3_skip_reason="/usr/bin/python3 is missing (Debian package python3)"
    return 2
  fi
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/fake_s3.py" "$tmp/fake-s3.log" \
    >"$tmp/fake-s3.out" 2>"$tmp/fake-s3.err" &
  servers+=($!)
  await_announcement "$tmp/fake-s3.out" $! 's/^PORT \([0-9]*\) SILENT \([0-9]*\)$/\1 \2/p' \
    "$tmp/fake-s3.err"
  read -r fake_port silent_port <<<"$announced"
  export AWS_ACCESS_KEY_ID=fake AWS_SECRET_ACCESS_KEY=fake
  export AWS_ENDPOINT_URL="http://127.0.0.1:$fake_port"
  unset AWS_ENDPOINT_URL_S3 AWS_SESSION_TOKEN ARCHML_S3_CONNECT_TIMEOUT ARCHML_S3_READ_TIMEOUT \
    ARCHML_S3_LIST_MAX_KEYS
}
