#!/usr/bin/env bash
# `archml tune` end to end in bring-your-own-objective mode: a Bayesian job with parallel
# trials on Branin, warm start from it, failed trials, Hyperband stopping trials through
# their printed curves, Grid over categories, and the config errors a user meets (exit 2
# for a bad config, 3 for a missing file) before anything runs.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
python=/usr/bin/python3

# check SUMMARY PYTHON-ASSERTIONS: runs the assertions with `s` = the parsed summary.
check() {
  "$python" - "$1" "$2" <<'PY' || fail "summary check failed for $1: $2"
import json, sys
s = json.load(open(sys.argv[1]))
exec(sys.argv[2])
PY
}

cat >"$tmp/branin.yaml" <<YAML
objective: {metric: branin, type: Minimize}
max_jobs: 10
max_parallel_jobs: 2
random_seed: 3
parameter_ranges:
  continuous: [{name: x1, min: -5, max: 10}, {name: x2, min: 0, max: 15}]
command:
  run: "$python $source_dir/bench/functions.py branin --x1 {x1} --x2 {x2}"
  metric_regex: "objective: ([-+0-9.eE]+)"
  timeout_seconds: 60
YAML
"$archml" tune --config "$tmp/branin.yaml" --out "$tmp/first" >"$tmp/first.log" ||
  fail "tune failed: $(cat "$tmp/first.log")"
grep -q "best trial" "$tmp/first.log" || fail "no best trial printed: $(cat "$tmp/first.log")"
grep -q "^\[10/10\]" "$tmp/first.log" || fail "no progress line for the last trial"
[ -d "$tmp/first/trials/010" ] || fail "trial directories missing"
grep -q "objective:" "$tmp/first/trials/001/output.log" || fail "trial output not saved"
grep -q "<svg" "$tmp/first/tuning.html" || fail "tuning.html has no chart"
grep -qi "http" "$tmp/first/tuning.html" && fail "tuning.html references the network"
check "$tmp/first/tuning_summary.json" "
assert s['strategy'] == 'Bayesian' and len(s['trials']) == 10, s
values = [t['objective'] for t in s['trials']]
assert values == sorted(values), values                      # best first
assert s['best_trial']['objective'] == values[0] < 10, values
assert set(s['best_trial']['parameters']) == {'x1', 'x2'}
assert all(t['status'] == 'Completed' and t['seconds'] > 0 for t in s['trials'])
assert len(s['objective_over_time']) == 10
assert s['objective_over_time'][-1]['best_so_far'] == values[0]
"

# Warm start: the child learns from the parent's ten trials.
sed -e "s|random_seed: 3|random_seed: 4\nwarm_start: {parent_jobs: [$tmp/first]}|" \
  -e "s|max_jobs: 10|max_jobs: 3|" "$tmp/branin.yaml" >"$tmp/warm.yaml"
"$archml" tune --config "$tmp/warm.yaml" --out "$tmp/warm" >"$tmp/warm.log" ||
  fail "warm start failed: $(cat "$tmp/warm.log")"
grep -q "warm-started from 10 earlier trials" "$tmp/warm.log" || fail "$(cat "$tmp/warm.log")"
check "$tmp/warm/tuning_summary.json" "assert s['warm_start_trials'] == 10 and len(s['trials']) == 3"

# Failed trials: the program fails for x > 0.5; the job carries on and reports why.
cat >"$tmp/failing.yaml" <<YAML
objective: {metric: value, type: Maximize}
strategy: Random
max_jobs: 8
random_seed: 1
parameter_ranges: {continuous: [{name: x, min: 0, max: 1}]}
command:
  run: "$python -c 'import sys; x = float(sys.argv[1]); print(\"value:\", x); sys.exit(x > 0.5)' {x}"
  metric_regex: "value: ([0-9.eE+-]+)"
YAML
"$archml" tune --config "$tmp/failing.yaml" --out "$tmp/failing" >"$tmp/failing.log" ||
  fail "a job with failing trials must still succeed: $(cat "$tmp/failing.log")"
grep -q "FAILED: the command exited with status 1" "$tmp/failing.log" || fail "$(cat "$tmp/failing.log")"
check "$tmp/failing/tuning_summary.json" "
failed = [t for t in s['trials'] if t['status'] == 'Failed']
assert failed and all('exited with status 1' in t['failure_reason'] for t in failed), s['trials']
assert s['trials'][-1]['status'] == 'Failed' and s['best_trial']['objective'] <= 0.5
"

# Hyperband: each trial prints a learning curve of 27 steps that rises to x; trials
# with small x are stopped at a rung.
cat >"$tmp/curve.py" <<'PY'
import sys
x = float(sys.argv[1])
for step in range(1, 28):
    print(f"score: {x * (1 - 0.8 ** step):.6f}", flush=True)
PY
cat >"$tmp/hyperband.yaml" <<YAML
objective: {metric: score, type: Maximize}
strategy: Hyperband
max_jobs: 12
max_parallel_jobs: 2
max_steps: 27
random_seed: 5
parameter_ranges: {continuous: [{name: x, min: 0, max: 1}]}
command: {run: "$python $tmp/curve.py {x}", metric_regex: "score: ([0-9.]+)"}
YAML
"$archml" tune --config "$tmp/hyperband.yaml" --out "$tmp/hyperband" >"$tmp/hyperband.log" ||
  fail "hyperband failed: $(cat "$tmp/hyperband.log")"
check "$tmp/hyperband/tuning_summary.json" "
stopped = [t for t in s['trials'] if t['status'] == 'Stopped']
assert stopped, [t['status'] for t in s['trials']]
assert all(t['steps'] < 27 and len(t['curve']) == t['steps'] for t in stopped), stopped
assert s['best_trial']['status'] == 'Completed' and s['best_trial']['steps'] == 27
"

# Grid over categories and integers: every combination exactly once.
cat >"$tmp/grid.yaml" <<YAML
objective: {metric: v, type: Minimize}
strategy: Grid
max_jobs: 100
parameter_ranges:
  integer: [{name: depth, min: 1, max: 3}]
  categorical: [{name: mode, values: [fast, "slow and steady"]}]
command: {run: "$python -c 'import sys; print(\"v\", int(sys.argv[1]) + len(sys.argv[2]))' {depth} {mode}", metric_regex: "v ([0-9]+)"}
YAML
"$archml" tune --config "$tmp/grid.yaml" --out "$tmp/grid" >"$tmp/grid.log" ||
  fail "grid failed: $(cat "$tmp/grid.log")"
check "$tmp/grid/tuning_summary.json" "
assert len(s['trials']) == 6 and s['end_reason'] == 'every grid combination tried', s['end_reason']
assert s['best_trial']['parameters'] == {'depth': '1', 'mode': 'fast'}
assert s['trials'][-1]['objective'] == 3 + len('slow and steady')   # one argument, spaces kept
"

# Config errors, all before any trial runs.
bad() {  # bad NAME YAML-TEXT: writes a config
  printf '%s\n' "$2" >"$tmp/$1.yaml"
}
base="objective: {metric: v}
command: {run: \"echo v {x}\", metric_regex: \"v (.*)\"}"
bad empty "$base
parameter_ranges: {continuous: [{name: x, min: 2, max: 2}]}"
expect_failure 2 "'x'.*the range is empty" -- "$archml" tune --config "$tmp/empty.yaml" --out "$tmp/e1"
bad order "$base
parameter_ranges: {integer: [{name: x, min: 9, max: 3}]}"
expect_failure 2 "min \(9\) must be less than max" -- "$archml" tune --config "$tmp/order.yaml" --out "$tmp/e2"
bad log "$base
parameter_ranges: {continuous: [{name: x, min: 0, max: 1, scaling: Logarithmic}]}"
expect_failure 2 "Logarithmic scaling needs min > 0" -- "$archml" tune --config "$tmp/log.yaml" --out "$tmp/e3"
bad unknown "$base
parameter_ranges: {continuous: [{name: y, min: 0, max: 1}]}"
expect_failure 2 "unknown placeholder \{x\}" -- "$archml" tune --config "$tmp/unknown.yaml" --out "$tmp/e4"
bad typo "$base
max_job: 3
parameter_ranges: {continuous: [{name: x, min: 0, max: 1}]}"
expect_failure 2 "unknown key 'max_job'" -- "$archml" tune --config "$tmp/typo.yaml" --out "$tmp/e5"
expect_failure 3 "tuning config" -- "$archml" tune --config "$tmp/missing.yaml"
[ ! -e "$tmp/e1" ] && [ ! -e "$tmp/e4" ] || fail "an invalid config created its output directory"
"$archml" tune --help | grep -q "Bayesian" || fail "tune --help does not teach the strategies"
echo "tune_test: all passed"
