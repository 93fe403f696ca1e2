#!/usr/bin/env bash
# `archml evaluate` end to end: train on PaySim-like data, evaluate the held-out test
# part against the rules column isFlaggedFraud, and check every metric in
# evaluation.json against scikit-learn on the scores the command wrote to scores.csv.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"

"$archml" evaluate --help >"$tmp/help" || fail "evaluate --help failed"
for flag in --model --data --split --cost-matrix --cutoff --baseline-column --out Examples; do
  grep -q -- "$flag" "$tmp/help" || fail "evaluate --help lacks $flag"
done

"$archml" -q datagen paysim --rows 50000 --seed 7 --out "$tmp/p.csv" >/dev/null
"$archml" -q train --data "$tmp/p.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" \
  --hp num_round=20 eval_metric=auc,aucpr --out "$tmp/train" >"$tmp/train.log" 2>&1 ||
  fail "train failed: $(cat "$tmp/train.log")"

"$archml" -q evaluate --model "$tmp/train" --split test --baseline-column isFlaggedFraud \
  --words frauds,transactions --out "$tmp/eval" >"$tmp/summary" ||
  fail "evaluate failed"
for text in "ROC AUC" "PR AUC" "log loss" "predicted 1" "At cutoff" "frauds" \
  "per 1,000 transactions" "at 0.5" "isFlaggedFraud"; do
  grep -q "$text" "$tmp/summary" || fail "summary lacks '$text': $(cat "$tmp/summary")"
done

html="$tmp/eval/evaluation.html"
grep -q "<svg" "$html" || fail "evaluation.html has no chart"
if grep -qE "https?://|<script" "$html"; then fail "evaluation.html is not self-contained"; fi
/usr/bin/python3 - "$html" <<'PY' || fail "evaluation.html holds malformed SVG"
import re, sys, xml.dom.minidom
charts = re.findall(r"<svg.*?</svg>", open(sys.argv[1]).read(), re.S)
assert len(charts) >= 5, len(charts)  # cost curve, ROC, PR, score histogram, calibration
for chart in charts:
    xml.dom.minidom.parseString(chart)
PY

/usr/bin/python3 - "$tmp/eval" "$tmp/train" <<'PY' || fail "evaluation.json disagrees with scikit-learn"
import csv, json, math, os, sys
import numpy as np
from sklearn import metrics

eval_dir, train_dir = sys.argv[1], sys.argv[2]
report = json.load(open(os.path.join(eval_dir, "evaluation.json")))
rows = list(csv.DictReader(open(os.path.join(eval_dir, "scores.csv"))))
y = np.array([int(float(r["label"])) for r in rows])
p = np.array([float(r["score"]) for r in rows])
m = report["metrics"]
assert report["task"] == "binary" and report["split"] == "test", report["task"]
assert m["rows"] == len(rows) == report["rows"], (m["rows"], len(rows))
assert m["positives"] == int(y.sum())

def close(name, ours, theirs, tol=1e-9):
    assert abs(ours - theirs) <= tol * max(1.0, abs(theirs)), f"{name}: {ours} vs sklearn {theirs}"

close("roc_auc", m["roc_auc"], metrics.roc_auc_score(y, p))
close("average_precision", m["average_precision"], metrics.average_precision_score(y, p))
eps = np.finfo(np.float64).eps
close("log_loss", m["log_loss"], metrics.log_loss(y, np.clip(p, eps, 1 - eps), labels=[0, 1]))
close("brier", m["brier"], metrics.brier_score_loss(y, p))
cutoff = report["cutoff"]
predicted = (p >= cutoff).astype(int)
tn, fp, fn, tp = metrics.confusion_matrix(y, predicted, labels=[0, 1]).ravel()
assert m["confusion"] == {"tn": tn, "fp": fp, "fn": fn, "tp": tp}, (m["confusion"], tn, fp, fn, tp)
close("accuracy", m["accuracy"], metrics.accuracy_score(y, predicted))
precision, recall, f1, support = metrics.precision_recall_fscore_support(
    y, predicted, labels=[0, 1], zero_division=0)
for c in (0, 1):
    got = m["report"]["classes"][c]
    close(f"precision[{c}]", got["precision"], precision[c])
    close(f"recall[{c}]", got["recall"], recall[c])
    close(f"f1[{c}]", got["f1"], f1[c])
    assert got["support"] == support[c]

# The cutoff came from the bundle (chosen on validation), and the test metrics agree with
# what training itself measured on the test part.
bundle = json.load(open(os.path.join(train_dir, "bundle", "bundle.json")))
assert report["cutoff_source"] == "bundle" and cutoff == bundle["cutoff"], (cutoff, bundle["cutoff"])

# Business view: cost curve over 0.01..0.99 with the workshop's default costs.
costs = report["costs"]
assert costs == {"tn": 0, "fp": 100, "fn": 500, "tp": 100}, costs
def cost_at(c):
    q = (p >= c).astype(int)
    tn, fp, fn, tp = metrics.confusion_matrix(y, q, labels=[0, 1]).ravel()
    return tn * costs["tn"] + fp * costs["fp"] + fn * costs["fn"] + tp * costs["tp"]
curve = m["cost_curve"]
assert [pt["cutoff"] for pt in curve] == [k / 100 for k in range(1, 100)]
for pt in curve[::7]:
    close(f"cost at {pt['cutoff']}", pt["total_cost"], cost_at(pt["cutoff"]))
best = min(pt["total_cost"] for pt in curve)
assert m["optimal"]["total_cost"] == best, (m["optimal"], best)
close("cost at 0.5", m["at_default_cutoff"]["total_cost"], cost_at(0.5))
close("cost at cutoff", m["at_cutoff"]["total_cost"], cost_at(cutoff))
per_1000 = m["at_cutoff"]["total_cost"] * 1000 / len(rows)
close("cost per 1000", m["at_cutoff"]["cost_per_1000_rows"], per_1000)

# The rules baseline, recomputed from the data file's isFlaggedFraud on the same rows.
flagged = {}
with open(os.path.join(os.path.dirname(eval_dir), "p.csv")) as f:
    for i, r in enumerate(csv.DictReader(f)):
        flagged[i] = int(float(r["isFlaggedFraud"]))
b = np.array([flagged[int(r["row"])] for r in rows])
tn, fp, fn, tp = metrics.confusion_matrix(y, b, labels=[0, 1]).ravel()
assert m["baseline"]["confusion"] == {"tn": tn, "fp": fp, "fn": fn, "tp": tp}, m["baseline"]
assert report["baseline_column"] == "isFlaggedFraud"
assert "frauds" in report["summary"]["chosen"] and "isFlaggedFraud" in report["summary"]["comparison"]
PY

# --data FILE alone evaluates every labelled row; --cutoff overrides the bundle's.
"$archml" -q evaluate --model "$tmp/train/bundle" --data "$tmp/p.csv" --cutoff 0.25 \
  --cost-matrix 0,10,50,10 --out "$tmp/eval-all" >/dev/null || fail "evaluate --data failed"
/usr/bin/python3 - "$tmp/eval-all/evaluation.json" <<'PY' || fail "evaluate --data wrote the wrong rows"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["rows"] == 50000 and report["split"] == "all", report["rows"]
assert report["cutoff"] == 0.25 and report["cutoff_source"] == "--cutoff"
assert report["costs"] == {"tn": 0, "fp": 10, "fn": 50, "tp": 10}, report["costs"]
PY

expect_failure 3 "no-such-model" -- "$archml" evaluate --model "$tmp/no-such-model" --out "$tmp/x"
expect_failure 3 "isFlaggedFraudd.*isFlaggedFraud" -- \
  "$archml" evaluate --model "$tmp/train" --baseline-column isFlaggedFraudd --out "$tmp/x"
expect_failure 2 "TN,FP,FN,TP" -- \
  "$archml" evaluate --model "$tmp/train" --cost-matrix 0,100,500 --out "$tmp/x"
expect_failure 2 "TN,FP,FN,TP" -- \
  "$archml" evaluate --model "$tmp/train" --cost-matrix 0,100,abc,100 --out "$tmp/x"
expect_failure 2 "cutoff.*between 0 and 1" -- \
  "$archml" evaluate --model "$tmp/train" --cutoff 1.5 --out "$tmp/x"
expect_failure 2 "cutoff.*between 0 and 1" -- \
  "$archml" evaluate --model "$tmp/train" --cutoff 0 --out "$tmp/x"
expect_failure 2 "unknown split" -- \
  "$archml" evaluate --model "$tmp/train" --split testing --out "$tmp/x"
head -1000 "$tmp/p.csv" >"$tmp/other.csv"
expect_failure 2 "not the file the model was trained on" -- \
  "$archml" evaluate --model "$tmp/train" --data "$tmp/other.csv" --split test --out "$tmp/x"
echo "evaluate_test: ok"
