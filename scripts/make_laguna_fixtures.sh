#!/usr/bin/env bash
# Regenerates the Hugging Face parity fixtures under Tests/ModelsTests/Fixtures/ (laguna/,
# laguna-sparse/ and safetensors/).
#
# Run by hand, once, when the fixtures need to change; CI and `make test` never run it.
# It builds a throwaway virtual environment (default /tmp/laguna-venv, or $LAGUNA_VENV) with
# torch (run on CPU), transformers and safetensors from the package index pip is set up with,
# then runs make_laguna_fixtures.py.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/fixture_env.sh"
"$(laguna_python)" "$fixture_root/scripts/make_laguna_fixtures.py" --fixtures "$fixture_root/Tests/ModelsTests/Fixtures" "$@"
