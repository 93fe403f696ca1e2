#!/usr/bin/env bash
# The comparisons against the real PaySim data: the 4,999-row sample beside this project's
# CI checkout (../shared/data/paysim-5k.csv, or the file ARCHML_PAYSIM_SAMPLE names). A clone
# of the repository alone has no such file, and this test reports a skip there; every other
# test runs on generated data. On the sample: profile.json agrees with pandas, and the
# workshop's recipe trains a model that finds its frauds.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
require_paysim_sample
require_python_module pandas python3-pandas

"$archml" -q profile "$paysim_sample" --target isFraud --out "$tmp/profile" >"$tmp/summary" ||
  fail "profile of the sample failed"
grep -q "4,999 rows" "$tmp/summary" || fail "the sample is not 4,999 rows: $(cat "$tmp/summary")"
/usr/bin/python3 "$source_dir/tests/integration/profile_compare.py" "$paysim_sample" \
  "$tmp/profile/profile.json" isFraud || fail "profile.json of the sample disagrees with pandas"

"$archml" -q train --data "$paysim_sample" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" \
  --hp num_round=20 max_depth=4 eta=0.3 eval_metric=auc,aucpr --out "$tmp/train" \
  >"$tmp/train.log" 2>&1 || fail "training on the sample failed: $(cat "$tmp/train.log")"
/usr/bin/python3 - "$tmp/train/bundle/bundle.json" <<'PY' || fail "the sample's model is poor"
import json, sys
metrics = json.load(open(sys.argv[1]))["metrics"]
assert metrics["validation:auc"] > 0.9, metrics
PY
