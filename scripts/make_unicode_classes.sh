#!/usr/bin/env bash
# Regenerates Sources/Tokenization/PreTokenizerUnicodeTable.swift (the pre-tokenizer's letter,
# number and white-space classes, pinned to the Unicode version Hugging Face tokenizers uses) and
# the fixture Tests/TokenizationTests/Fixtures/tokenizer/unicode_pinning_cases.json; see
# scripts/make_unicode_classes.py. Needs network access to PyPI for `tokenizers` and two versions
# of `unicodedata2`, installed into a throwaway venv; CI never runs this, both files are committed.
# Usage: scripts/make_unicode_classes.sh   (UNICODE_VENV names the venv, default /tmp/unicode-venv)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${UNICODE_VENV:-/tmp/unicode-venv}
tokenizers_version="0.23.3"
pinned="16.0.0"
newer="17.0.0"
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check "tokenizers==$tokenizers_version"
for version in "$pinned" "$newer"; do
  if [[ ! -d $venv/unicodedata2-$version ]]; then
    "$venv/bin/pip" install -q --disable-pip-version-check --target "$venv/unicodedata2-$version" "unicodedata2==$version"
  fi
done
"$venv/bin/python" scripts/make_unicode_classes.py "$venv/unicodedata2-$pinned" "$venv/unicodedata2-$newer" .
