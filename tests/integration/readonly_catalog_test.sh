#!/usr/bin/env bash
# Commands that only read the catalog never write: they (and metrics-server) work on a
# workspace on read-only media (a read-only bind mount in a private mount namespace, since root ignores chmod),
# a command that would write there fails with a clear message (exit 4), and outside any
# workspace they create nothing (exit 3). Exits 77 (SKIP) only where no private mount
# namespace can be made.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
cd "$tmp"

"$archml" -q datagen paysim --rows 20000 --seed 3 --out data.csv >/dev/null
"$archml" -q train --data data.csv --target isFraud --hp num_round=5 eval_metric=auc \
  --experiment fraud --run first --out t1 >/dev/null 2>&1 || fail "train"
"$archml" models register fraud/first --group fraud >/dev/null || fail "models register"

echo "-- reading commands outside a workspace create nothing"
mkdir outside
(
  cd outside
  unset ARCHML_HOME
  for command in "runs show first" "runs list" "runs compare a b" "experiments list" \
    "experiments show fraud" "metrics first" "models list" "models show fraud" \
    "models compare fraud 1 2"; do
    # shellcheck disable=SC2086 # the command's words
    expect_failure 3 "no workspace at \.archml; run a job first or pass --home" -- \
      "$archml" $command
  done
  expect_failure 3 "no workspace at $tmp/nowhere" -- "$archml" --home "$tmp/nowhere" runs list
  [ -z "$(ls -A .)" ] || fail "a reading command created $(ls -A .)"
  [ ! -e "$tmp/nowhere" ] || fail "runs list --home created $tmp/nowhere"
)

echo "-- a workspace on read-only media"
if ! unshare --user --map-root-user --mount true 2>/dev/null; then
  echo "SKIP: no private user and mount namespace (unshare) to mount the workspace read-only"
  exit 77
fi
[ ! -e "$ARCHML_HOME/catalog.db-wal" ] || fail "the catalog kept a WAL after its last writer"
before=$(cd "$ARCHML_HOME" && find . -printf '%p %s %T@\n' | sort)
# on_read_only SCRIPT: runs SCRIPT with the workspace mounted read-only over itself.
on_read_only() {
  unshare --user --map-root-user --mount bash -c '
    set -euo pipefail
    mount --bind "$ARCHML_HOME" "$ARCHML_HOME"
    mount -o remount,bind,ro "$ARCHML_HOME"
    if touch "$ARCHML_HOME/probe" 2>/dev/null; then echo "the mount is writable" >&2; exit 99; fi
    '"$1" bash "$archml"
}
on_read_only '
archml=$1
"$archml" runs list --json >runs.json
"$archml" runs show fraud/first --json >run.json
"$archml" experiments list --json >experiments.json
"$archml" metrics fraud/first --name validation:auc --json >metrics.json
"$archml" models list --json >models.json
"$archml" models show fraud 1 --json >model.json
"$archml" train --data data.csv --target isFraud --hp num_round=2 --out t2 \
  >train.out 2>train.err && exit 98 || echo $? >train.status
"$archml" experiments delete fraud --yes >delete.out 2>delete.err && exit 97 || echo $? >delete.status
"$archml" metrics-server --port 0 >server.log 2>&1 &
server=$!
for _ in $(seq 1 100); do
  address=$(sed -n "s|.* on http://\([^/]*\)/metrics.*|\1|p" server.log)
  [ -n "$address" ] && break
  sleep 0.1
done
curl -sf "http://$address/metrics" >scrape.txt || true
kill "$server"
wait "$server" || true
' || fail "reading the read-only workspace failed (status $?)"
python3 - <<'PY' || fail "the read-only workspace read wrong"
import json
runs = json.load(open("runs.json"))
assert runs["total"] == 1 and runs["runs"][0]["name"] == "first", runs
run = json.load(open("run.json"))
assert run["status"] == "Completed" and run["jobs"][0]["kind"] == "training", run
assert [e["name"] for e in json.load(open("experiments.json"))["experiments"]] == ["fraud"]
assert json.load(open("metrics.json"))["total"] == 5
assert [g["name"] for g in json.load(open("models.json"))["groups"]] == ["fraud"]
model = json.load(open("model.json"))
assert model["version"] == 1 and model["status"] == "PendingManualApproval", model
PY
[ "$(cat train.status)" = 4 ] || fail "train on a read-only workspace exited $(cat train.status), expected 4"
grep -q "cannot be written (read-only media" train.err ||
  fail "train on a read-only workspace says: $(cat train.err)"
[ "$(cat delete.status)" = 4 ] || fail "experiments delete exited $(cat delete.status), expected 4"
grep -q "cannot be written" delete.err || fail "experiments delete says: $(cat delete.err)"
grep -q "^archml_catalog_runs 1" scrape.txt ||
  fail "metrics-server on the read-only workspace: $(cat scrape.txt server.log)"
after=$(cd "$ARCHML_HOME" && find . -printf '%p %s %T@\n' | sort)
[ "$before" = "$after" ] || fail "the read-only workspace changed: $(diff <(echo "$before") <(echo "$after"))"

echo "readonly_catalog_test: ok"
