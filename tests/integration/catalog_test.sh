#!/usr/bin/env bash
# The catalog end to end: training, evaluation and prediction recorded as runs; the
# experiments/runs/metrics commands in text and JSON; several `archml train` writing one
# workspace at once; a job killed with SIGKILL marked Failed by the next command, and one
# stopped with SIGTERM marked Stopped.
set -euo pipefail
archml=$1
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
python=/usr/bin/python3
data=$tmp/paysim.csv
"$archml" -q datagen paysim --rows 20000 --seed 1729 --out "$data" >/dev/null
hp=(--hp num_round=20 max_depth=4 eval_metric=auc,aucpr)
cd "$tmp"

# json_check 'PYTHON EXPRESSION over d' COMMAND...: the command's JSON output satisfies it.
json_check() {
  local check=$1
  shift
  "$@" >"$tmp/json" || fail "'$*' failed"
  "$python" - "$tmp/json" "$check" <<'PY' || fail "'$*' JSON fails: $check"
import json, sys
d = json.load(open(sys.argv[1]))
if not eval(sys.argv[2]):
    print(json.dumps(d, indent=1)[:3000], file=sys.stderr)
    sys.exit(1)
PY
}

echo "-- training and evaluation are recorded"
"$archml" -q train --data "$data" --target isFraud "${hp[@]}" eta=0.3 --experiment fraud \
  --out t1 >/dev/null 2>&1 || fail "train t1"
"$archml" -q train --data "$data" --target isFraud "${hp[@]}" eta=0.1 --experiment fraud \
  --run slow --out t2 >t2.log 2>&1 || fail "train t2"
grep -q "recorded as run fraud/slow" t2.log || fail "train does not name its run: $(cat t2.log)"
[ -f "$ARCHML_HOME/catalog.db" ] || fail "no catalog in ARCHML_HOME"
[ ! -e .archml ] || fail "a workspace was created in the current directory despite ARCHML_HOME"
"$archml" -q evaluate --model t2 --out e2 >/dev/null || fail "evaluate"
"$archml" -q predict --model t2 --data "$data" --out p2.csv 2>/dev/null || fail "predict"

json_check 'd["total"] == 2 and [r["name"] for r in d["runs"]] == ["slow", "run-1"]' \
  "$archml" runs list --json
json_check '[r["name"] for r in d["runs"]] == ["run-1", "slow"]' \
  "$archml" runs list --experiment fraud --sort-by eta --json
json_check '[r["parameters"]["eta"] for r in d["runs"]] == ["0.1", "0.3"]' \
  "$archml" runs list --sort-by eta:asc --json
json_check 'd["total"] == 1 and d["runs"][0]["name"] == "run-1"' \
  "$archml" runs list --filter "eta>0.2 and validation:auc>0.5" --json
json_check 'd["total"] == 2 and len(d["runs"]) == 1 and d["offset"] == 1' \
  "$archml" runs list --limit 1 --offset 1 --json
"$archml" runs list --sort-by validation:aucpr --limit 1 >list.txt
grep -q "validation:aucpr" list.txt || fail "runs list lacks the sort column: $(cat list.txt)"
grep -q "offset 1 for the next page" list.txt || fail "no pagination hint: $(cat list.txt)"

# The evaluation and the transform joined the training's run; artifacts and lineage hold.
json_check '[j["kind"] for j in d["jobs"]] == ["training", "evaluation", "transform"] and all(j["status"] == "Completed" for j in d["jobs"])' \
  "$archml" runs show fraud/slow --json
"$python" - "$tmp/json" "$tmp" <<'PY' || fail "runs show artifacts/lineage"
import hashlib, json, sys
d, tmp = json.load(open(sys.argv[1])), sys.argv[2]
arts = {a["name"]: a for a in d["artifacts"]}
for name in ["bundle/model.json", "bundle/bundle.json", "metrics.json", "evaluation.json", "predictions"]:
    assert name in arts, (name, list(arts))
model = arts["bundle/model.json"]
# The recorded copy is in the workspace's artifact store (default WORKSPACE/artifacts).
training = next(j for j in d["jobs"] if j["kind"] == "training")
kept = (tmp + "/archml-home/artifacts/experiments/fraud/runs/slow/training-%d/bundle/model.json"
        % training["id"])
assert model["uri"] == "file://" + kept, (model["uri"], kept)
content = open(tmp + "/t2/bundle/model.json", "rb").read()
assert open(kept, "rb").read() == content
assert model["sha256"] == hashlib.sha256(content).hexdigest() and model["size"] == len(content)
split = json.load(open(tmp + "/t2/split.json"))
edges = [(e["source_kind"], e["target_kind"]) for e in d["lineage"]]
assert ("data", "bundle") in edges and ("recipe", "bundle") in edges, edges
assert ("bundle", "evaluation") in edges and ("bundle", "predictions") in edges, edges
data_edge = next(e for e in d["lineage"] if e["source_kind"] == "data")
assert data_edge["source"].startswith(split["data"]["hash"]), (data_edge, split["data"])
m = d["metrics"]
assert m["validation:auc"]["count"] == 20, m["validation:auc"]
rounds = json.load(open(tmp + "/t2/metrics.json"))["series"]["validation:auc"]
assert abs(m["validation:auc"]["last"] - rounds[-1]) < 1e-9
assert abs(m["validation:auc"]["max"] - max(rounds)) < 1e-9
assert "test:aucpr" in m and "resource:cpu_seconds" in m and "resource:rss_mb" in m, list(m)
assert d["parameters"]["eta"] == "0.1" and d["parameters"]["max_depth"] == "4"
PY
"$archml" runs show slow >show.txt
grep -q "lineage" show.txt && grep -q "evaluation" show.txt || fail "runs show text: $(cat show.txt)"

json_check 'd["parameters"]["eta"] == ["0.3", "0.1"] and len(d["metrics"]["validation:auc"]) == 2' \
  "$archml" runs compare run-1 fraud/slow --json
"$archml" runs compare 1 2 >compare.txt
grep -qE '^\* +eta +0\.3 +0\.1' compare.txt || fail "compare does not mark eta: $(cat compare.txt)"

json_check 'd["total"] == 20 and [p["step"] for p in d["points"]] == list(range(20))' \
  "$archml" metrics slow --name validation:auc --limit 0 --json
"$archml" metrics slow >metrics.txt
grep -q "validation:aucpr" metrics.txt && grep -q "[▁▂▃▄▅▆▇█]" metrics.txt ||
  fail "metrics lacks a series or its sparkline: $(cat metrics.txt)"
training_job=$("$archml" runs show slow --json | "$python" -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["id"])')
json_check 'd["total"] >= 1 and d["summary"]["count"] == d["total"]' \
  "$archml" metrics slow --name resource:cpu_seconds --job "$training_job" --json

echo "-- errors a user meets"
expect_failure 3 "no run named 'nope'" -- "$archml" runs show nope
expect_failure 2 "KEY OP VALUE" -- "$archml" runs list --filter "eta"
expect_failure 3 "has no metric 'validation:f1'" -- "$archml" metrics slow --name validation:f1
expect_failure 2 "at least two|RUN" -- "$archml" runs compare slow
expect_failure 2 "--yes" -- "$archml" experiments delete fraud
expect_failure 3 "no experiment 'nope'" -- "$archml" experiments show nope
echo "experimnet: x" >"$ARCHML_HOME/config.yaml"
expect_failure 2 "unknown key 'experimnet'" -- "$archml" runs list
echo "experiment: team" >"$ARCHML_HOME/config.yaml"

echo "-- several trainings write one workspace at once"
for i in 1 2 3 4; do
  "$archml" -q train --data "$data" --target isFraud "${hp[@]}" seed=$i --experiment parallel \
    --out "par$i" >"par$i.log" 2>&1 &
done
wait || fail "a parallel training failed: $(cat par*.log)"
json_check 'd["total"] == 4 and all(r["status"] == "Completed" and r["metrics"]["validation:auc"]["count"] == 20 for r in d["runs"])' \
  "$archml" runs list --experiment parallel --json
json_check 'd["runs"] and len(d["runs"]) == 4' "$archml" experiments show parallel --json

echo "-- the workspace's default experiment, and --home"
"$archml" -q train --data "$data" --target isFraud "${hp[@]}" --out t3 >/dev/null 2>&1 || fail "t3"
json_check 'd["total"] == 1' "$archml" runs list --experiment team --json
"$archml" --home "$tmp/other-home" -q train --data "$data" --target isFraud "${hp[@]}" \
  --out t4 >/dev/null 2>&1 || fail "train with --home"
json_check 'd["total"] == 1 and d["runs"][0]["experiment"] == "default"' \
  "$archml" --home "$tmp/other-home" runs list --json

echo "-- a killed job shows as Failed to readers and is recorded so by the next job; SIGTERM marks it Stopped"
# wait_in_progress RUN: until the run's training job has logged a round.
wait_in_progress() {
  for _ in $(seq 1 300); do
    if "$archml" runs show "$1" --json 2>/dev/null | "$python" -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if d["status"] == "InProgress" and "validation:auc" in d["metrics"] else 1)'; then
      return 0
    fi
    sleep 0.2
  done
  fail "run $1 never showed progress"
}
"$archml" -q train --data "$data" --target isFraud --hp num_round=1000000 eval_metric=auc \
  --experiment crash --run killed --out t5 >/dev/null 2>&1 &
pid=$!
wait_in_progress crash/killed
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
# `runs show` only reads (it opens the catalog read-only): it shows the job as Failed but
# records nothing, so there is no end time yet.
json_check 'd["status"] == "Failed" and "crashed or killed" in d["jobs"][0]["failure_reason"] and d["jobs"][0]["ended_at"] is None' \
  "$archml" runs show crash/killed --json

"$archml" -q train --data "$data" --target isFraud --hp num_round=1000000 eval_metric=auc \
  --experiment crash --run stopped --out t6 >/dev/null 2>&1 &
pid=$!
wait_in_progress crash/stopped
# The next job to open the catalog recorded the killed one's failure with its end time.
json_check 'd["status"] == "Failed" and "crashed or killed" in d["jobs"][0]["failure_reason"] and d["jobs"][0]["ended_at"] is not None' \
  "$archml" runs show crash/killed --json
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" -eq 143 ] || fail "SIGTERM: train exited $status, expected 143 (killed by the signal)"
json_check 'd["status"] == "Stopped" and d["jobs"][0]["failure_reason"] == "stopped by SIGTERM"' \
  "$archml" runs show crash/stopped --json

echo "-- deleting an experiment"
"$archml" experiments delete crash --yes >/dev/null || fail "delete"
json_check '[e["name"] for e in d["experiments"]] == ["fraud", "parallel", "team"]' \
  "$archml" experiments list --json

echo "catalog_test: ok"
