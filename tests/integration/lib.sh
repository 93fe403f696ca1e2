# Shared by the integration scripts (sourced after `archml=$1`): a scratch directory
# removed on exit, background servers killed on exit, and the assertions every script needs.

tmp=$(mktemp -d)

# Servers a script starts in the background: `servers+=($!)`. On exit each is killed by
# its PID and reaped, then the scratch directory goes.
servers=()
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${servers[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
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
