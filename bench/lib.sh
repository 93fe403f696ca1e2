# Shared by the PaySim bench scripts; sourced with `root` and `rows` set. Builds archml
# (Release) and generates the PaySim-like input once, then sets:
#   work    BENCH_DIR or bench/out, where every output goes
#   archml  the binary
#   data    the generated file, read once so both sides start from a warm page cache
source "$root/scripts/lib.sh"
work=${BENCH_DIR:-$root/bench/out}
build=${BUILD_DIR:-$root/build}
mkdir -p "$work"
archml=$(archml_bench_binary "$build")
data=$work/paysim-$rows.csv
[ -f "$data" ] || "$archml" -q datagen paysim --rows "$rows" --seed 42 --out "$data"
cat "$data" >/dev/null

# timed NAME command...: wall seconds and peak RSS (KB) into $work/NAME.time.
timed() {
  local name=$1
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" >"$work/$name.stdout" 2>"$work/$name.stderr" ||
    { cat "$work/$name.stderr" >&2; exit 1; }
}
