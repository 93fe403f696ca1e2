#!/usr/bin/env bash
# Optimiser-quality benchmark of `archml tune` in bring-your-own-objective mode: Branin,
# Hartmann-6 and a 5-D Rosenbrock (bench/functions.py), SEEDS seeds each, EVALUATIONS
# evaluations per run, one trial at a time. Compares the median best value found by
# archml's Bayesian strategy, archml's Random strategy, and Optuna's TPE sampler
# (bench/peer/optuna_functions.py, /usr/bin/python3) with the same budget and seeds.
# Usage: bench/optimiser.sh [SEEDS] [EVALUATIONS]   (default 10 30)
# Prints each run's best value, the medians, and PASS/FAIL against the issue's targets
# (Bayesian clearly better than Random, and at least as good as TPE). Lower is better.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
source "$root/scripts/lib.sh"
seeds=${1:-10}
evaluations=${2:-30}
work=${BENCH_DIR:-$root/bench/out}/optimiser
mkdir -p "$work"
archml=$(archml_bench_binary "${BUILD_DIR:-$root/build}")
python=/usr/bin/python3

ranges() {
  case $1 in
    branin) echo "{name: x1, min: -5, max: 10}, {name: x2, min: 0, max: 15}" ;;
    hartmann6) for i in 1 2 3 4 5 6; do printf '{name: x%d, min: 0, max: 1}, ' "$i"; done ;;
    rosenbrock5) for i in 1 2 3 4 5; do printf '{name: x%d, min: -2, max: 2}, ' "$i"; done ;;
  esac
}

arguments() {
  case $1 in
    branin) echo "--x1 {x1} --x2 {x2}" ;;
    hartmann6) echo "--x1 {x1} --x2 {x2} --x3 {x3} --x4 {x4} --x5 {x5} --x6 {x6}" ;;
    rosenbrock5) echo "--x1 {x1} --x2 {x2} --x3 {x3} --x4 {x4} --x5 {x5}" ;;
  esac
}

# archml_best FUNCTION STRATEGY SEED: the best value of one archml tuning run.
archml_best() {
  local out=$work/$1-$2-$3
  cat >"$out.yaml" <<YAML
objective: {metric: $1, type: Minimize}
strategy: $2
max_jobs: $evaluations
max_parallel_jobs: 1
random_seed: $3
parameter_ranges:
  continuous: [$(ranges "$1")]
command:
  run: "$python $root/bench/functions.py $1 $(arguments "$1")"
  metric_regex: "objective: ([-+0-9.eE]+)"
YAML
  rm -rf "$out"
  "$archml" -q tune --config "$out.yaml" --out "$out" >"$out.log" 2>&1 ||
    { cat "$out.log" >&2; exit 1; }
  $python -c "import json,sys; print(json.load(open(sys.argv[1]))['best_trial']['objective'])" \
    "$out/tuning_summary.json"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

echo "optimiser benchmark: $seeds seeds x $evaluations evaluations, $(nproc) cores," \
  "load $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
summary=""
for function in branin hartmann6 rosenbrock5; do
  : >"$work/$function.bayesian" && : >"$work/$function.random" && : >"$work/$function.tpe"
  start=$(date +%s.%N)
  for seed in $(seq 1 "$seeds"); do
    archml_best "$function" Bayesian "$seed" >>"$work/$function.bayesian"
  done
  bayes_seconds=$(echo "$(date +%s.%N) - $start" | bc)
  for seed in $(seq 1 "$seeds"); do
    archml_best "$function" Random "$seed" >>"$work/$function.random"
  done
  start=$(date +%s.%N)
  for seed in $(seq 1 "$seeds"); do
    $python "$root/bench/peer/optuna_functions.py" "$function" "$seed" "$evaluations" |
      sed 's/best: //' >>"$work/$function.tpe"
  done
  tpe_seconds=$(echo "$(date +%s.%N) - $start" | bc)
  b=$(median <"$work/$function.bayesian")
  r=$(median <"$work/$function.random")
  t=$(median <"$work/$function.tpe")
  echo
  echo "$function (lower is better; per seed):"
  echo "  archml Bayesian: $(tr '\n' ' ' <"$work/$function.bayesian")"
  echo "  archml Random:   $(tr '\n' ' ' <"$work/$function.random")"
  echo "  Optuna TPE:      $(tr '\n' ' ' <"$work/$function.tpe")"
  verdict_random=$(awk -v b="$b" -v r="$r" 'BEGIN {print (b < r) ? "PASS" : "FAIL"}')
  verdict_tpe=$(awk -v b="$b" -v t="$t" 'BEGIN {print (b <= t) ? "PASS" : "FAIL"}')
  [ "$verdict_random" = PASS ] && [ "$verdict_tpe" = PASS ] || status=1
  line=$(printf "%-12s median best: Bayesian %-12s Random %-12s TPE %-12s  Bayesian<Random %s  Bayesian<=TPE %s  (%ss archml Bayesian, %ss Optuna, %s runs each)" \
    "$function" "$b" "$r" "$t" "$verdict_random" "$verdict_tpe" "$bayes_seconds" "$tpe_seconds" "$seeds")
  echo "  $line"
  summary+="$line"$'\n'
done
echo
echo "== summary"
printf '%s' "$summary"
exit $status
