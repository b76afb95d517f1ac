#!/usr/bin/env bash
# lm-evaluation-harness parity of `factory eval --suites capabilities`: one multiple-choice task
# file scored by the factory and by lm-eval's `local-completions` model through `factory serve`
# (token-id prompts, echo + logprobs); acc and acc_norm must agree on every document, or the
# script exits 1. PyPI packages (lm-eval, transformers) go into a throwaway venv ($VENV, default
# /tmp/score-venv); nothing here is needed by `make test`.
#   usage: bench/lm_eval_parity.sh [TASK_FILE] [MODEL_DIR]
# Without MODEL_DIR, a laguna-proxy checkpoint is trained for a few steps on the repository's
# Markdown (tokenizer, shards and training with the factory's own commands) in $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."

task=${1:-bench/lm_eval_parity/parity-common-sense.jsonl}
model_dir=${2:-}
# The newer of the release and debug builds, unless FACTORY names one.
factory=${FACTORY:-.build/release/factory}
if [[ -z ${FACTORY:-} && .build/debug/factory -nt $factory ]]; then factory=.build/debug/factory; fi
[[ -x $factory ]] || { echo "lm_eval_parity: build first (make release, or swift build)" >&2; exit 1; }
work=${WORK:-$(mktemp -d /tmp/lm-eval-parity.XXXXXX)}
venv=${VENV:-/tmp/score-venv}
port=${PORT:-8125}
store=$work/store
mkdir -p "$work/tasks" "$work/lm_eval"
echo "lm_eval_parity: factory $factory, work folder $work"

if [[ ! -x $venv/bin/lm_eval ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "lm-eval[api]" transformers
fi

if [[ -z $model_dir ]]; then
  python3 bench/lm_eval_parity/prepare.py documents README.md docs/*.md "$work/documents.jsonl"
  "$factory" tokenizer train "$work/documents.jsonl" --vocab-size 1024 -o "$work/tokenizer.json" --store "$store" >/dev/null
  "$factory" shards build "$work/documents.jsonl" --tokenizer "$work/tokenizer.json" -o "$work/shards" --store "$store" >/dev/null
  cat >"$work/run.toml" <<TOML
[model]
preset = "laguna-proxy"
[data]
train = "$work/shards"
tokenizer = "$work/tokenizer.json"
[optimizer]
lr = 3e-3
[schedule]
kind = "cosine"
warmup = 5
[train]
steps = ${STEPS:-40}
batch = 8
sequence_length = 64
seed = 0
log_every = 10
output = "$work/run"
TOML
  "$factory" train --config "$work/run.toml" --store "$store" | tail -2
  model_dir=$work/run/final
fi

echo "== factory eval --suites capabilities ($task on $model_dir)"
cp "$task" "$work/tasks/"
"$factory" eval --model "$model_dir" --suites capabilities --tasks "$work/tasks" --output "$work/factory.json" --store "$store" \
  --batch 8 --bootstrap 200

echo "== lm-eval local-completions through factory serve"
python3 bench/lm_eval_parity/prepare.py lm-eval "$task" "$work/lm_eval"
log=$work/serve.log
"$factory" serve --model "$model_dir" --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.2
done
name=$(curl -sf "http://127.0.0.1:$port/v1/models" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')
HF_DATASETS_OFFLINE=1 HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false "$venv/bin/lm_eval" \
  --model local-completions \
  --model_args "model=$name,base_url=http://127.0.0.1:$port/v1/completions,tokenizer_backend=huggingface,tokenizer=$model_dir,tokenized_requests=True,num_concurrent=1,max_retries=1" \
  --tasks factory_parity --include_path "$work/lm_eval" --output_path "$work/lm_eval_out" --log_samples --batch_size 8 \
  >"$work/lm_eval.log" 2>&1 || { tail -30 "$work/lm_eval.log" >&2; exit 1; }
kill -TERM $server
wait $server || true
trap - EXIT

echo "== comparison"
"$venv/bin/python" bench/lm_eval_parity/compare.py "$work/factory.json" "$work/lm_eval_out"
