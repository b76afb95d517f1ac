#!/usr/bin/env bash
# Regenerates Tests/ModelsTests/Fixtures/shards/ (a checkpoint `transformers` saved in shards) and
# checks that `transformers` loads a checkpoint the factory saved in shards and runs it in
# pipeline("text-generation") with batching (scripts/check_transformers_pipeline.py).
#
# Run by hand when the fixtures need to change; CI and `make test` never run it. Uses the venv of
# scripts/fixture_env.sh (default /tmp/laguna-venv, or $LAGUNA_VENV: torch, transformers
# 5.23.0, safetensors) and a built `factory` (FACTORY=path, else `swift build --product factory`).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/fixture_env.sh"
"$(laguna_python)" "$fixture_root/scripts/make_shard_fixtures.py" --factory "$(factory_binary)" \
  --fixtures "$fixture_root/Tests/ModelsTests/Fixtures" "$@"
