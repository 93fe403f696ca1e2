#!/usr/bin/env bash
# Skips that show: a test that cannot run exits 77 with `SKIP: <reason>` (lib.sh), which
# CTest reports as skipped, and scripts/check-skips, run by scripts/test on CTest's JUnit
# report, fails on every skip whose reason it does not allow (a missing tool that
# scripts/test installs) and on a skip that gives no reason.
set -euo pipefail
archml=$1  # unused: this checks the test machinery
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
check="$source_dir/scripts/check-skips"

# lib.sh's requirements exit 77 with the reason, and let the script go on when met.
run_script() {  # run_script BODY: runs BODY in a script that sourced lib.sh; sets $status
  printf 'source %q\n%s\n' "$source_dir/tests/integration/lib.sh" "$1" >"$tmp/script.sh"
  status=0
  bash "$tmp/script.sh" >"$tmp/out" 2>&1 || status=$?
}
run_script 'require_tool archml-no-such-tool some-package; echo went on'
[ "$status" -eq 77 ] || fail "a missing tool exited $status, not 77"
grep -qx "SKIP: archml-no-such-tool is not installed (Debian package some-package)" "$tmp/out" ||
  fail "a missing tool's skip names no reason: $(cat "$tmp/out")"
run_script 'require_python_module archml_no_such_module python3-nothing'
[ "$status" -eq 77 ] || fail "a missing Python module exited $status, not 77"
run_script 'require_tool bash bash; require_python_module json python3; echo went on'
[ "$status" -eq 0 ] && grep -qx "went on" "$tmp/out" || fail "met requirements stopped the script"
(ARCHML_PAYSIM_SAMPLE=$tmp/absent.csv run_script 'require_paysim_sample'
 [ "$status" -eq 77 ] && grep -q "SKIP: the PaySim sample .* is absent" "$tmp/out") ||
  fail "an absent PaySim sample is not a skip: $(cat "$tmp/out")"
touch "$tmp/present.csv"
ARCHML_PAYSIM_SAMPLE=$tmp/present.csv run_script 'require_paysim_sample; echo "$paysim_sample"'
[ "$status" -eq 0 ] && grep -qx "$tmp/present.csv" "$tmp/out" || fail "a present sample was skipped"

# junit FILE CASES...: a CTest JUnit report; each case is NAME:STATUS:OUTPUT.
junit() {
  local file=$1
  shift
  {
    echo '<?xml version="1.0" encoding="UTF-8"?><testsuite name="t">'
    for case in "$@"; do
      IFS=: read -r name status output <<<"$case"
      echo "<testcase name=\"$name\" status=\"$status\">"
      [ "$status" = notrun ] && echo '<skipped message="SKIP_RETURN_CODE=77"/>'
      printf '<system-out>%s\n</system-out></testcase>\n' "$output"
    done
    echo '</testsuite>'
  } >"$file"
}
junit "$tmp/allowed.xml" "a:run:ok" \
  "b:notrun:SKIP&#x3a; the PaySim sample ../shared/data/paysim-5k.csv is absent (a clone)" \
  "c:notrun:[ RUN ] X.Y&#10;x.cpp:3&#x3a; Skipped&#10;SKIP&#x3a; no AVX2+FMA on this CPU"
"$check" "$tmp/allowed.xml" >"$tmp/out" 2>&1 || fail "allowed skips failed: $(cat "$tmp/out")"
grep -q "2 test(s) skipped for an allowed reason" "$tmp/out" || fail "allowed skips not counted"

junit "$tmp/refused.xml" "a:run:ok" \
  "b:notrun:SKIP&#x3a; the PaySim sample ../shared/data/paysim-5k.csv is absent" \
  "tool:notrun:SKIP&#x3a; curl is not installed (Debian package curl)" \
  "silent:notrun:nothing said"
expect_failure 1 "tool: skipped: curl is not installed" -- "$check" "$tmp/refused.xml"
grep -q "silent: skipped without a 'SKIP: <reason>' line" "$tmp/err" ||
  fail "a skip without a reason passed: $(cat "$tmp/err")"
grep -q "^b:" "$tmp/err" && fail "an allowed skip was refused: $(cat "$tmp/err")"
true
