#!/usr/bin/env bash
# Regenerates Tests/InferenceTests/Fixtures/chat/: a small factory tokenizer with the
# tokenizer_config.json the factory writes, and conversations rendered and tokenized by
# transformers' apply_chat_template (see scripts/make_chat_fixtures.py).
#
# Run by hand when the fixtures need to change; CI and `make test` never run it. Uses the venv of
# scripts/fixture_env.sh (default /tmp/laguna-venv, or $LAGUNA_VENV) and a built `factory`
# (FACTORY=path, else `swift build --product factory`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixture_env.sh"
"$(laguna_python)" "$fixture_root/scripts/make_chat_fixtures.py" --factory "$(factory_binary)" \
  --out "$fixture_root/Tests/InferenceTests/Fixtures/chat"
