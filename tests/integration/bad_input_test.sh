#!/usr/bin/env bash
# The data-input rules of docs/csv.md end to end: pipes are read, an empty file says so,
# bytes that are not UTF-8 are refused in a header and replaced in a value (no command
# fails at its end), and non-finite numbers are refused by train, predict, evaluate and
# serve alike, naming the row and the column (exit 2, HTTP 400).
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
python=/usr/bin/python3

printf 'id,score,label\n1,0.5,yes\n2,,no\n3,1e3,yes\n' >"$tmp/small.csv"

# A pipe (process substitution) and a FIFO are read like the file, not as empty.
"$archml" schema --json <(cat "$tmp/small.csv") >"$tmp/pipe.json" || fail "schema of a pipe failed"
grep -q '"rows": 3' "$tmp/pipe.json" || fail "a pipe read as: $(cat "$tmp/pipe.json")"
mkfifo "$tmp/fifo.csv"
cat "$tmp/small.csv" >"$tmp/fifo.csv" &
"$archml" schema --json "$tmp/fifo.csv" >"$tmp/fifo.json" || fail "schema of a FIFO failed"
wait $!
grep -q '"rows": 3' "$tmp/fifo.json" || fail "a FIFO read as: $(cat "$tmp/fifo.json")"

# An empty file: every command that needs a column says the file is empty (exit 2).
: >"$tmp/empty.csv"
expect_failure 2 "no data rows" -- "$archml" train --data "$tmp/empty.csv" --target isFraud \
  --out "$tmp/empty-train"
expect_failure 2 "input is empty" -- "$archml" profile "$tmp/empty.csv" --target isFraud \
  --out "$tmp/empty-profile"

# Invalid UTF-8 in a header: refused at read time with the column's position.
printf 'id,caf\xe9,label\n1,2,yes\n' >"$tmp/bad-header.csv"
expect_failure 2 "column 2 in the header.*not valid UTF-8" -- "$archml" schema --json "$tmp/bad-header.csv"
expect_failure 2 "column 2 in the header.*not valid UTF-8" -- "$archml" profile "$tmp/bad-header.csv" \
  --out "$tmp/bad-header-profile"
[ ! -e "$tmp/bad-header-profile/profile.json" ] || fail "a refused profile left profile.json"

# Invalid UTF-8 in values: U+FFFD everywhere, the same category in train and predict.
"$python" - "$tmp/latin1.csv" <<'PY'
import random, sys
random.seed(7)
with open(sys.argv[1], "wb") as out:
    out.write(b"city,amount,label\n")
    for i in range(600):
        city = [b"caf\xe9", b"Z\xfcrich", b"Paris", b"Oslo"][i % 4]
        label = 1 if (i % 4 == 0 and random.random() < 0.8) or random.random() < 0.1 else 0
        out.write(city + b",%d,%d\n" % (random.randint(1, 1000), label))
PY
"$archml" schema --json "$tmp/latin1.csv" >"$tmp/latin1.json" 2>"$tmp/latin1.err" ||
  fail "schema --json of invalid UTF-8 values failed: $(cat "$tmp/latin1.err")"
grep -q "2 distinct text value(s) are not valid UTF-8" "$tmp/latin1.err" ||
  fail "no UTF-8 warning: $(cat "$tmp/latin1.err")"
"$archml" profile "$tmp/latin1.csv" --target label --out "$tmp/latin1-profile" >/dev/null 2>&1 ||
  fail "profile of invalid UTF-8 values failed"
"$python" - "$tmp/latin1-profile/profile.json" <<'PY' || fail "profile.json lacks the U+FFFD values"
import json, sys
profile = json.load(open(sys.argv[1], encoding="utf-8"))
city = next(c for c in profile["columns"] if c["name"] == "city")
values = {v["value"] for v in city["top"]}
assert values == {"caf\ufffd", "Z\ufffdrich", "Paris", "Oslo"}, values
PY
"$archml" -q train --data "$tmp/latin1.csv" --target label --hp num_round=5 \
  --out "$tmp/latin1-train" >/dev/null 2>"$tmp/latin1-train.err" ||
  fail "train on invalid UTF-8 values failed: $(cat "$tmp/latin1-train.err")"
grep -q "2 distinct text value(s) are not valid UTF-8" "$tmp/latin1-train.err" ||
  fail "train does not warn of the replaced bytes: $(cat "$tmp/latin1-train.err")"
"$archml" -q evaluate --model "$tmp/latin1-train" --data "$tmp/latin1.csv" --split all \
  --out "$tmp/latin1-eval" >/dev/null 2>"$tmp/latin1-eval.err" || fail "evaluate on invalid UTF-8 values failed"
grep -q "2 distinct text value(s) are not valid UTF-8" "$tmp/latin1-eval.err" ||
  fail "evaluate does not warn of the replaced bytes: $(cat "$tmp/latin1-eval.err")"
cat >"$tmp/latin1-tune.yaml" <<YAML
objective: {metric: validation:auc, type: Maximize}
max_jobs: 1
parameter_ranges:
  continuous:
    - {name: eta, min: 0.1, max: 0.5}
training: {data: $tmp/latin1.csv, target: label, static_hyperparameters: {num_round: 3}}
YAML
"$archml" -q tune --config "$tmp/latin1-tune.yaml" --out "$tmp/latin1-tune" >/dev/null \
  2>"$tmp/latin1-tune.err" || fail "tune on invalid UTF-8 values failed: $(cat "$tmp/latin1-tune.err")"
grep -q "2 distinct text value(s) are not valid UTF-8" "$tmp/latin1-tune.err" ||
  fail "tune does not warn of the replaced bytes: $(cat "$tmp/latin1-tune.err")"
# Rows that --lenient skips are reported by train too, never dropped in silence.
{ cat "$tmp/latin1.csv"; echo "Oslo,12,0,extra"; } >"$tmp/ragged.csv"
"$archml" -q train --data "$tmp/ragged.csv" --target label --hp num_round=5 --lenient \
  --out "$tmp/ragged-train" >/dev/null 2>"$tmp/ragged.err" || fail "train --lenient failed"
grep -q "skipped 1 malformed row" "$tmp/ragged.err" ||
  fail "train --lenient does not report the skipped row: $(cat "$tmp/ragged.err")"
grep -q 'caf\\ufffd\|caf�' "$tmp/latin1-train/bundle/model.json" "$tmp/latin1-train/bundle/bundle.json" ||
  fail "the model does not know the category 'caf\ufffd'"
"$archml" -q predict --model "$tmp/latin1-train" --data "$tmp/latin1.csv" --out "$tmp/latin1-pred.csv" \
  >/dev/null 2>&1 || fail "predict on invalid UTF-8 values failed"

# Non-finite numbers: one rule for train, predict, evaluate and serve.
"$archml" datagen paysim --rows 3000 --out "$tmp/paysim.csv" >/dev/null
"$archml" -q train --data "$tmp/paysim.csv" --target isFraud --hp num_round=5 --out "$tmp/train" \
  >/dev/null || fail "train on clean data failed"
expect_failure 2 "input is empty" -- "$archml" -q evaluate --model "$tmp/train" \
  --data "$tmp/empty.csv" --split all --out "$tmp/empty-eval"
expect_failure 2 "is empty" -- "$archml" -q predict --model "$tmp/train" --data "$tmp/empty.csv" \
  --out "$tmp/empty-pred.csv"
for bad in inf -inf 1e400 1e39; do
  awk -F, -v OFS=, -v bad="$bad" 'NR == 18 { $3 = bad } { print }' "$tmp/paysim.csv" >"$tmp/bad.csv"
  message="row 17, column 'amount'.*not a finite number"
  expect_failure 2 "$message" -- "$archml" -q train --data "$tmp/bad.csv" --target isFraud \
    --hp num_round=5 --out "$tmp/bad-train"
  expect_failure 2 "row 17 .*column 'amount'.*not a finite number" -- \
    "$archml" -q predict --model "$tmp/train" --data "$tmp/bad.csv" --out "$tmp/bad-pred.csv"
  expect_failure 2 "$message" -- "$archml" -q evaluate --model "$tmp/train" --data "$tmp/bad.csv" \
    --split all --out "$tmp/bad-eval"
done

"$archml" serve --model "$tmp/train" --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
servers+=("$pid")
await_announcement "$tmp/serve.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/serve.err"
url=$announced
# The row as the model's training columns (isFraud, the target, left out).
sed -n 18p "$tmp/paysim.csv" |
  awk -F, -v OFS=, '{ $3 = "inf"; print $1, $2, $3, $4, $5, $6, $7, $8, $9, $11 }' >"$tmp/request.csv"
status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: text/csv" \
  --data-binary "@$tmp/request.csv" "$url/invocations")
[ "$status" = 400 ] || fail "serve answered $status to inf: $(cat "$tmp/body")"
grep -q "column 'amount'.*not a finite number" "$tmp/body" || fail "serve's 400 says: $(cat "$tmp/body")"
# --prepared feature rows: the same rule (the 7th of the 12 features is amount).
"$archml" serve --model "$tmp/train" --prepared --port 0 >"$tmp/prepared.out" 2>"$tmp/prepared.err" &
pid=$!
servers+=("$pid")
await_announcement "$tmp/prepared.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/prepared.err"
for bad in inf 1e39; do
  echo "1,0,0,0,1,0,$bad,10,0,0,0,0" >"$tmp/prepared.csv"
  status=$(curl -s -o "$tmp/body" -w '%{http_code}' -H "Content-Type: text/csv" \
    --data-binary "@$tmp/prepared.csv" "$announced/invocations")
  [ "$status" = 400 ] || fail "serve --prepared answered $status to $bad: $(cat "$tmp/body")"
  grep -q "'$bad' is not a finite number" "$tmp/body" || fail "serve --prepared's 400 says: $(cat "$tmp/body")"
done
echo "bad input: pipes, empty files, UTF-8 and non-finite numbers follow docs/csv.md"
