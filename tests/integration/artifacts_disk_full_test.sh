#!/usr/bin/env bash
# Outputs on a full disk: every command that writes a file (datagen, train's artifacts,
# predict, artifacts cp) fails with "no space left on device" naming the file, exit code
# 4, and leaves no partial or 0-byte file behind (core/atomic_file.h). The disk is a 1 MiB
# tmpfs, so the test needs to mount one (it runs as root in CI); where it cannot, it
# reports SKIP (exit code 77). /dev/full shows the same for a device written in place.
set -euo pipefail
archml=$1
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fake_s3.sh"

full="$tmp/full"
mkdir -p "$full"
if ! mount -t tmpfs -o size=1m archml-full "$full" 2>"$tmp/mount.err"; then
  echo "SKIP: cannot mount a tmpfs (needs root): $(cat "$tmp/mount.err")"
  exit 77
fi
trap 'umount "$full" 2>/dev/null || true; cleanup' EXIT

# Only FILES may be on the full disk, each of them whole.
only_these_files() {
  local found
  found=$(cd "$full" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
  [ "$found" = "$* " ] || [ -z "$found$*" ] || fail "files on the full disk: '$found', expected '$*'"
}
# Fills the tmpfs up to the last 16 KiB.
fill_disk() {
  head -c 2000000 /dev/zero >"$full/filler" 2>/dev/null || true
  truncate -s -16K "$full/filler"
}

# Data generation larger than the whole disk.
expect_failure 4 "cannot write '$full/data.csv': no space left on device; free some space" -- \
  "$archml" -q datagen paysim --rows 50000 --seed 1 --out "$full/data.csv"
only_these_files

# A device written in place reports the same reason.
expect_failure 4 "cannot write '/dev/full': no space left on device" -- \
  "$archml" -q datagen paysim --rows 50000 --seed 1 --out /dev/full

# A model trained elsewhere scores onto the full disk.
"$archml" -q datagen paysim --rows 3000 --seed 7 --out "$tmp/p.csv" >/dev/null
"$archml" -q train --data "$tmp/p.csv" --target isFraud --hp num_round=5 \
  --out "$tmp/train" >"$tmp/train.log" 2>&1 || fail "train failed: $(cat "$tmp/train.log")"
fill_disk
expect_failure 4 "cannot write '$full/pred.csv': no space left on device" -- \
  "$archml" -q predict --model "$tmp/train" --data "$tmp/p.csv" --out "$full/pred.csv"
only_these_files filler

# A profile that does not fit keeps the previous report as it was, not a partial one.
mkdir -p "$full/profile"
echo '{"old": true}' >"$full/profile/profile.json"
fill_disk
expect_failure 4 "profile.*no space left on device" -- \
  "$archml" -q profile "$tmp/p.csv" --out "$full/profile"
[ "$(cat "$full/profile/profile.json")" = '{"old": true}' ] || fail "a failed profile damaged profile.json"
[ -z "$(find "$full" -name '*archml-partial*')" ] || fail "temporary files left"
rm -rf "$full/profile"

# Training whose artifacts do not all fit: the one that failed is absent, the ones
# written before it are whole (none empty).
expect_failure 4 "no space left on device" -- \
  "$archml" -q train --data "$tmp/p.csv" --target isFraud --hp num_round=5 --out "$full/train"
failed=$(sed -n "s|.*cannot write '\([^']*\)': no space left on device.*|\1|p" "$tmp/err" | head -1)
[ -n "$failed" ] || fail "train did not name the file it could not write: $(cat "$tmp/err")"
[ ! -e "$failed" ] || fail "train left the file it could not write: $failed"
[ -z "$(find "$full" -type f -empty)" ] || fail "empty files left: $(find "$full" -type f -empty)"
[ -z "$(find "$full" -name '*archml-partial*')" ] || fail "temporary files left"
rm -rf "$full/train"

# A download that does not fit.
status=0
fake_s3_start || status=$?
if [ "$status" -eq 2 ]; then
  echo "SKIP: $fake_s3_skip_reason"
  exit 77
fi
expect_failure 4 "cannot write '$full/whole.bin': no space left on device" -- \
  "$archml" artifacts cp s3://whole/big.bin "$full/whole.bin"
only_these_files filler

echo "artifacts_disk_full_test: all checks passed"
