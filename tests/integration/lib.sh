# Shared by the integration scripts (sourced after `archml=$1`): a scratch directory
# removed on exit, and the assertions every script needs.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every recorded job goes to a catalog in the scratch directory, never the source tree.
export ARCHML_HOME="$tmp/archml-home"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# expect_failure CODE PATTERN -- command...: exits with CODE and says PATTERN on stderr.
expect_failure() {
  local code=$1 pattern=$2
  shift 3
  local actual=0
  "$@" >"$tmp/out" 2>"$tmp/err" || actual=$?
  [ "$actual" -eq "$code" ] || fail "'$*' exited $actual, expected $code; stderr: $(cat "$tmp/err")"
  grep -qiE -- "$pattern" "$tmp/err" || fail "'$*' stderr lacks '$pattern': $(cat "$tmp/err")"
}
