#!/usr/bin/env bash
# Installs what Model Factory needs and the machine lacks. Idempotent; silent when nothing is missing.
#   Linux (Debian/Ubuntu): pkg-config, OpenBLAS (libopenblas-dev) and SQLite (libsqlite3-dev, for the lineage
#     store through GRDB) through apt, as root or with sudo.
#   macOS: nothing (Accelerate ships with the system).
set -euo pipefail

if [[ "$(uname -s)" == "Darwin" ]]; then
  exit 0
fi

missing=()
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if ! pkg-config --exists openblas 2>/dev/null; then
  missing+=(libopenblas-dev)
fi
if ! pkg-config --exists sqlite3 2>/dev/null; then
  missing+=(libsqlite3-dev)
fi
[[ ${#missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: missing ${missing[*]} and this system has no apt-get; install OpenBLAS and pkg-config with your package manager" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "setup: missing ${missing[*]}; run 'apt-get install ${missing[*]}' as root (no sudo here)" >&2
  exit 1
fi

echo "setup: installing ${missing[*]} with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
pkg-config --exists openblas || { echo "setup: OpenBLAS still not visible to pkg-config after install" >&2; exit 1; }
