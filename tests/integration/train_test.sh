#!/usr/bin/env bash
# `archml train` end to end: the workshop flow on PaySim-like data, the artifacts it writes,
# Python's xgboost reading the model, multi-class and regression targets, and the errors
# a user meets (exit code 2 for bad input, 3 for something missing).
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
python=/usr/bin/python3
require_python_module xgboost python3-xgboost
recipe="$source_dir/examples/paysim/recipe.yaml"
hp=(--hp num_round=20 max_depth=4 eta=0.3 eval_metric=auc,aucpr)

# check_outputs DIR: the artifacts exist and metrics.json has validation:auc every round.
check_outputs() {
  local dir=$1
  for file in bundle/model.json bundle/bundle.json metrics.json split.json summary.json; do
    [ -s "$dir/$file" ] || fail "$dir/$file missing"
  done
  "$python" - "$dir" <<'PY' || fail "metrics.json / bundle.json of $dir"
import json, sys
d = sys.argv[1]
m = json.load(open(d + "/metrics.json"))
assert len(m["rounds"]) == 20, len(m["rounds"])
assert all("validation:auc" in r and "validation:aucpr" in r for r in m["rounds"]), m["rounds"][0]
assert not any("train:auc" in r for r in m["rounds"])
b = json.load(open(d + "/bundle/bundle.json"))
for key in ["target", "recipe", "input_schema", "cutoff", "cost_matrix", "hyperparameters",
            "split", "feature_importances", "metrics", "timings_seconds"]:
    assert key in b, key
assert 0 < b["cutoff"] < 1
assert set(b["timings_seconds"]) >= {"read", "split", "recipe", "matrices", "boosting",
                                     "predict", "evaluate"}, b["timings_seconds"]
assert b["data"]["hash"].startswith("xxh64:")
PY
}

"$archml" train --help >"$tmp/help"
grep -q "docs/hyperparameters.md" "$tmp/help" || fail "train --help lacks the hyperparameter pointer"
grep -q "ordered:COLUMN" "$tmp/help" || fail "train --help lacks the split form"

# The workshop flow on generated data with the example recipe.
"$archml" datagen paysim --rows 50000 --out "$tmp/paysim.csv" >/dev/null
"$archml" train --data "$tmp/paysim.csv" --target isFraud --recipe "$recipe" "${hp[@]}" \
  --out "$tmp/small" >"$tmp/small.log"
grep -qE '^\[3\] validation:auc [0-9.]+  validation:aucpr' "$tmp/small.log" \
  || fail "no per-round lines: $(cat "$tmp/small.log")"
grep -q "cutoff" "$tmp/small.log" || fail "no cutoff in the summary"
check_outputs "$tmp/small"
[ ! -e "$tmp/small/recipe.yaml" ] || fail "recipe.yaml written although --recipe was given"

# The automatic recipe, hp given as repeated flags.
"$archml" train --data "$tmp/paysim.csv" --target isFraud --hp num_round=20 --hp max_depth=4 \
  --hp eta=0.3 eval_metric=auc,aucpr --out "$tmp/gen" >"$tmp/gen.log"
check_outputs "$tmp/gen"
[ -s "$tmp/gen/recipe.yaml" ] || fail "automatic recipe not written"
# The written recipe is accepted back, and training again is deterministic.
"$archml" train --data "$tmp/paysim.csv" --target isFraud --recipe "$tmp/gen/recipe.yaml" \
  "${hp[@]}" --out "$tmp/gen2" >/dev/null
cmp -s "$tmp/gen/bundle/model.json" "$tmp/gen2/bundle/model.json" \
  || fail "retraining with the written recipe gave another model"

# Python's xgboost loads model.json and agrees on the feature count (identical predictions
# are checked in tests/model/bundle_test.cpp, which can run the recipe).
"$python" - "$tmp/gen/bundle" <<'PY' || fail "python xgboost cannot use model.json"
import json, sys
import numpy as np, xgboost as xgb
d = sys.argv[1]
b = json.load(open(d + "/bundle.json"))
booster = xgb.Booster(model_file=d + "/model.json")
assert booster.num_features() == len(b["features"]), (booster.num_features(), b["features"])
assert booster.feature_names == b["features"]
p = booster.predict(xgb.DMatrix(np.zeros((3, len(b["features"]))), feature_names=b["features"]))
assert ((p >= 0) & (p <= 1)).all()
PY

# Ordered split, multi-class (text target) and regression smoke runs.
"$archml" train --data "$tmp/paysim.csv" --target isFraud --split ordered:step \
  --hp num_round=5 --out "$tmp/ordered" >/dev/null
"$python" -c "import json,sys; s=json.load(open('$tmp/ordered/split.json')); assert s['spec']['method']=='ordered'" \
  || fail "split.json of an ordered split"
"$archml" train --data "$tmp/paysim.csv" --target type --hp num_round=5 --out "$tmp/multi" \
  >"$tmp/multi.log"
grep -q "multi:softprob" "$tmp/multi.log" || fail "type did not train multi-class"
"$archml" train --data "$tmp/paysim.csv" --target amount --hp num_round=5 --out "$tmp/reg" \
  >"$tmp/reg.log"
grep -q "reg:squarederror" "$tmp/reg.log" || fail "amount did not train a regression"

# Errors.
expect_failure 3 "no_such_column" -- "$archml" train --data "$tmp/paysim.csv" --target no_such_column --out "$tmp/e1"
expect_failure 2 "distinct values" -- "$archml" train --data "$tmp/paysim.csv" --target nameOrig --out "$tmp/e2"
expect_failure 2 "did you mean 'eta'" -- "$archml" train --data "$tmp/paysim.csv" --target isFraud --hp etaa=0.1 --out "$tmp/e3"
expect_failure 2 "eta must be in" -- "$archml" train --data "$tmp/paysim.csv" --target isFraud --hp eta=2 --out "$tmp/e4"
: >"$tmp/empty.csv"
expect_failure 2 "no data rows" -- "$archml" train --data "$tmp/empty.csv" --target isFraud --out "$tmp/e5"
expect_failure 3 "does not exist" -- "$archml" train --data "$tmp/missing.csv" --target isFraud --out "$tmp/e6"
expect_failure 2 "bad --split" -- "$archml" train --data "$tmp/paysim.csv" --target isFraud --split sideways --out "$tmp/e7"
expect_failure 2 "cost-matrix" -- "$archml" train --data "$tmp/paysim.csv" --target isFraud --cost-matrix 1,2 --out "$tmp/e8"
expect_failure 2 "positive-class" -- "$archml" train --data "$tmp/paysim.csv" --target isFraud --positive-class 7 --out "$tmp/e9"
echo "train_test: ok"
