#!/usr/bin/env bash
# Installs what Model Factory needs and the machine lacks. Idempotent; silent when nothing is missing.
#   Linux (Debian/Ubuntu): pkg-config, OpenBLAS (libopenblas-dev), SQLite (libsqlite3-dev, for the lineage
#     store through GRDB) and zlib (zlib1g-dev, for the gzip files a corpus reads) through apt, as root or with sudo;
#     plus, where apt has them, the Debian packages whose text the default corpus reads
#     (corpora/local.toml). Those are optional: setup warns and goes on when one cannot be installed.
#     The code sandbox (Sources/Evaluation/Sandbox) needs bubblewrap (bwrap), util-linux (prlimit, and setpriv
#     when run as root) and Debian's python3 under /usr (the sandbox sees only /usr and /bin); its tests need them.
#   macOS: nothing (Accelerate and zlib ship with the system).
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
if ! pkg-config --exists zlib 2>/dev/null; then
  missing+=(zlib1g-dev)
fi
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
{ command -v prlimit && command -v setpriv; } >/dev/null 2>&1 || missing+=(util-linux)
[[ -x /usr/bin/python3 ]] || missing+=(python3)

# Text for the default corpus: code (Go standard library), documentation (Python HTML docs,
# manual pages, Maxima), prose (King James Bible text and its reader, WordNet, fortunes); and
# manpages-dev, the held-out manual pages (sections 2 and 3) of the STEM evaluation suite.
corpus_packages=(golang-1.19-src python3.11-doc manpages manpages-dev maxima-doc bible-kjv-text bible-kjv wordnet-base fortunes)
corpus_missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for package in "${corpus_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' || corpus_missing+=("$package")
  done
fi
[[ ${#missing[@]} -eq 0 && ${#corpus_missing[@]} -eq 0 ]] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
  fi
  echo "setup: missing ${missing[*]} and this system has no apt-get; install them with your package manager" >&2
  exit 1
fi
if [[ $(id -u) -eq 0 ]]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
elif [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: the default corpus needs ${corpus_missing[*]}; run 'apt-get install ${corpus_missing[*]}' as root (no sudo here)" >&2
  exit 0
else
  echo "setup: missing ${missing[*]}; run 'apt-get install ${missing[*]}' as root (no sudo here)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq >/dev/null
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]} with apt-get" >&2
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  pkg-config --exists openblas || { echo "setup: OpenBLAS still not visible to pkg-config after install" >&2; exit 1; }
  command -v bwrap >/dev/null || { echo "setup: bwrap still not found after installing bubblewrap" >&2; exit 1; }
fi
if [[ ${#corpus_missing[@]} -gt 0 ]]; then
  echo "setup: installing corpus text packages ${corpus_missing[*]} with apt-get" >&2
  if ! "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${corpus_missing[@]}" >/dev/null 2>&1; then
    for package in "${corpus_missing[@]}"; do
      "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$package" >/dev/null 2>&1 \
        || echo "setup: could not install $package; mark its source in corpora/local.toml optional or remove it" >&2
    done
  fi
fi
