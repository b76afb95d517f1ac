#!/usr/bin/env bash
# Regenerates the Hugging Face parity fixtures under Tests/ModelsTests/Fixtures/ (laguna/,
# laguna-sparse/ and safetensors/).
#
# Run by hand, once, when the fixtures need to change; CI and `make test` never run it.
# It builds a throwaway virtual environment (default /tmp/laguna-venv, or $LAGUNA_VENV) with
# torch (run on CPU), transformers and safetensors from the package index pip is set up with,
# then runs make_laguna_fixtures.py.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LAGUNA_VENV:-/tmp/laguna-venv}"
transformers_version="5.23.0"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
"$py" -m pip install --quiet --upgrade pip

"$py" -m pip install --quiet torch "transformers==$transformers_version" safetensors

"$py" "$root/scripts/make_laguna_fixtures.py" --fixtures "$root/Tests/ModelsTests/Fixtures" "$@"
