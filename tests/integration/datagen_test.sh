#!/usr/bin/env bash
# Drives the real binary: `archml datagen paysim` must be deterministic, write the real
# PaySim header, hold exact proportional counts, and fail clearly on bad flags.
# Usage: datagen_test.sh path/to/archml
set -euo pipefail

archml=${1:?usage: datagen_test.sh path/to/archml}
python=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

echo "generating 20000 rows twice with seed 7"
"$archml" --quiet datagen paysim --rows 20000 --seed 7 --out "$work/a.csv" >"$work/a.out" \
  || fail "datagen paysim exited with $?"
grep -q "20000 rows" "$work/a.out" || fail "no summary line on stdout: $(cat "$work/a.out")"
"$archml" --quiet --threads 1 datagen paysim --rows 20000 --seed 7 --out "$work/sub/dir/b.csv" \
  >/dev/null || fail "datagen paysim into a new directory failed"
cmp -s "$work/a.csv" "$work/sub/dir/b.csv" || fail "same seed gave different bytes"
"$archml" --quiet datagen paysim --rows 20000 --seed 8 --out "$work/c.csv" >/dev/null
cmp -s "$work/a.csv" "$work/c.csv" && fail "different seeds gave the same bytes"

expected_header="step,type,amount,nameOrig,oldbalanceOrg,newbalanceOrig,nameDest,oldbalanceDest,newbalanceDest,isFraud,isFlaggedFraud"
[[ "$(head -n 1 "$work/a.csv")" == "$expected_header" ]] \
  || fail "unexpected header: $(head -n 1 "$work/a.csv")"

echo "checking counts with pandas"
"$python" - "$work/a.csv" <<'PY' || fail "pandas checks failed"
import sys
import pandas as pd

data = pd.read_csv(sys.argv[1])
rows = len(data)
full = 6_362_620
published = {"CASH_OUT": 2_237_500, "PAYMENT": 2_151_495, "CASH_IN": 1_399_284,
             "TRANSFER": 532_909, "DEBIT": 41_432}
problems = []
if rows != 20000:
    problems.append(f"{rows} rows, expected 20000")
counts = data["type"].value_counts().to_dict()
for kind, n in published.items():
    share = n * rows / full
    if abs(counts.get(kind, 0) - share) > 1:
        problems.append(f"{kind}: {counts.get(kind, 0)} rows, expected {share:.1f}")
frauds = int(data["isFraud"].sum())
if abs(frauds - 8_213 * rows / full) > 2:
    problems.append(f"{frauds} frauds, expected about {8_213 * rows / full:.1f}")
fraud_types = set(data.loc[data["isFraud"] == 1, "type"])
if not fraud_types <= {"TRANSFER", "CASH_OUT"}:
    problems.append(f"fraud in unexpected types {fraud_types}")
merchants = data[data["nameDest"].str.startswith("M")]
if (merchants["oldbalanceDest"] != 0).any() or (merchants["newbalanceDest"] != 0).any():
    problems.append("a merchant has a non-zero balance")
if not data["step"].is_monotonic_increasing or data["step"].max() > 743:
    problems.append("steps are not ordered within 1..743")
flagged = data[data["isFlaggedFraud"] == 1]
if ((flagged["isFraud"] != 1) | (flagged["type"] != "TRANSFER") | (flagged["amount"] <= 200_000)).any():
    problems.append("isFlaggedFraud on a row that is not a fraud TRANSFER over 200,000")
for problem in problems:
    print("  " + problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# Runs archml expecting failure; $1 is a pattern the error message must contain.
expect_failure() {
  local pattern=$1
  shift
  local status=0
  "$archml" --quiet "$@" >"$work/out" 2>"$work/err" || status=$?
  ((status != 0)) || fail "archml $* succeeded, expected an error"
  grep -qiE -- "$pattern" "$work/err" \
    || fail "archml $* printed no helpful message (wanted /$pattern/): $(cat "$work/err")"
}

echo "checking errors"
expect_failure "--out" datagen paysim --rows 10
expect_failure "--rows" datagen paysim --rows 0 --out "$work/x.csv"
expect_failure "--rows" datagen paysim --rows -5 --out "$work/x.csv"
expect_failure "--rows.*abc|abc.*--rows|convert" datagen paysim --rows abc --out "$work/x.csv"
expect_failure "cannot create" datagen paysim --rows 10 --out /dev/null/nope/x.csv

"$archml" datagen paysim --help >"$work/help" || fail "--help failed"
for word in --rows --seed --out Example PaySim; do
  grep -q -- "$word" "$work/help" || fail "--help does not mention $word"
done

echo "PASS: datagen"
