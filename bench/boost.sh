#!/usr/bin/env bash
# Boosting benchmark (issue 18): archml's own engine (tree_method=archml) against archml's
# XGBoost path (tree_method=hist) and against `xgboost.train` in Python
# (bench/peer/boost.py, /usr/bin/python3, python3-xgboost 1.7) on the same features of
# the same training rows, with the workshop's hyperparameters, 100 rounds, 2 threads.
# Usage: bench/boost.sh [ROWS]   (default 6362620, the full PaySim size)
# Prints each side's boosting wall time and CPU time (archml's: a 100-round job minus a
# 1-round job, user + sys from /usr/bin/time, so that a loaded machine does not hide
# the work), the ratios, and the test PR AUC of archml's two engines (goal: the engine
# >= 3x faster than xgboost.train, PR AUC within 0.001).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-6362620}
source "$root/bench/lib.sh"

hp=(max_depth=5 subsample=0.8 eta=0.2 gamma=4 min_child_weight=6 eval_metric=aucpr nthread=2)

# run_archml NAME TREE_METHOD ROUNDS: one `archml train` into $work/boost-NAME-ROUNDS.
run_archml() {
  local out=$work/boost-$1-$3
  rm -rf "$out"
  /usr/bin/time -f "%U %S %M" -o "$out.cpu" "$archml" -q train --data "$data" --target isFraud \
    --recipe "$root/examples/paysim/recipe.yaml" --hp "${hp[@]}" tree_method="$2" \
    num_round="$3" --out "$out" >"$out.stdout" 2>"$out.stderr" || { cat "$out.stderr" >&2; exit 1; }
}

echo "input: $data ($rows rows), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for engine in archml hist; do
  run_archml "$engine" "$engine" 100
  run_archml "$engine" "$engine" 1
done
(cd "$root/bench/peer" && /usr/bin/python3 boost.py "$data" "$work/boost-python.json" >/dev/null)
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

/usr/bin/python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
def archml(name):
    full = json.load(open(f"{work}/boost-{name}-100/summary.json"))
    cpu100 = [float(x) for x in open(f"{work}/boost-{name}-100.cpu").read().split()]
    cpu1 = [float(x) for x in open(f"{work}/boost-{name}-1.cpu").read().split()]
    return {"wall": full["timings_seconds"]["boosting"],
            "cpu": cpu100[0] + cpu100[1] - cpu1[0] - cpu1[1],
            "peak_mb": cpu100[2] / 1024, "aucpr": full["test"]["aucpr"],
            "matrices": full["timings_seconds"]["matrices"]}
engine, hist = archml("archml"), archml("hist")
python = json.load(open(f"{work}/boost-python.json"))
print("| | boosting wall | boosting CPU (user + sys) | peak RSS | test PR AUC |")
print("|---|---|---|---|---|")
print(f"| archml engine (tree_method=archml) | {engine['wall']:.2f} s | {engine['cpu']:.2f} s "
      f"(99 rounds) | {engine['peak_mb']:.0f} MB | {engine['aucpr']:.5f} |")
print(f"| archml XGBoost path (tree_method=hist) | {hist['wall']:.2f} s | {hist['cpu']:.2f} s "
      f"(99 rounds) | {hist['peak_mb']:.0f} MB | {hist['aucpr']:.5f} |")
print(f"| xgboost.train (Python) | {python['boosting_wall']:.2f} s | "
      f"{python['boosting_cpu']:.2f} s (100 rounds) | | AP {python['test_ap']:.5f} |")
wall_ratio = python["boosting_wall"] / engine["wall"]
cpu_ratio = python["boosting_cpu"] / engine["cpu"]
diff = engine["aucpr"] - hist["aucpr"]
check = lambda ok: "PASS" if ok else "FAIL"
print()
print(f"engine vs xgboost.train: {wall_ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (goal >= 3x) "
      f"{check(min(wall_ratio, cpu_ratio) >= 3)}")
print(f"engine vs archml's XGBoost path: {hist['wall'] / engine['wall']:.2f}x wall, "
      f"{hist['cpu'] / engine['cpu']:.2f}x CPU")
print(f"archml's XGBoost path vs xgboost.train: {python['boosting_cpu'] / hist['cpu']:.2f}x CPU "
      f"(goal >= 1)")
print(f"test PR AUC engine - XGBoost path: {diff:+.5f} (goal within 0.001) "
      f"{check(abs(diff) <= 0.001)}")
PY
