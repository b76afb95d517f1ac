#!/usr/bin/env bash
# Regenerates the greedy-generation parity fixtures under Tests/InferenceTests/Fixtures/generation/.
#
# Run by hand, once, when the fixtures need to change; CI and `make test` never run it.
# It builds a throwaway virtual environment (default /tmp/laguna-venv, or $LAGUNA_VENV) with
# torch (run on CPU), transformers and safetensors from the package index pip is set up with,
# then runs make_generation_fixtures.py, which reads the checkpoints of the Models parity
# fixtures (Tests/ModelsTests/Fixtures, written by make_laguna_fixtures.sh).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LAGUNA_VENV:-/tmp/laguna-venv}"
transformers_version="5.23.0"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
  "$venv/bin/python" -m pip install --quiet torch "transformers==$transformers_version" safetensors
fi

"$venv/bin/python" "$root/scripts/make_generation_fixtures.py" \
  --models "$root/Tests/ModelsTests/Fixtures" --fixtures "$root/Tests/InferenceTests/Fixtures/generation" "$@"
