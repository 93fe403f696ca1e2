#!/usr/bin/env bash
# `archml predict` end to end: train on PaySim-like data, score the same file, and check
# the output against evaluate's scores.csv (exactly) and against Python's xgboost on the
# bundle's model.json with the recipe's features computed by hand (to 1e-5). Then the
# failures: missing model or file, a missing column, an unknown --keep column, and a row
# the recipe rejects under each --on-error policy.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"

"$archml" predict --help >"$tmp/help" || fail "predict --help failed"
for flag in --model --data --out --keep --cutoff --output --on-error --schema Examples; do
  grep -q -- "$flag" "$tmp/help" || fail "predict --help lacks $flag"
done

"$archml" -q datagen paysim --rows 30000 --seed 7 --out "$tmp/p.csv" >/dev/null
"$archml" -q train --data "$tmp/p.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" \
  --hp num_round=10 eval_metric=auc --out "$tmp/train" >"$tmp/train.log" 2>&1 ||
  fail "train failed: $(cat "$tmp/train.log")"

"$archml" -q predict --model "$tmp/train" --data "$tmp/p.csv" --keep nameOrig \
  --out "$tmp/pred.csv" >"$tmp/summary" || fail "predict failed"
grep -q "scored 30,000 of 30,000 rows" "$tmp/summary" || fail "summary: $(cat "$tmp/summary")"
grep -q "at or above cutoff" "$tmp/summary" || fail "summary lacks positives: $(cat "$tmp/summary")"
[ "$(head -1 "$tmp/pred.csv")" = "nameOrig,score,label" ] ||
  fail "header is '$(head -1 "$tmp/pred.csv")'"
[ "$(wc -l <"$tmp/pred.csv")" -eq 30001 ] || fail "expected 30,000 rows, got $(wc -l <"$tmp/pred.csv")"

# The bundle directory and stdout give the same bytes as the OUT directory and a file.
"$archml" -q predict --model "$tmp/train/bundle" --data "$tmp/p.csv" --keep nameOrig \
  --out - >"$tmp/stdout.csv" 2>/dev/null || fail "predict --out - failed"
cmp -s "$tmp/pred.csv" "$tmp/stdout.csv" || fail "--out - differs from --out FILE"

"$archml" -q evaluate --model "$tmp/train" --data "$tmp/p.csv" --split all \
  --out "$tmp/eval" >/dev/null || fail "evaluate failed"

/usr/bin/python3 - "$tmp" <<'PY' || fail "predictions disagree"
import csv, json, os, sys
import numpy as np
import pandas as pd
import xgboost

tmp = sys.argv[1]
bundle = json.load(open(os.path.join(tmp, "train", "bundle", "bundle.json")))
cutoff = bundle["cutoff"]
pred = list(csv.DictReader(open(os.path.join(tmp, "pred.csv"))))
data = pd.read_csv(os.path.join(tmp, "p.csv"))
assert len(pred) == len(data), (len(pred), len(data))
assert [r["nameOrig"] for r in pred] == list(data["nameOrig"]), "nameOrig not kept in order"
scores = np.array([float(r["score"]) for r in pred])
assert ((scores >= 0) & (scores <= 1)).all(), "scores outside [0, 1]"
for r, s in zip(pred, scores):
    assert r["label"] == ("1" if s >= cutoff else "0"), (r, cutoff)

# Exactly evaluate's scores, row by row.
evaluated = list(csv.DictReader(open(os.path.join(tmp, "eval", "scores.csv"))))
assert len(evaluated) == len(pred)
for e in evaluated:
    assert e["score"] == pred[int(e["row"])]["score"], (e, pred[int(e["row"])])

# The recipe by hand: drop the IDs and the rule, one-hot type, derive, min_max.
recipe = bundle["recipe"]
f = pd.DataFrame(index=data.index)
one_hot = next(s for s in recipe["steps"] if "one_hot" in s)["fitted"][0]
scaled = {c["name"]: c for c in next(s for s in recipe["steps"] if "min_max" in s)["fitted"]}
raw = data.copy()
raw["errorBalanceOrig"] = raw.newbalanceOrig + raw.amount - raw.oldbalanceOrg
raw["errorBalanceDest"] = raw.oldbalanceDest + raw.amount - raw.newbalanceDest
raw["hour"] = raw.step % 24
for name in bundle["features"]:
    if name.startswith("type_"):
        f[name] = (raw["type"] == name[len("type_"):]).astype(float)
    else:
        lo, hi = scaled[name]["min"], scaled[name]["max"]
        f[name] = (raw[name].astype(float) - lo) / (hi - lo)
assert sorted(one_hot["categories"]) == sorted(n[5:] for n in f.columns if n.startswith("type_"))
booster = xgboost.Booster(model_file=os.path.join(tmp, "train", "bundle", "model.json"))
matrix = xgboost.DMatrix(f.values.astype(np.float32), feature_names=list(bundle["features"]))
expected = booster.predict(matrix, iteration_range=(0, bundle["best_round"] + 1))
worst = np.abs(expected - scores).max()
assert worst < 1e-5, f"python xgboost differs by {worst}"
print(f"predict: {len(pred)} rows agree with evaluate exactly and xgboost to {worst:.2g}")
PY

# --cutoff and --output probabilities.
"$archml" -q predict --model "$tmp/train" --data "$tmp/p.csv" --cutoff 0.01 \
  --output probabilities --out "$tmp/prob.csv" >/dev/null || fail "--output probabilities failed"
[ "$(head -1 "$tmp/prob.csv")" = "p_0,p_1,label" ] || fail "header is '$(head -1 "$tmp/prob.csv")'"
awk -F, 'NR > 1 && (($3 == "1") != ($2 >= 0.01)) { bad = 1 } END { exit bad }' "$tmp/prob.csv" ||
  fail "labels do not follow --cutoff 0.01"

# Whole-file failures.
expect_failure 3 "not found|no bundle|bundle" -- \
  "$archml" -q predict --model "$tmp/nope" --data "$tmp/p.csv" --out "$tmp/x.csv"
expect_failure 3 "nope.csv" -- \
  "$archml" -q predict --model "$tmp/train" --data "$tmp/nope.csv" --out "$tmp/x.csv"
cut -d, -f1-2,4- "$tmp/p.csv" >"$tmp/no-amount.csv"
expect_failure 3 "amount" -- \
  "$archml" -q predict --model "$tmp/train" --data "$tmp/no-amount.csv" --out "$tmp/x.csv"
expect_failure 3 "--keep.*accountId" -- \
  "$archml" -q predict --model "$tmp/train" --data "$tmp/p.csv" --keep accountId --out "$tmp/x.csv"
[ ! -e "$tmp/x.csv" ] || fail "a failed run left $tmp/x.csv"
expect_failure 2 "on-error" -- \
  "$archml" -q predict --model "$tmp/train" --data "$tmp/p.csv" --on-error maybe --out "$tmp/x.csv"

# A row the recipe rejects: a model whose one-hot refuses unseen categories.
sed 's/unseen: ignore/unseen: error/' "$source_dir/examples/paysim/recipe.yaml" >"$tmp/strict.yaml"
head -3001 "$tmp/p.csv" >"$tmp/small.csv"
"$archml" -q train --data "$tmp/small.csv" --target isFraud --recipe "$tmp/strict.yaml" \
  --hp num_round=3 --out "$tmp/strict" >"$tmp/train.log" 2>&1 ||
  fail "strict train failed: $(cat "$tmp/train.log")"
awk -F, 'BEGIN { OFS = "," } NR == 6 { $2 = "CRYPTO" } { print }' "$tmp/small.csv" >"$tmp/bad.csv"
expect_failure 2 "row 5 .*type.*CRYPTO" -- \
  "$archml" -q predict --model "$tmp/strict" --data "$tmp/bad.csv" --out "$tmp/x.csv"
"$archml" -q predict --model "$tmp/strict" --data "$tmp/bad.csv" --keep nameOrig \
  --on-error skip --out "$tmp/skip.csv" >/dev/null 2>"$tmp/err" || fail "--on-error skip failed"
[ "$(wc -l <"$tmp/skip.csv")" -eq 3000 ] || fail "skip kept $(wc -l <"$tmp/skip.csv") lines"
grep -q "row 5: .*CRYPTO" "$tmp/err" || fail "skip did not report the row: $(cat "$tmp/err")"
"$archml" -q predict --model "$tmp/strict" --data "$tmp/bad.csv" --keep nameOrig \
  --on-error empty --out "$tmp/empty.csv" >/dev/null 2>&1 || fail "--on-error empty failed"
[ "$(head -1 "$tmp/empty.csv")" = "nameOrig,score,label,error" ] ||
  fail "empty header is '$(head -1 "$tmp/empty.csv")'"
[ "$(wc -l <"$tmp/empty.csv")" -eq 3001 ] || fail "empty wrote $(wc -l <"$tmp/empty.csv") lines"
sed -n 6p "$tmp/empty.csv" | grep -qE "^C[0-9]+,,,.*CRYPTO" ||
  fail "row 5 is '$(sed -n 6p "$tmp/empty.csv")'"
[ "$(awk -F, 'NR > 1 && $2 == ""' "$tmp/empty.csv" | wc -l)" -eq 1 ] ||
  fail "more than one row has empty scores"

echo "predict_test: ok"
