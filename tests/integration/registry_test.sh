#!/usr/bin/env bash
# The model registry end to end against the real binary: two models trained with
# `archml datagen` + `archml train`, registered (from a folder and from a run), approved,
# rejected, aliased, compared and deleted with every guard rail and exit code; predict
# and evaluate through models:/ URIs with the same scores as the bundle paths; and
# `archml serve --model models:/fraud@production` following the alias while a client
# sends requests continuously: zero failed requests, the new model's scores after the
# move, and /metrics naming the version that serves.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || fail "curl is needed to talk to the endpoint"
command -v python3 >/dev/null || fail "python3 is needed for the load client and JSON checks"

# json FILE EXPRESSION: prints EXPRESSION evaluated on the JSON in FILE (as `j`).
json() {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
models() { "$archml" models "$@"; }

# --help teaches: the workflow, the statuses, the URIs, an example per command.
"$archml" models --help >"$tmp/help"
for text in register approve alias PendingManualApproval Approved Rejected "models:/fraud/3" \
  "models:/fraud@production" "models:/fraud@latest-approved" "Exit codes"; do
  grep -q -- "$text" "$tmp/help" || fail "models --help lacks '$text'"
done
for sub in register list show approve reject alias compare delete; do
  "$archml" models "$sub" --help >"$tmp/help" || fail "models $sub --help failed"
  grep -q "Example" "$tmp/help" || fail "models $sub --help has no example"
done
"$archml" serve --help >"$tmp/help"
grep -q -- "--registry-poll-seconds" "$tmp/help" || fail "serve --help lacks --registry-poll-seconds"

# Two small models on generated data; one training that fails; one whose bundle goes.
"$archml" -q datagen paysim --rows 4000 --seed 7 --out "$tmp/data.csv" >/dev/null
train() {
  local run=$1
  shift
  "$archml" -q train --data "$tmp/data.csv" --target isFraud --experiment fraud --run "$run" \
    --out "$tmp/$run" "$@" >"$tmp/train.log" 2>&1 || fail "train $run failed: $(cat "$tmp/train.log")"
}
train a --hp num_round=20
train b --hp num_round=5 max_depth=2
train c --hp num_round=3
"$archml" -q train --data "$tmp/data.csv" --target noSuchColumn --experiment fraud --run broken \
  --out "$tmp/broken" >/dev/null 2>&1 && fail "a training on a missing target succeeded"

models list >"$tmp/out"
grep -q "no model groups yet" "$tmp/out" || fail "empty registry: $(cat "$tmp/out")"
models list --json >"$tmp/list.json"
[ "$(json "$tmp/list.json" 'len(j["groups"])')" = 0 ] || fail "empty registry JSON: $(cat "$tmp/list.json")"

# Register: a training output folder, then a run by EXPERIMENT/NAME.
models register "$tmp/a" --group fraud --description "first cut" --json >"$tmp/v1.json"
[ "$(json "$tmp/v1.json" 'j["version"]')" = 1 ] || fail "first version: $(cat "$tmp/v1.json")"
[ "$(json "$tmp/v1.json" 'j["status"]')" = PendingManualApproval ] || fail "status: $(cat "$tmp/v1.json")"
[ "$(json "$tmp/v1.json" 'j["lineage"]["run"]')" = a ] || fail "lineage run: $(cat "$tmp/v1.json")"
json "$tmp/v1.json" 'j["bundle_uri"]' | grep -q "^file://$ARCHML_HOME/artifacts/experiments/fraud/runs/a/training-[0-9]*/bundle$" ||
  fail "the version does not point at the store's bundle: $(json "$tmp/v1.json" 'j["bundle_uri"]')"
json "$tmp/v1.json" 'j["lineage"]["data"]["digest"]' | grep -q '^xxh64:' || fail "no data digest"
[ "$(json "$tmp/v1.json" 'j["parameters"]["num_round"]')" = 20 ] || fail "parameters: $(cat "$tmp/v1.json")"
json "$tmp/v1.json" '[k for k in j["metrics"] if k.startswith("validation:")][0]' >/dev/null ||
  fail "no validation metrics: $(cat "$tmp/v1.json")"
models register fraud/b --group fraud >"$tmp/out"
grep -q "registered models:/fraud/2 (PendingManualApproval) from run fraud/b" "$tmp/out" ||
  fail "register by run: $(cat "$tmp/out")"

# Guard rails and exit codes.
expect_failure 2 "Failed" -- models register fraud/broken --group fraud
rm -r "$ARCHML_HOME"/artifacts/experiments/fraud/runs/c/training-*/bundle
expect_failure 3 "missing from the artifact store" -- models register fraud/c --group fraud
expect_failure 3 "no bundle folder 'nope'" -- models register nope --group fraud
expect_failure 2 "model group name" -- models register fraud/a --group "bad/name"
expect_failure 3 "no model group 'churn'.*fraud" -- models show churn
expect_failure 3 "has no version 9" -- models approve fraud 9
expect_failure 3 "no alias 'production'" -- models show fraud production
expect_failure 3 "no Approved version" -- models show models:/fraud@latest-approved
expect_failure 2 "reserved" -- models alias fraud latest 1
expect_failure 2 "models:/GROUP/VERSION" -- "$archml" predict --model models:/fraud/x \
  --data "$tmp/data.csv" --out "$tmp/x.csv"
expect_failure 3 "no alias 'canary'" -- "$archml" predict --model models:/fraud@canary \
  --data "$tmp/data.csv" --out "$tmp/x.csv"
[ "$(json <(models list --json) 'j["groups"][0]["versions"]')" = 2 ] || fail "a refused version was registered"

# Statuses and latest-approved.
models approve fraud 1 --note "signed off" >"$tmp/out"
grep -q "models:/fraud/1 is now Approved" "$tmp/out" || fail "approve: $(cat "$tmp/out")"
models reject fraud 2 --note "too shallow" --json >"$tmp/v2.json"
[ "$(json "$tmp/v2.json" 'j["status"] + "/" + j["status_note"]')" = "Rejected/too shallow" ] ||
  fail "reject: $(cat "$tmp/v2.json")"
expect_failure 2 "Rejected.*--force" -- models alias fraud staging 2
[ "$(json <(models show fraud latest-approved --json) 'j["version"]')" = 1 ] || fail "latest-approved is not 1"
models approve fraud 2 >/dev/null
[ "$(json <(models show models:/fraud@latest-approved --json) 'j["version"]')" = 2 ] ||
  fail "latest-approved did not move to 2"
models list fraud --status Approved --json >"$tmp/out"
[ "$(json "$tmp/out" '[v["version"] for v in j["versions"]]')" = "[2, 1]" ] || fail "list --status: $(cat "$tmp/out")"

# Aliases: set, move, promote by alias, remove.
models alias fraud production 1 >"$tmp/out"
grep -q "models:/fraud@production -> version 1 (new alias)" "$tmp/out" || fail "alias: $(cat "$tmp/out")"
models alias fraud staging 2 >/dev/null
models alias fraud production staging --json >"$tmp/out"
[ "$(json "$tmp/out" '(j["version"], j["previous_version"])')" = "(2, 1)" ] || fail "promote: $(cat "$tmp/out")"
models alias fraud staging --delete >/dev/null
models alias fraud production 1 >/dev/null
[ "$(json <(models show fraud --json) 'j["aliases"]')" = "{'production': 1}" ] || fail "aliases after moves"

# compare: lineage, parameters and metrics side by side, what differs marked.
models compare fraud production 2 >"$tmp/out"
grep -qE '^\* num_round +20 +5' "$tmp/out" || fail "compare lacks the num_round difference: $(cat "$tmp/out")"
grep -qE '^  training data +xxh64:' "$tmp/out" || fail "compare: the same data is not shown alike: $(cat "$tmp/out")"
models compare fraud 1 2 --json >"$tmp/out"
[ "$(json "$tmp/out" 'j["parameters"]["max_depth"]')" = "['6', '2']" ] || fail "compare --json: $(cat "$tmp/out")"
models show fraud 1 >"$tmp/out"
grep -q "models:/fraud/1  Approved (signed off)" "$tmp/out" || fail "show: $(cat "$tmp/out")"

# predict and evaluate through models:/ URIs score as the bundle paths do.
head -301 "$tmp/data.csv" >"$tmp/rows.csv"
"$archml" -q predict --model "$tmp/a" --data "$tmp/rows.csv" --out "$tmp/pred-a.csv" >/dev/null
"$archml" -q predict --model "$tmp/b" --data "$tmp/rows.csv" --out "$tmp/pred-b.csv" >/dev/null
"$archml" -q predict --model models:/fraud@production --data "$tmp/rows.csv" --out "$tmp/pred-uri.csv" >/dev/null
cmp -s "$tmp/pred-a.csv" "$tmp/pred-uri.csv" || fail "predict by alias differs from the bundle's scores"
"$archml" -q predict --model models:/fraud/2 --data "$tmp/rows.csv" --out "$tmp/pred-uri.csv" >/dev/null
cmp -s "$tmp/pred-b.csv" "$tmp/pred-uri.csv" || fail "predict by version differs from the bundle's scores"
"$archml" -q evaluate --model models:/fraud@latest-approved --out "$tmp/eval" >/dev/null 2>&1 ||
  fail "evaluate by URI failed"
[ -f "$tmp/eval/evaluation.json" ] || fail "evaluate wrote no evaluation.json"
[ "$(json <("$archml" runs show fraud/b --json) 'j["jobs"][-1]["kind"]')" = evaluation ] ||
  fail "the evaluation was not recorded in the run that trained the model"

# Serving by alias: a client sends requests without pause while the alias moves.
cut -d, -f1-9,11 "$tmp/rows.csv" | sed -n 2p >"$tmp/row.csv"
score_a=$(sed -n 2p "$tmp/pred-a.csv" | cut -d, -f1)
score_b=$(sed -n 2p "$tmp/pred-b.csv" | cut -d, -f1)
[ "$score_a" != "$score_b" ] || fail "the two models score the test row alike; pick another row"
expect_failure 3 "no model group 'churn'" -- "$archml" serve --model models:/churn@production --port 0
expect_failure 2 "registry-poll-seconds" -- "$archml" serve --model models:/fraud@production \
  --port 0 --registry-poll-seconds -1
"$archml" serve --model models:/fraud@production --port 0 --workers 2 --access-log off \
  --registry-poll-seconds 0.2 >"$tmp/serve.out" 2>"$tmp/serve.err" &
pid=$!
servers+=("$pid")
await_announcement "$tmp/serve.out" "$pid" 's/.*listening on \(http[^ ]*\).*/\1/p' "$tmp/serve.err"
url=$announced
grep -q "models:/fraud@production is fraud version 1; following it every 0.2 s" "$tmp/serve.out" ||
  fail "serve did not say what it follows: $(cat "$tmp/serve.out")"
curl -s "$url/metrics" >"$tmp/metrics"
grep -q 'archml_serve_registry_model_info{group="fraud",version="1",uri="models:/fraud@production"} 1' "$tmp/metrics" ||
  fail "/metrics does not name version 1: $(grep registry "$tmp/metrics")"

python3 - "$url" "$tmp/row.csv" "$tmp/stop" "$tmp/answers" <<'EOF' &
import http.client, os, sys, urllib.parse
url, row_file, stop, answers = sys.argv[1:]
body = open(row_file, "rb").read()
address = urllib.parse.urlparse(url)
connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
with open(answers, "w") as out:
    while not os.path.exists(stop):
        try:
            connection.request("POST", "/invocations", body, {"Content-Type": "text/csv"})
            response = connection.getresponse()
            out.write("%d %s\n" % (response.status, response.read().decode().strip()))
        except Exception as error:  # a dropped request: recorded, and a new connection
            out.write("error %r\n" % error)
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
EOF
client=$!
sleep 1
moved_at=$(date +%s%N)
models alias fraud production 2 >/dev/null
for _ in $(seq 1 100); do
  curl -s "$url/metrics" >"$tmp/metrics"
  grep -q 'archml_serve_registry_model_info{group="fraud",version="2"' "$tmp/metrics" && break
  sleep 0.1
done
grep -q 'archml_serve_registry_model_info{group="fraud",version="2",uri="models:/fraud@production"} 1' "$tmp/metrics" ||
  fail "/metrics does not name version 2 within 10 s of the move: $(grep registry "$tmp/metrics")"
echo "the endpoint served version 2 $((($(date +%s%N) - moved_at) / 1000000)) ms after the alias moved (polling every 0.2 s)"
grep -q 'archml_serve_model_reloads_total{outcome="ok"} 1' "$tmp/metrics" || fail "no reload counted"
sleep 1
touch "$tmp/stop"
wait "$client"
total=$(wc -l <"$tmp/answers")
[ "$total" -ge 50 ] || fail "the client sent only $total requests"
failed=$(grep -vc '^200 ' "$tmp/answers" || true)
[ "$failed" = 0 ] || fail "$failed of $total requests failed while the alias moved: $(grep -v '^200 ' "$tmp/answers" | sort | uniq -c)"
grep -q "^200 $score_a\$" "$tmp/answers" || fail "no answer from version 1 before the move"
[ "$(tail -1 "$tmp/answers")" = "200 $score_b" ] || fail "version 2 does not answer after the move: $(tail -1 "$tmp/answers")"
[ "$(sort -u "$tmp/answers" | wc -l)" = 2 ] || fail "answers other than the two models': $(sort "$tmp/answers" | uniq -c)"
echo "alias move under load: $total requests, 0 failed"
grep -q "models:/fraud@production moved: now serving fraud version 2 (was 1)" "$tmp/serve.err" ||
  fail "the move was not logged: $(cat "$tmp/serve.err")"

# A removed alias keeps the model serving; a reload says what serves; a guarded delete.
expect_failure 2 "production.*--force" -- models delete fraud 2
models alias fraud production --delete >/dev/null
sleep 0.6
[ "$(curl -s -H 'Content-Type: text/csv' --data-binary "@$tmp/row.csv" "$url/invocations")" = "$score_b" ] ||
  fail "the endpoint stopped serving when the alias was removed"
grep -q "cannot resolve models:/fraud@production.*still serving version 2" "$tmp/serve.err" ||
  fail "the removed alias was not reported: $(cat "$tmp/serve.err")"
models alias fraud production 1 >/dev/null
curl -s -X POST "$url/admin/reload" >"$tmp/out"
[ "$(json "$tmp/out" 'j["registry"]["version"]')" = 1 ] || fail "admin reload: $(cat "$tmp/out")"
kill -TERM "$pid"
wait "$pid" || fail "serve did not exit cleanly"
servers=()

# Deletion: aliased needs --force; numbers are never reused; the runs stay.
expect_failure 2 "production.*--force" -- models delete fraud 1
models delete fraud 1 --force --json >"$tmp/out"
[ "$(json "$tmp/out" 'j["removed_aliases"]')" = "['production']" ] || fail "delete --force: $(cat "$tmp/out")"
expect_failure 3 "has no version 1" -- models show fraud 1
expect_failure 2 "version number, not an alias" -- models delete fraud staging
[ "$(json <(models register fraud/a --group fraud --json) 'j["version"]')" = 3 ] || fail "a deleted number was given again"
expect_failure 2 "still has 2 version" -- models delete fraud
models delete fraud --force >/dev/null
[ "$(json <(models list --json) 'len(j["groups"])')" = 0 ] || fail "the group was not deleted"
"$archml" runs show fraud/a >/dev/null || fail "deleting versions touched the runs"
# A tuning job's output folder registers its best trial (the trial's own run and job).
cat >"$tmp/tune.yaml" <<YAML
objective: {metric: validation:aucpr, type: Maximize}
strategy: Random
max_jobs: 3
parameter_ranges:
  continuous:
    - {name: eta, min: 0.1, max: 0.5}
training:
  data: $tmp/data.csv
  target: isFraud
  static_hyperparameters: {num_round: 5}
YAML
"$archml" -q tune --config "$tmp/tune.yaml" --experiment tuned --run search --out "$tmp/tune" \
  >"$tmp/tune.log" 2>&1 || fail "tune failed: $(cat "$tmp/tune.log")"
best=$(json "$tmp/tune/tuning_summary.json" 'j["best_trial"]["number"]')
models register "$tmp/tune" --group tuned --json >"$tmp/out" || fail "register a tuning folder"
[ "$(json "$tmp/out" 'j["lineage"]["run"]')" = "$(printf 'search-trial-%03d' "$best")" ] ||
  fail "the tuning folder did not register its best trial ($best): $(cat "$tmp/out")"
# A trial's version has a training's whole lineage: data digest, recipe, every parameter.
json "$tmp/out" 'j["lineage"]["data"]["digest"].startswith("xxh64:") and j["lineage"]["recipe"]["digest"].startswith("sha256:") and j["parameters"]["num_round"] == "5" and "eta" in j["parameters"]' |
  grep -q True || fail "the trial's version lacks its lineage: $(cat "$tmp/out")"
echo '{"best_trial": null}' >"$tmp/tune/tuning_summary.json"
expect_failure 2 "no best trial" -- models register "$tmp/tune" --group tuned
echo "registry_test: ok"
