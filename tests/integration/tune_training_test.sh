#!/usr/bin/env bash
# `archml tune` on an XGBoost training job, end to end on 20,000 PaySim-like rows: a
# small Bayesian search with parallel trials and the median rule, its summary JSON, the
# best trial's bundle scored by `archml predict`, trials failing on an out-of-range value,
# and config errors (an unknown tuned hyperparameter, an unknown metric) that exit 2
# before the data is read.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"

data=$tmp/paysim.csv
"$archml" -q datagen paysim --rows 20000 --seed 1729 --out "$data" >/dev/null

write_config() {  # write_config FILE TUNED_NAME METRIC
  cat >"$1" <<YAML
objective: {metric: $3, type: Maximize}
strategy: Bayesian
max_jobs: 5
max_parallel_jobs: 2
early_stopping: Auto
random_seed: 3
parameter_ranges:
  continuous: [{name: eta, min: 0.05, max: 0.5, scaling: Logarithmic}]
  integer: [{name: $2, min: 2, max: 6}]
training:
  data: $data
  target: isFraud
  recipe: $source_dir/examples/paysim/recipe.yaml
  split: {method: stratified, ratios: [0.7, 0.2, 0.1], seed: 1729}
  static_hyperparameters: {num_round: 12, objective: "binary:logistic", max_delta_step: 1}
YAML
}

write_config "$tmp/tune.yaml" max_depth validation:aucpr
"$archml" -q --threads 2 tune --config "$tmp/tune.yaml" --out "$tmp/run" >"$tmp/tune.log" 2>&1 ||
  fail "tune failed: $(cat "$tmp/tune.log")"
[ -f "$tmp/run/tuning.html" ] || fail "no tuning.html"
[ -f "$tmp/run/training.json" ] || fail "no training.json"

/usr/bin/python3 - "$tmp/run" >"$tmp/best_dir" <<'PY' || fail "summary check failed"
import json, math, os, sys
out = sys.argv[1]
summary = json.load(open(os.path.join(out, "tuning_summary.json")))
assert summary["objective"] == {"metric": "validation:aucpr", "type": "Maximize"}, summary["objective"]
trials = summary["trials"]
assert len(trials) == 5, len(trials)
finished = [t for t in trials if t["status"] != "Failed"]
assert len(finished) == 5, [t.get("failure_reason") for t in trials]
for t in trials:
    p = t["parameters"]
    assert 0.05 <= float(p["eta"]) <= 0.5, p
    assert p["max_depth"] in {"2", "3", "4", "5", "6"}, p
    assert 1 <= t["steps"] <= 12, t
    # One validation:aucpr per round, each a PR AUC.
    assert len(t["curve"]) == t["steps"], t
    assert all(v is not None and 0 <= v <= 1 for _, v in t["curve"]), t["curve"]
    assert t["objective"] == t["curve"][-1][1], t
    assert (t["status"] == "Stopped") == (t["steps"] < 12), t
    metrics = json.load(open(os.path.join(out, t["dir"], "metrics.json")))
    assert metrics["rounds_trained"] == t["steps"], (metrics["rounds_trained"], t)
# Sorted best first; the best trial is the first and the largest.
values = [t["objective"] for t in trials]
assert values == sorted(values, reverse=True), values
best = summary["best_trial"]
assert best["objective"] == max(values), (best, values)
training = json.load(open(os.path.join(out, "training.json")))
assert training["rows"]["train"] + training["rows"]["validation"] + training["rows"]["test"] == 20000
print(best["dir"])
PY
best=$tmp/run/$(cat "$tmp/best_dir")
[ -f "$best/bundle/model.json" ] || fail "best trial $best has no bundle"

# The best trial's bundle scores raw rows.
"$archml" -q predict --model "$best" --data "$data" --out "$tmp/pred.csv" >/dev/null ||
  fail "predict with the best trial's bundle failed"
[ "$(wc -l <"$tmp/pred.csv")" -eq 20001 ] || fail "expected 20,000 scored rows"

# A range reaching outside what a hyperparameter accepts fails those trials, with the
# reason, and the job carries on with the others.
cat >"$tmp/partly.yaml" <<YAML
objective: {metric: validation:aucpr, type: Maximize}
strategy: Random
max_jobs: 4
max_parallel_jobs: 2
random_seed: 3
parameter_ranges:
  continuous: [{name: subsample, min: 0.6, max: 1.6}]
training:
  data: $data
  target: isFraud
  recipe: $source_dir/examples/paysim/recipe.yaml
  static_hyperparameters: {num_round: 5, max_delta_step: 1}
YAML
"$archml" -q tune --config "$tmp/partly.yaml" --out "$tmp/partly" >"$tmp/partly.log" 2>&1 ||
  fail "a job with failing trials failed: $(cat "$tmp/partly.log")"
/usr/bin/python3 - "$tmp/partly/tuning_summary.json" <<'PY' || fail "failed-trial check failed"
import json, sys
trials = json.load(open(sys.argv[1]))["trials"]
assert len(trials) == 4, len(trials)
for t in trials:
    out_of_range = float(t["parameters"]["subsample"]) > 1
    assert (t["status"] == "Failed") == out_of_range, t
    if out_of_range:
        assert "subsample must be in (0, 1]" in t["failure_reason"], t
        assert t["objective"] is None, t
PY

# The catalog holds the tuning job and every trial as a training run of its own, with the
# status the summary gives it (a failed trial Failed with its reason).
"$archml" -q tune --config "$tmp/partly.yaml" --out "$tmp/recorded" --experiment tuning \
  --run partly >/dev/null 2>&1 || fail "a recorded tuning job failed"
"$archml" runs list --experiment tuning --json --limit 50 >"$tmp/runs.json" ||
  fail "runs list failed"
/usr/bin/python3 - "$tmp/runs.json" "$tmp/recorded/tuning_summary.json" <<'PY' ||
import json, sys
runs = {r["name"]: r for r in json.load(open(sys.argv[1]))["runs"]}
summary = json.load(open(sys.argv[2]))
assert "partly" in runs, sorted(runs)
for trial in summary["trials"]:
    name = "partly-trial-%03d" % trial["number"]
    assert name in runs, (name, sorted(runs))
    text = json.dumps(runs[name])
    assert '"%s"' % trial["status"] in text, (trial["status"], runs[name])
PY
  fail "the catalog does not match the tuning summary: $(cat "$tmp/runs.json")"

# The same named job again joins the runs of the first one (as a named run is joined)
# instead of failing every trial on the run names; each trial run then holds two jobs.
"$archml" -q tune --config "$tmp/partly.yaml" --out "$tmp/recorded-again" --experiment tuning \
  --run partly >"$tmp/again.log" 2>&1 || fail "a rerun of a named tuning job failed"
/usr/bin/python3 - "$tmp/recorded-again/tuning_summary.json" <<'PY' ||
import json, sys
trials = json.load(open(sys.argv[1]))["trials"]
statuses = sorted(t["status"] for t in trials)
assert statuses.count("Completed") >= 1, statuses
for t in trials:
    assert "UNIQUE" not in (t.get("failure_reason") or ""), t
PY
  fail "the rerun's trials failed: $(cat "$tmp/again.log")"
"$archml" runs show tuning/partly-trial-001 >"$tmp/trial-run.txt" 2>&1 ||
  fail "runs show of a trial run failed: $(cat "$tmp/trial-run.txt")"
[ "$(grep -c "training" "$tmp/trial-run.txt")" -ge 2 ] ||
  fail "the trial run does not hold both tuning jobs' training jobs: $(cat "$tmp/trial-run.txt")"

# Config errors exit 2 before anything runs: the data is not read and no trial starts.
write_config "$tmp/typo.yaml" max_dept validation:aucpr
expect_failure 2 "unknown hyperparameter 'max_dept'.*max_depth" -- \
  "$archml" -q tune --config "$tmp/typo.yaml" --out "$tmp/typo"
[ ! -e "$tmp/typo/training.json" ] && [ -z "$(ls -A "$tmp/typo/trials" 2>/dev/null)" ] ||
  fail "a trial ran despite the config error"
write_config "$tmp/metric.yaml" max_depth validation:aucroc
expect_failure 2 "aucroc" -- "$archml" -q tune --config "$tmp/metric.yaml" --out "$tmp/metric"
[ ! -e "$tmp/metric/training.json" ] || fail "the data was read despite the config error"

echo "tune_training_test: ok"
