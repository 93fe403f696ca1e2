# Shared by scripts/demo and scripts/test: install what is missing, then build.
# Sourced, not run. Idempotent: a second run installs nothing and rebuilds only changes.

ARCHML_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build tools, the libraries of ../shared/DESIGN.md, and the Python peer used by
# tests and benchmarks (Debian's packages only; /usr/bin/python3 sees them).
ARCHML_PACKAGES=(
  g++ cmake ninja-build ccache clang-format git curl time wrk
  libfast-float-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev
  libcurl4-openssl-dev libcli11-dev libeigen3-dev libnlopt-cxx-dev libxgboost-dev
  zlib1g-dev libssl-dev libgtest-dev libgmock-dev libbenchmark-dev libtinyxml2-dev
  python3 python3-pandas python3-numpy python3-sklearn python3-xgboost python3-optuna
  radosgw ceph-mon ceph-osd python3-boto3
  prometheus prometheus-pushgateway
)
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

# archml_build DIR [cmake args...]: configure once, then build incrementally.
archml_build() {
  local dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    cmake -S "$ARCHML_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  fi
  cmake --build "$dir" --parallel "$(nproc)"
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
