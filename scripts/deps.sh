#!/usr/bin/env bash
# Installs the Debian packages powercis needs for a target (build, demo, check, bench) when any
# is missing, and for check the browser tests' playwright-core (npm ci from
# tests/e2e/package-lock.json). Idempotent and silent when everything is already there.
set -euo pipefail

target=${1:-build}

build_pkgs=(gcc make pkg-config meson ninja-build
            libsqlite3-dev libutf8proc-dev libcsv-dev libjansson-dev libsodium-dev libinih-dev libxml2-dev libpq-dev
            libcairo2-dev libpango1.0-dev libzint-dev libxlsxwriter-dev libmagic-dev libmagic-mgc fonts-dejavu-core
            libcurl4-openssl-dev libmicrohttpd-dev)
check_pkgs=(libcmocka-dev curl sqlite3 zbar-tools poppler-utils libxml2-utils postgresql libreoffice-calc-nogui
            chromium nodejs clang wrk)
# Debian's nodejs comes without npm; NodeSource's nodejs has it built in and conflicts with
# Debian's npm package, so npm is asked for only when there is none.
command -v npm >/dev/null 2>&1 || check_pkgs+=(npm)

case "$target" in
  build|demo) want=("${build_pkgs[@]}") ;;
  bench) want=("${build_pkgs[@]}" wrk curl sqlite3) ;;
  check) want=("${build_pkgs[@]}" "${check_pkgs[@]}") ;;
  *) echo "deps.sh: unknown target '$target' (build, demo, check, bench)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps.sh: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then
    sudo=sudo
    command -v sudo >/dev/null || { echo "deps.sh: need root to install ${missing[*]}" >&2; exit 1; }
  else
    sudo=
  fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# libFuzzer's runtime (scripts/fuzz.sh) is only a recommendation of clang: its package is named
# after clang's major version.
if [ "$target" = check ] && ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
  v=$(clang -dumpversion | cut -d. -f1)
  echo "deps.sh: installing libclang-rt-$v-dev (libFuzzer)" >&2
  [ "$(id -u)" -ne 0 ] && sudo=sudo || sudo=
  $sudo apt-get update -qq >/dev/null; $sudo apt-get install -y -qq --no-install-recommends "libclang-rt-$v-dev" >/dev/null ||
    { echo "deps.sh: libclang-rt-$v-dev could not be installed" >&2; exit 1; }
fi

# The browser tests' packages, exactly as the lock file pins them, when node_modules does not
# match it (npm writes its own copy of the lock there): the tests themselves never download.
if [ "$target" = check ]; then
  e2e=$(cd "$(dirname "$0")/../tests/e2e" && pwd)
  if ! cmp -s <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["packages"].get("node_modules/playwright-core", {}).get("version"))' "$e2e/package-lock.json") \
              <(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("version"))' "$e2e/node_modules/playwright-core/package.json" 2>/dev/null); then
    echo "deps.sh: npm ci in tests/e2e" >&2
    (cd "$e2e" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
      { echo "deps.sh: npm ci in tests/e2e failed (is the npm registry reachable?)" >&2; exit 1; }
  fi
fi
