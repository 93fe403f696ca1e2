#!/usr/bin/env bash
# archml profile end to end: every statistic in profile.json agrees with pandas on the
# same CSV (generated PaySim-like data here; the real sample in paysim_sample_test.sh), the
# HTML page is self-contained, and mistakes get clear errors.
set -euo pipefail
archml=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
source_dir=${ARCHML_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$(dirname "$0")/lib.sh"
require_python_module pandas python3-pandas
data=$tmp/generated.csv
"$archml" -q datagen paysim --rows 5000 --seed 3 --out "$data" >/dev/null

# expect_refusal PATTERN -- command...: exits non-zero and says PATTERN on stderr.
expect_refusal() {
  local pattern=$1
  shift 2
  local status=0
  "$@" >"$tmp/out" 2>"$tmp/err" || status=$?
  [ "$status" -ne 0 ] || fail "'$*' succeeded, expected a failure"
  grep -qiE -- "$pattern" "$tmp/err" || fail "'$*' stderr lacks '$pattern': $(cat "$tmp/err")"
}

"$archml" profile --help >"$tmp/help" || fail "profile --help failed"
for flag in --target --out --delimiter --no-header --lenient --schema; do
  grep -q -- "$flag" "$tmp/help" || fail "profile --help lacks $flag"
done

"$archml" profile "$data" --target isFraud --out "$tmp/profile" >"$tmp/summary" 2>"$tmp/err" ||
  fail "profile failed: $(cat "$tmp/err")"
[ -s "$tmp/profile/profile.json" ] || fail "profile.json was not written"
[ -s "$tmp/profile/profile.html" ] || fail "profile.html was not written"
for expected in "5,000 rows" isFraud "class_imbalance" "profile.json" "profile.html"; do
  grep -q -- "$expected" "$tmp/summary" || fail "terminal summary lacks '$expected'"
done
grep -q "<svg" "$tmp/profile/profile.html" || fail "profile.html has no inline SVG chart"
if grep -qiE "https?://" "$tmp/profile/profile.html"; then
  fail "profile.html references the network: $(grep -oiE 'https?://[^" ]*' "$tmp/profile/profile.html" | head -3)"
fi
if grep -qi "<script" "$tmp/profile/profile.html"; then fail "profile.html contains a script"; fi

# Default output directory: profile-<stem> in the current directory.
(cd "$tmp" && "$archml" -q profile "$data" >/dev/null) || fail "profile without --out failed"
[ -f "$tmp/profile-generated/profile.json" ] || fail "default output directory not used"

# Errors: a missing file, an unknown target, a bad flag.
expect_refusal "$tmp/no-such.csv" -- "$archml" profile "$tmp/no-such.csv" --out "$tmp/x"
expect_refusal "nope.*(isFraud|amount)" -- "$archml" profile "$data" --target nope --out "$tmp/x"
expect_refusal "--bogus" -- "$archml" profile "$data" --bogus
expect_refusal "schema" -- "$archml" profile "$data" --schema amount --out "$tmp/x"

/usr/bin/python3 "$source_dir/tests/integration/profile_compare.py" "$data" \
  "$tmp/profile/profile.json" isFraud || fail "profile.json disagrees with pandas"

# A file with missing values, a bool column and a two-class string target.
cat >"$tmp/mixed.csv" <<'CSV'
id,score,flag,group,weight,outcome
1,0.5,true,a,10,no
2,,false,b,,no
3,2.5,true,a,30,yes
4,3.25,false,,40,no
5,1.0,true,c,50,yes
6,7.5,false,a,,no
7,,true,b,70,no
CSV
"$archml" -q profile "$tmp/mixed.csv" --target outcome --out "$tmp/mixed" >/dev/null ||
  fail "profile of mixed.csv failed"
/usr/bin/python3 "$source_dir/tests/integration/profile_compare.py" "$tmp/mixed.csv" \
  "$tmp/mixed/profile.json" outcome || fail "mixed.csv profile disagrees with pandas"
echo "OK"
