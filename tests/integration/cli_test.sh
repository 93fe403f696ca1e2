#!/usr/bin/env bash
# The command line as a user meets it: help that teaches, clear errors, exit codes.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"

"$archml" --help >"$tmp/help" || fail "--help failed"
for command in datagen profile schema; do
  grep -q "$command" "$tmp/help" || fail "--help does not list $command"
done
# The list of commands reads at a glance: one line per command, its summary (as git and
# docker list theirs); the paragraphs and examples are in each command's own --help.
# expect_one_line_commands HELP MINIMUM: the "Subcommands:" list of HELP (up to the empty
# line that ends it) has at least MINIMUM lines, each a name and its summary.
expect_one_line_commands() {
  sed -n '/^Subcommands:$/,/^$/{/^Subcommands:$/d;/^$/d;p}' "$1" >"$tmp/commands"
  [ "$(wc -l <"$tmp/commands")" -ge "$2" ] || fail "$1 lists too few commands: $(cat "$1")"
  while IFS= read -r line; do
    [[ "$line" =~ ^\ \ [a-z-]+\ +[A-Z][^\ ] ]] ||
      fail "a line of the command list in $1 is not one whole command: '$line'"
    [ "${#line}" -le 100 ] || fail "a command's summary is longer than a line: '$line'"
  done <"$tmp/commands"
}
expect_one_line_commands "$tmp/help" 13
for command in artifacts runs experiments models; do
  "$archml" "$command" --help >"$tmp/$command-help"
  expect_one_line_commands "$tmp/$command-help" 3
done
"$archml" evaluate --help | grep -q "^Examples:" || fail "evaluate --help lost its examples"
"$archml" --version | grep -qE '^archml [0-9]+\.[0-9]+' || fail "--version"
"$archml" profile --help | grep -q -- "--target" || fail "profile --help lacks --target"
"$archml" schema --help | grep -q -- "--schema" || fail "schema --help lacks --schema"
"$archml" datagen paysim --help | grep -q -- "--rows" || fail "datagen paysim --help lacks --rows"

expect_failure 2 "subcommand is required" -- "$archml"
expect_failure 2 "unknown command .no-such-command" -- "$archml" no-such-command
expect_failure 2 "--bogus" -- "$archml" schema x.csv --bogus
expect_failure 2 "threads" -- "$archml" --threads 0 schema x.csv
expect_failure 3 "$tmp/missing.csv" -- "$archml" schema "$tmp/missing.csv"

printf 'a,b\n1,2\n3\n' >"$tmp/ragged.csv"
expect_failure 2 "ragged.csv.*line 3" -- "$archml" schema "$tmp/ragged.csv"
"$archml" schema "$tmp/ragged.csv" --lenient >"$tmp/out" 2>"$tmp/err" || fail "--lenient failed"
grep -q "1 rows" "$tmp/out" || fail "--lenient kept the wrong rows: $(cat "$tmp/out")"
grep -q "skipped 1" "$tmp/err" || fail "--lenient did not report the skipped row"

expect_failure 2 "COLUMN:TYPE" -- "$archml" schema "$tmp/ragged.csv" --schema a
expect_failure 2 "unknown column type" -- "$archml" schema "$tmp/ragged.csv" --schema a:decimal
expect_failure 2 "single character" -- "$archml" schema "$tmp/ragged.csv" --delimiter ';;'

printf 'id,score,label\n1,0.5,yes\n2,,no\n3,1e3,yes\n' >"$tmp/small.csv"
"$archml" schema "$tmp/small.csv" --json >"$tmp/schema.json"
/usr/bin/python3 - "$tmp/schema.json" <<'PY' || fail "schema --json is wrong: $(cat "$tmp/schema.json")"
import json, sys
schema = json.load(open(sys.argv[1]))
assert schema["rows"] == 3, schema
types = {c["name"]: (c["type"], c["missing"]) for c in schema["columns"]}
assert types == {"id": ("int64", 0), "score": ("float64", 1), "label": ("string", 0)}, types
PY

"$archml" --stats schema "$tmp/small.csv" 2>"$tmp/err" >/dev/null
grep -q "peak memory" "$tmp/err" || fail "--stats printed no peak memory"
echo "cli_test: ok"
