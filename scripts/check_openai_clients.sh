#!/usr/bin/env bash
# Real clients against `factory serve`: the official `openai` Python client (chat with reasoning on
# and off, streaming, completions with logprobs and echo), then lm-evaluation-harness's
# `local-completions` on a small multiple-choice task from a local file (scripts/lm_eval/),
# printing its accuracy. PyPI packages go into a throwaway venv (/tmp/server-venv); nothing here
# is needed by `make test`.
#   usage: scripts/check_openai_clients.sh MODEL_DIR [PORT]
set -euo pipefail
cd "$(dirname "$0")/.."

model_dir=${1:?usage: scripts/check_openai_clients.sh MODEL_DIR [PORT]}
port=${2:-8123}
factory=.build/release/factory
[[ -x $factory ]] || { echo "check_openai_clients: build first (make release)" >&2; exit 1; }

venv=/tmp/server-venv
if [[ ! -x $venv/bin/lm_eval ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check openai "lm-eval[api]" transformers
fi

log=$(mktemp)
$factory serve --model "$model_dir" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
name=$(curl -sf "http://127.0.0.1:$port/v1/models" | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
echo "serving $name from $model_dir on port $port"

echo "== openai client"
"$venv/bin/python" scripts/check_openai_clients.py "http://127.0.0.1:$port/v1" "$name"

echo "== lm-eval local-completions, factory_mc (scripts/lm_eval)"
out=$(mktemp -d)
HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false "$venv/bin/lm_eval" \
  --model local-completions \
  --model_args "model=$name,base_url=http://127.0.0.1:$port/v1/completions,tokenizer_backend=huggingface,tokenizer=$model_dir,tokenized_requests=True,num_concurrent=4,max_retries=1" \
  --tasks factory_mc --include_path scripts/lm_eval --output_path "$out" --batch_size 4 2>&1 | grep -v "^\s*$" | tail -8
"$venv/bin/python" - "$out" <<'PY'
import glob, json, sys
results = json.load(open(sorted(glob.glob(f"{sys.argv[1]}/**/results_*.json", recursive=True))[-1]))["results"]["factory_mc"]
print(f"factory_mc accuracy: {results['acc,none']:.3f} ± {results['acc_stderr,none']:.3f} (20 questions, 4 choices: chance 0.25)")
PY

echo "== SIGTERM drains and exits"
kill -TERM $server
wait $server && echo "server exited with status 0"
trap - EXIT
