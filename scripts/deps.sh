#!/usr/bin/env bash
# Installs the Debian packages powercis needs for a target (build, demo, check, bench) when any
# is missing. Idempotent and silent when everything is already there.
set -euo pipefail

target=${1:-build}

build_pkgs=(gcc make pkg-config meson ninja-build
            libsqlite3-dev libutf8proc-dev libcsv-dev libjansson-dev libsodium-dev libinih-dev libxml2-dev libpq-dev
            libcairo2-dev libpango1.0-dev libzint-dev libxlsxwriter-dev libmagic-dev libmagic-mgc fonts-dejavu-core
            libcurl4-openssl-dev libmicrohttpd-dev)
check_pkgs=(libcmocka-dev curl sqlite3 zbar-tools poppler-utils libxml2-utils postgresql libreoffice-calc-nogui)

case "$target" in
  build|demo|bench) want=("${build_pkgs[@]}") ;;
  check) want=("${build_pkgs[@]}" "${check_pkgs[@]}") ;;
  *) echo "deps.sh: unknown target '$target' (build, demo, check, bench)" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

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
