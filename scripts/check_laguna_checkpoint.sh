#!/usr/bin/env bash
# Checks that Laguna checkpoints move both ways between the factory and Hugging Face transformers,
# and that both compute the same logits and gradients (see scripts/check_laguna_checkpoint.py).
#
# Run by hand; CI never runs it. It reuses the throwaway virtual environment of
# make_laguna_fixtures.sh (default /tmp/laguna-venv, or $LAGUNA_VENV), creating it if missing, and
# builds `factory` unless FACTORY names a binary. Extra arguments go to the Python script
# (e.g. --preset laguna-proxy laguna-proxy-moe --tokens 300).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${LAGUNA_VENV:-/tmp/laguna-venv}"
transformers_version="5.23.0"

if [[ ! -x "$venv/bin/python" ]]; then
  python3 -m venv "$venv"
fi
py="$venv/bin/python"
if ! "$py" -c "import torch, safetensors, transformers; assert transformers.__version__ == '$transformers_version'" 2>/dev/null; then
  "$py" -m pip install --quiet --upgrade pip
  "$py" -m pip install --quiet torch "transformers==$transformers_version" safetensors
fi

factory="${FACTORY:-}"
if [[ -z "$factory" ]]; then
  (cd "$root" && swift build --product factory)
  factory="$root/.build/debug/factory"
fi

"$py" "$root/scripts/check_laguna_checkpoint.py" --factory "$factory" "$@"
