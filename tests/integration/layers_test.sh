#!/usr/bin/env bash
# scripts/check-layers, the machine check of docs/architecture.md's layer table: this
# checkout passes, and on a scratch tree with a copy of the page each planted violation
# (an upward include, two folders of one floor, an algorithm including a service, a folder
# with no floor) fails naming the file, while the allowed includes pass.
set -euo pipefail
archml=$1  # unused: the check reads sources, not the binary
source_dir=${ARCHML_SOURCE_DIR:-$(pwd)}
source "$(dirname "$0")/lib.sh"
check="$source_dir/scripts/check-layers"

"$check" "$source_dir" || fail "this checkout breaks its own layer table"

root=$tmp/tree
mkdir -p "$root/docs" "$root/src/cli"
cp "$source_dir/docs/architecture.md" "$root/docs/"
for folder in core report data features tune model jobs track store serve; do
  mkdir -p "$root/src/archml/$folder"
  echo '#pragma once' >"$root/src/archml/$folder/$folder.h"
done
# Allowed: own folder, lower floors, the generated version.h, system headers.
printf '#include "archml/version.h"\n' >"$root/src/archml/version.h"
printf '#include "archml/data/data.h"\n#include "archml/core/core.h"\n' >"$root/src/archml/features/f.cpp"
printf '#include "archml/model/model.h"\n#include "archml/store/store.h"\n#include "archml/track/track.h"\n' \
  >"$root/src/archml/jobs/j.cpp"
printf '#include "archml/jobs/jobs.h"\n#include "cli/c.h"\n#include "archml/version.h"\n#include <vector>\n' \
  >"$root/src/cli/c.cpp"
echo '#pragma once' >"$root/src/cli/c.h"
"$check" "$root" 2>"$tmp/err" || fail "allowed includes were refused: $(cat "$tmp/err")"

# expect_violation FILE INCLUDE PATTERN: FILE including INCLUDE fails naming FILE and PATTERN.
expect_violation() {
  local file=$1 include=$2 pattern=$3
  mkdir -p "$(dirname "$root/$file")"
  printf '// planted\n#include "%s"\n' "$include" >"$root/$file"
  local status=0
  "$check" "$root" 2>"$tmp/err" || status=$?
  rm -f "$root/$file"
  [ "$status" -eq 1 ] || fail "$file including $include: exit $status, expected 1"
  grep -qE -- "^$file:2: includes $include: .*$pattern" "$tmp/err" ||
    fail "$file including $include: stderr lacks '$pattern': $(cat "$tmp/err")"
}
expect_violation src/archml/core/up.cpp archml/jobs/jobs.h "floor 1.*floor 5 above it"
expect_violation src/archml/model/up.h archml/serve/serve.h "floor 4.*floor 6 above it"
expect_violation src/archml/jobs/up.cpp cli/c.h "floor 5.*floor 7 above it"
expect_violation src/archml/tune/side.cpp archml/features/features.h "both on floor 3"
expect_violation src/archml/store/side.cpp archml/track/track.h "both on floor 3"
expect_violation src/archml/model/service.cpp archml/store/store.h "algorithm folder"
mkdir -p "$root/src/archml/gadgets" && echo '#pragma once' >"$root/src/archml/gadgets/g.h"
expect_violation src/archml/data/unlisted.cpp archml/gadgets/g.h "no floor"
"$check" "$root" 2>"$tmp/err" && fail "a folder missing from the table passed"
grep -q "src/archml/gadgets/g.h: its folder src/archml/gadgets/ has no floor" "$tmp/err" ||
  fail "an unlisted folder is not named: $(cat "$tmp/err")"
rm -r "$root/src/archml/gadgets"

# The table is the doc's: moving a folder up a floor there changes what the check allows.
sed -i 's/^| 3 | `src\/archml\/tune\/` |/| 5 | `src\/archml\/tune\/` |/' "$root/docs/architecture.md"
printf '#include "archml/features/features.h"\n' >"$root/src/archml/tune/now_above.cpp"
"$check" "$root" 2>"$tmp/err" || fail "the check ignores the doc's table: $(cat "$tmp/err")"

sed -i '/^## Layers/d' "$root/docs/architecture.md"
expect_failure 1 "no layer table" -- "$check" "$root"
