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

# await_announcement LOG PID SED_SCRIPT [ERRLOG]: waits (up to 15 s) for the background
# server PID to write the line SED_SCRIPT extracts (its address, say) to LOG, and sets
# $announced to it. LOG may not exist yet: a background job opens its redirections only
# after the fork, so the first poll can race the shell that starts it.
await_announcement() {
  local log=$1 pid=$2 script=$3 errlog=${4:-$1}
  announced=
  for _ in $(seq 1 300); do
    announced=$(sed -n "$script" "$log" 2>/dev/null || true)
    [ -n "$announced" ] && return 0
    kill -0 "$pid" 2>/dev/null || fail "server $pid exited: $(cat "$errlog" 2>/dev/null)"
    sleep 0.05
  done
  fail "server $pid did not announce itself in $log within 15 s: $(cat "$errlog" 2>/dev/null)"
}
