# Shared by scripts/demo and scripts/test: install what is missing, then build.
# Sourced, not run. Idempotent: a second run installs nothing and rebuilds only changes.

ARCHML_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# What building the archml binary and scripts/demo need: build tools, the libraries of
# ../shared/DESIGN.md, and curl, which the demo asks the endpoint with (Debian's packages);
# pybind11 and Python's headers build the Python package, which imports numpy and pandas.
ARCHML_BUILD_PACKAGES=(
  g++ cmake ninja-build ccache git curl
  libfast-float-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libcurl4-openssl-dev libcli11-dev libeigen3-dev libnlopt-cxx-dev libxgboost-dev
  zlib1g-dev libssl-dev libtinyxml2-dev
  pybind11-dev python3-dev python3-numpy python3-pandas
)
# What only the tests and benchmarks need besides: test frameworks and the formatter, the
# Python peer they compare against (/usr/bin/python3 sees Debian's packages), the servers
# they drive (Ceph's RADOS Gateway, Prometheus and its Pushgateway) and load tools.
ARCHML_TEST_PACKAGES=(
  clang-format time wrk libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-sklearn python3-xgboost python3-optuna python3-pytest python3-venv
  python3-tqdm
  radosgw ceph-mon ceph-osd python3-boto3
  prometheus prometheus-pushgateway
)
ARCHML_PACKAGES=("${ARCHML_BUILD_PACKAGES[@]}" "${ARCHML_TEST_PACKAGES[@]}")
# What scripts/fuzz needs on top: clang and its runtimes (libFuzzer, ASan, UBSan).
ARCHML_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# archml_install_packages [LIST]: installs what is missing of the array named LIST
# (default ARCHML_PACKAGES).
archml_install_packages() {
  local -n wanted=${1:-ARCHML_PACKAGES}
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  echo "== installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# archml_configure DIR [cmake args...]: configures DIR on first use, and again when a
# -DNAME=VALUE given differs from DIR's cache (BUILD_TESTING=OFF of a demo-only build).
archml_configure() {
  local dir=$1 arg stale=0
  shift
  [ -f "$dir/build.ninja" ] || stale=1
  for arg in "$@"; do
    [[ "$arg" =~ ^-D([A-Za-z0-9_]+)(:[A-Z]+)?=(.*)$ ]] || continue
    [ "$(sed -n "s/^${BASH_REMATCH[1]}:[A-Z]*=//p" "$dir/CMakeCache.txt" 2>/dev/null)" = \
      "${BASH_REMATCH[3]}" ] || stale=1
  done
  [ "$stale" -eq 0 ] || cmake -S "$ARCHML_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
}

# archml_build DIR [cmake args...]: configure as above, then build incrementally.
archml_build() {
  archml_configure "$@"
  cmake --build "$1" --parallel "$(nproc)"
}

# archml_bench_binary BUILD_DIR [TARGET]: what every bench/ script starts with: install
# what is missing, build TARGET (default archml; Release, configured on first use), print
# its path.
archml_bench_binary() {
  local dir=$1 target=${2:-archml}
  archml_install_packages >&2
  [ -f "$dir/build.ninja" ] ||
    cmake -S "$ARCHML_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$dir" --target "$target" --parallel "$(nproc)" >/dev/null
  echo "$dir/$target"
}

# archml_python_path BUILD_DIR: makes the Python package built in BUILD_DIR/python
# importable by /usr/bin/python3 through a path file, archml.pth, in the user's site
# directory (`python3 -m site --user-site`), replaced by each checkout that builds it
# (docs/python.md). Nothing when the build has no Python package.
archml_python_path() {
  local dir
  dir=$(cd "$1" && pwd)/python
  [ -d "$dir/archml" ] || return 0
  local site
  site=$(/usr/bin/python3 -m site --user-site)
  mkdir -p "$site"
  echo "$dir" >"$site/archml.pth"
  echo "== /usr/bin/python3 imports archml from $dir ($site/archml.pth)"
}
