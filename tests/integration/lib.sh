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

# skip REASON: the test cannot run here. It prints `SKIP: REASON` and exits 77, which CTest
# reports as skipped (SKIP_RETURN_CODE), never as passed; scripts/test fails unless REASON
# is one it allows (a missing tool it installs is not).
skip() {
  echo "SKIP: $*"
  exit 77
}

# require_tool NAME PACKAGE: skips unless the command NAME is on PATH.
require_tool() {
  command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed (Debian package $2)"
}

# require_python_module MODULE PACKAGE: skips unless /usr/bin/python3 imports MODULE.
require_python_module() {
  /usr/bin/python3 -c "import $1" 2>/dev/null ||
    skip "/usr/bin/python3 cannot import $1 (Debian package $2)"
}

# require_paysim_sample: sets $paysim_sample to the real 4,999-row PaySim sample beside this
# project's CI checkout (../shared/data/paysim-5k.csv, or the file ARCHML_PAYSIM_SAMPLE
# names), or skips: a clone of the repository alone has none, and its tests generate data.
require_paysim_sample() {
  paysim_sample=${ARCHML_PAYSIM_SAMPLE:-${ARCHML_SOURCE_DIR:-$(pwd)}/../shared/data/paysim-5k.csv}
  [ -f "$paysim_sample" ] ||
    skip "the PaySim sample ../shared/data/paysim-5k.csv is absent (a clone of the repository alone)"
}
