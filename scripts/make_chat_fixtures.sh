#!/usr/bin/env bash
# Regenerates Tests/InferenceTests/Fixtures/chat/: a small factory tokenizer with the
# tokenizer_config.json the factory writes, and conversations rendered and tokenized by
# transformers' apply_chat_template (see scripts/make_chat_fixtures.py).
#
# Run by hand when the fixtures need to change; CI and `make test` never run it. Uses the venv of
# scripts/make_laguna_fixtures.sh (default /tmp/laguna-venv, or $LAGUNA_VENV) and a built `factory`
# (FACTORY=path, else `swift build --product factory`).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LAGUNA_VENV:-/tmp/laguna-venv}"
factory=${FACTORY:-}
if [[ -z $factory ]]; then
  (cd "$root" && swift build --product factory)
  factory="$root/.build/debug/factory"
fi
"$venv/bin/python" "$root/scripts/make_chat_fixtures.py" --factory "$factory" --out "$root/Tests/InferenceTests/Fixtures/chat"
