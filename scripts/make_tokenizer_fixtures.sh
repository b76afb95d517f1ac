#!/usr/bin/env bash
# Regenerates the tokenizer fixtures under Tests/TokenizationTests/Fixtures/tokenizer/ (see
# scripts/make_tokenizer_fixtures.py for what each file holds). Needs network access to PyPI for
# `regex` and `tokenizers`, installed into a throwaway venv; CI never runs this, the fixtures are
# committed. Usage: scripts/make_tokenizer_fixtures.sh  (FACTORY=path/to/factory to skip the build)
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${TOKENIZER_VENV:-bench/.venv-tok}
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --disable-pip-version-check regex tokenizers

factory=${FACTORY:-}
if [[ -z $factory ]]; then
  swift build --product factory
  factory=.build/debug/factory
fi

"$venv/bin/python" scripts/make_tokenizer_fixtures.py "$factory" Tests/TokenizationTests/Fixtures/tokenizer
# The token shard tests train on the same texts and read the same tokenizer file.
cp Tests/TokenizationTests/Fixtures/tokenizer/{golden_texts.json,factory.tokenizer.json} Tests/ShardsTests/Fixtures/tokenizer/
echo "fixtures written to Tests/TokenizationTests/Fixtures/tokenizer (tokenizers $("$venv/bin/python" -c 'import tokenizers; print(tokenizers.__version__)'))"
