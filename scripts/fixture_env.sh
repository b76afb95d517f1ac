# Sourced by the make_*_fixtures.sh scripts that compare against transformers: the throwaway
# Python environment they share and the `factory` binary they drive. Run by hand only; CI and
# `make test` never use it.
#
# LAGUNA_VENV names the environment (default /tmp/laguna-venv); FACTORY names a built factory
# (default: `swift build --product factory`, the debug binary).

fixture_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
fixture_transformers_version="5.23.0"

# Prints the environment's python, creating the environment and installing torch (run on CPU),
# transformers, safetensors and jinja2 (chat templates) from the package index when missing.
laguna_python() {
  local venv="${LAGUNA_VENV:-/tmp/laguna-venv}"
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python" -c "import torch, safetensors, jinja2, transformers as t; assert t.__version__ == '$fixture_transformers_version'" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet torch "transformers==$fixture_transformers_version" safetensors jinja2 >&2
  fi
  echo "$venv/bin/python"
}

# Prints the path of a built factory: $FACTORY, or the debug build (built when asked).
factory_binary() {
  if [[ -n ${FACTORY:-} ]]; then
    echo "$FACTORY"
  else
    (cd "$fixture_root" && swift build --product factory >&2)
    echo "$fixture_root/.build/debug/factory"
  fi
}
