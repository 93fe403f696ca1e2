#!/usr/bin/env bash
# Tuning-lab benchmark: `archml tune` (Bayesian, median-rule early stopping, trials on
# quantised matrices built once per job) against Optuna's TPE sampler + python3-xgboost
# (bench/peer/tune.py, /usr/bin/python3) on the same generated PaySim file in the same
# run: the same features, static hyperparameters and search space (eta, max_depth,
# min_child_weight, subsample, colsample_bytree, gamma, lambda, alpha), TRIALS trials of
# up to 100 rounds each, objective the validation PR AUC.
# Usage: bench/tune.sh [ROWS] [TRIALS]   (defaults 1000000 and 20)
# Environment: PARALLEL (archml's max_parallel_jobs, default 1: one trial on every core,
# whose proposals depend only on the seed, so a run can be repeated; 2 finishes the
# trials a little sooner, in an order that varies), EARLY_STOPPING (Auto or Off, default
# Auto), STRATEGY (default Bayesian), SEED (both sides' sampler seed, default 7; a single
# seed's comparison is partly luck), SKIP_PEER=1 to reuse the last peer run (a variant of
# the archml side only), BENCH_DIR, BUILD_DIR.
# Prints each side's best validation PR AUC and wall time, and the wall time at which
# archml first reached Optuna's best, as a fraction of Optuna's (target <= 1/3).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-1000000}
trials=${2:-20}
parallel=${PARALLEL:-1}
early_stopping=${EARLY_STOPPING:-Auto}
strategy=${STRATEGY:-Bayesian}
seed=${SEED:-7}
threads=$(nproc)
source "$root/bench/lib.sh"

# The search space and static hyperparameters of bench/peer/tune.py.
config=$work/tune-bench.yaml
cat >"$config" <<YAML
objective: {metric: validation:aucpr, type: Maximize}
strategy: $strategy
max_jobs: $trials
max_parallel_jobs: $parallel
early_stopping: $early_stopping
random_seed: $seed
parameter_ranges:
  continuous:
    - {name: eta, min: 0.01, max: 0.5, scaling: Logarithmic}
    - {name: min_child_weight, min: 0.5, max: 20, scaling: Logarithmic}
    - {name: subsample, min: 0.5, max: 1}
    - {name: colsample_bytree, min: 0.5, max: 1}
    - {name: gamma, min: 0, max: 5}
    - {name: lambda, min: 0.01, max: 10, scaling: Logarithmic}
    - {name: alpha, min: 0, max: 2}
  integer:
    - {name: max_depth, min: 3, max: 10}
training:
  data: $data
  target: isFraud
  recipe: $root/examples/paysim/recipe.yaml
  split: {method: stratified, ratios: [0.7, 0.2, 0.1], seed: 1729}
  static_hyperparameters: {num_round: 100, objective: "binary:logistic", max_delta_step: 1,
                           tree_method: hist, max_bin: 256, seed: 0}
YAML

# XGBoost's OpenMP threads wait passively on both sides: on a machine shared with other
# work, spinning threads would slow whichever side runs more threads per booster.
export OMP_WAIT_POLICY=PASSIVE
echo "input: $data ($(du -m "$data" | cut -f1) MB, $rows rows), $threads cores, $trials trials"
echo "seed $seed; archml: strategy $strategy, early_stopping $early_stopping, max_parallel_jobs $parallel"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$work/tune-archml"
timed archml-tune "$archml" -q --threads "$threads" tune --config "$config" \
  --out "$work/tune-archml"
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "${SKIP_PEER:-0}" = 1 ] && [ -f "$work/optuna-tune.json" ] ||
  (cd "$root/bench/peer" &&
    TUNE_SEED=$seed timed optuna-tune /usr/bin/python3 tune.py "$data" "$trials" "$threads" "$work/optuna-tune.json")
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

/usr/bin/python3 - "$work/tune-archml/tuning_summary.json" "$work/optuna-tune.json" \
  "$work/archml-tune.time" <<'EOF'
import json, sys
archml = json.load(open(sys.argv[1]))
optuna = json.load(open(sys.argv[2]))
a_wall = float(open(sys.argv[3]).read().split()[0])
# archml's trial times count from the start of the tuner; what came before (reading,
# splitting, the recipe, the matrices) is the process's wall time minus the tuner's.
prepare = a_wall - archml["seconds"]
a_best = archml["best_trial"]["objective"]
o_best, o_wall = optuna["best"], optuna["wall_seconds"]
reached = next((prepare + point["end_seconds"] for point in archml["objective_over_time"]
                if point["best_so_far"] is not None and point["best_so_far"] >= o_best), None)
o_reached = next(t["end_seconds"] for t in optuna["trials"] if t["value"] >= o_best)
counts = archml["trial_counts"]
print("| | archml tune | Optuna TPE + xgboost |")
print("|---|---|---|")
print(f"| best validation PR AUC | {a_best:.6f} | {o_best:.6f} |")
print(f"| wall time, all trials | {a_wall:.1f} s | {o_wall:.1f} s |")
a_rows = json.load(open(sys.argv[1].replace("tuning_summary.json", "training.json")))["rows"]
print(f"| train / validation rows | {a_rows['train']:,} / {a_rows['validation']:,} | "
      f"{optuna['rows']['train']:,} / {optuna['rows']['validation']:,} |")
print(f"| data preparation | {prepare:.1f} s | {optuna['prepare_seconds']:.1f} s |")
print(f"| trials completed / stopped early / failed | {counts['Completed']} / "
      f"{counts['Stopped']} / {counts['Failed']} | {len(optuna['trials'])} / 0 / 0 |")
print(f"| reached Optuna's best at | "
      f"{'never' if reached is None else f'{reached:.1f} s'} | {o_reached:.1f} s |")
print()
if reached is None:
    print(f"archml did not reach Optuna's best ({o_best:.6f}); its best was {a_best:.6f} "
          f"(difference {a_best - o_best:+.6f}). target <= 1/3 of Optuna's wall time: FAIL")
else:
    ratio = reached / o_wall
    print(f"archml reached Optuna's best validation PR AUC at {reached:.1f} s = {ratio:.3f} of "
          f"Optuna's {o_wall:.1f} s wall time (target <= 0.333): "
          f"{'PASS' if ratio <= 1 / 3 else 'FAIL'}")
print(f"whole runs: archml {a_wall:.1f} s, Optuna {o_wall:.1f} s "
      f"(Optuna / archml = {o_wall / a_wall:.2f}x)")
EOF
