#!/usr/bin/env bash
# The drift goal of docs/monitor.md, seeded (not a timing): 20 checks of 1,000 captured
# requests drawn from the training distribution give no baseline_drift_check; 20 with
# `amount` shifted by half its standard deviation, 20 with `step` so shifted (an evenly
# spread feature, where half a deviation moves the CDF least), and 20 with CASH_IN's share
# doubled,
# give one naming that feature, every time (CASH_IN's
# amounts and balances differ from the other types', so those drift with it). Capture files are written in the endpoint's
# format (SageMaker's) and read by `archml monitor run`.
#   bench/monitor_drift.sh [ARCHML]   (default build/archml)
set -euo pipefail
archml=$(realpath "${1:-build/archml}")
source_dir=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export ARCHML_HOME="$tmp/home"

"$archml" -q datagen paysim --rows 120000 --seed 11 --out "$tmp/ordered.csv" >/dev/null
{ head -1 "$tmp/ordered.csv"; tail -n +2 "$tmp/ordered.csv" |
  awk 'BEGIN { srand(3) } { print rand() "\t" $0 }' | sort -k1,1 | cut -f2-; } >"$tmp/all.csv"
head -60001 "$tmp/all.csv" >"$tmp/train.csv"
{ head -1 "$tmp/all.csv"; tail -n +60002 "$tmp/all.csv"; } >"$tmp/live.csv"
"$archml" -q train --data "$tmp/train.csv" --target isFraud \
  --recipe "$source_dir/examples/paysim/recipe.yaml" --hp num_round=10 --out "$tmp/model" >/dev/null 2>&1
"$archml" -q monitor baseline --data "$tmp/train.csv" --model "$tmp/model" --out "$tmp/base" >/dev/null

/usr/bin/python3 - "$archml" "$tmp" <<'PY'
import csv, json, random, subprocess, sys
archml, tmp = sys.argv[1], sys.argv[2]
stats = json.load(open(tmp + "/base/statistics.json"))
sd = [f for f in stats["features"] if f["name"] == "amount"][0]["numerical_statistics"]["std_dev"]
step_sd = [f for f in stats["features"] if f["name"] == "step"][0]["numerical_statistics"]["std_dev"]
with open(tmp + "/live.csv") as f:
    reader = csv.reader(f)
    header = next(reader)
    rows = list(reader)
target = header.index("isFraud")
amount = header.index("amount")
kind = header.index("type")
step = header.index("step")

def capture(name, chosen):
    import os
    folder = f"{tmp}/{name}/archml/AllTraffic/2026/12/08/05"
    os.makedirs(folder, exist_ok=True)
    with open(folder + "/capture.jsonl", "w") as out:
        for i, row in enumerate(chosen):
            body = ",".join(v for c, v in enumerate(row) if c != target) + "\n"
            out.write(json.dumps({"captureData": {
                "endpointInput": {"observedContentType": "text/csv", "mode": "INPUT", "data": body, "encoding": "CSV"},
                "endpointOutput": {"observedContentType": "text/csv", "mode": "OUTPUT", "data": "0.1\n", "encoding": "CSV"}},
                "eventMetadata": {"eventId": f"{name}-{i}", "inferenceTime": "2026-12-08T05:00:00.000Z"},
                "eventVersion": "0"}) + "\n")
    result = subprocess.run([archml, "-q", "monitor", "run", "--capture", f"{tmp}/{name}", "--baseline",
                             tmp + "/base", "--out", f"{tmp}/{name}-out", "--json"], capture_output=True, text=True)
    summary = json.loads(result.stdout)
    drift = sorted(v["feature_name"] for v in summary["violations"] if v["constraint_check_type"] == "baseline_drift_check")
    distances = {d["feature"]: d["distance"] for d in summary["drift"]}
    return drift, distances

tally = {"same": 0, "amount": 0, "type": 0, "step": 0}
largest_same = 0.0
others = set()
smallest = {"amount": 1.0, "type": 1.0, "step": 1.0}
for seed in range(1, 21):
    rng = random.Random(seed)
    same = rng.sample(rows, 1000)
    drift, distances = capture(f"same{seed}", same)
    tally["same"] += drift == []
    largest_same = max(largest_same, max(distances.values()))
    shifted = [list(r) for r in rng.sample(rows, 1000)]
    for r in shifted:
        r[amount] = repr(float(r[amount]) + sd / 2)
    drift, distances = capture(f"amount{seed}", shifted)
    tally["amount"] += "amount" in drift
    smallest["amount"] = min(smallest["amount"], distances["amount"])
    # step (the hour, spread evenly: no heavy tail) + half its sd, kept whole.
    later = [list(r) for r in rng.sample(rows, 1000)]
    for r in later:
        r[step] = str(int(r[step]) + round(step_sd / 2))
    drift, distances = capture(f"step{seed}", later)
    tally["step"] += "step" in drift
    smallest["step"] = min(smallest["step"], distances["step"])
    # CASH_IN's share doubled: CASH_IN rows drawn with twice the weight.
    weights = [2.0 if r[kind] == "CASH_IN" else 1.0 for r in rows]
    doubled = rng.choices(rows, weights=weights, k=1000)
    drift, distances = capture(f"type{seed}", doubled)
    tally["type"] += "type" in drift
    others.update(d for d in drift if d != "type")
    smallest["type"] = min(smallest["type"], distances["type"])
print(f"in-distribution: {tally['same']}/20 runs without a baseline_drift_check "
      f"(largest distance of any feature {largest_same:.4f})")
print(f"amount + sd/2:   {tally['amount']}/20 runs with a drift violation naming amount "
      f"(smallest distance {smallest['amount']:.4f})")
print(f"step + sd/2:     {tally['step']}/20 runs with a drift violation naming step "
      f"(smallest distance {smallest['step']:.4f})")
print(f"CASH_IN doubled: {tally['type']}/20 runs with a drift violation naming type "
      f"(smallest distance {smallest['type']:.4f}; features correlated with the type drift "
      f"too: {', '.join(sorted(others)) or 'none'})")
sys.exit(0 if tally == {"same": 20, "amount": 20, "type": 20, "step": 20} else 1)
PY
