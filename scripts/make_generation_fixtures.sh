#!/usr/bin/env bash
# Regenerates the greedy-generation parity fixtures under Tests/InferenceTests/Fixtures/generation/.
#
# Run by hand, once, when the fixtures need to change; CI and `make test` never run it.
# It builds a throwaway virtual environment (default /tmp/laguna-venv, or $LAGUNA_VENV) with
# torch (run on CPU), transformers and safetensors from the package index pip is set up with,
# then runs make_generation_fixtures.py, which reads the checkpoints of the Models parity
# fixtures (Tests/ModelsTests/Fixtures, written by make_laguna_fixtures.sh).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/fixture_env.sh"
"$(laguna_python)" "$fixture_root/scripts/make_generation_fixtures.py" \
  --models "$fixture_root/Tests/ModelsTests/Fixtures" --fixtures "$fixture_root/Tests/InferenceTests/Fixtures/generation" "$@"
