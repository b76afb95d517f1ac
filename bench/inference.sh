#!/usr/bin/env bash
# Generation speed: factory (`factory bench inference`, LagunaDecoder, fp32 KV cache) vs
# transformers' `generate` (greedy, float32, eager attention) on the same checkpoint, prompts and
# thread count: prefill tokens/s, decode tokens/s at batch 1 and 16, time to first token, peak RSS.
# PyTorch and transformers come from PyPI into a throwaway venv ($INFERENCE_VENV, default
# bench/.venv-torch, shared with bench/training.sh). The checkpoint is $INFERENCE_MODEL, default
# the demo pipeline's trained model (run `make demo` first).
set -euo pipefail
cd "$(dirname "$0")/.."
factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }
model=${INFERENCE_MODEL:-$(ls -d .factory/pipelines/demo/train/*/run/final 2>/dev/null | head -1)}
[[ -n $model && -f $model/config.json ]] || { echo "bench: no checkpoint (set INFERENCE_MODEL or run make demo)" >&2; exit 1; }
venv=${INFERENCE_VENV:-bench/.venv-torch}
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check torch "transformers==5.23.0"
fi
prompt=${PROMPT_TOKENS:-128}
new=${NEW_TOKENS:-128}
threads=${THREADS:-$(nproc)}
field() { awk -v key="$1:" '$1 == key {print $2}' <<<"$2"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo "checkpoint: $model; prompt $prompt tokens, $new new tokens, $threads threads, float32"
echo
echo "| batch | measure | factory | transformers | factory / transformers |"
echo "| --- | --- | --- | --- | --- |"
for batch in 1 16; do
  ours=$("$factory" bench inference --model "$model" --batch "$batch" --prompt-tokens "$prompt" --new-tokens "$new" \
    --threads "$threads")
  theirs=$("$venv/bin/python" bench/inference_reference.py "$model" "$batch" "$prompt" "$new" "$threads")
  for key in prefill_tokens_per_second decode_tokens_per_second; do
    a=$(field $key "$ours"); b=$(field $key "$theirs")
    echo "| $batch | ${key//_/ } | $a | $b | $(ratio "$a" "$b") |"
  done
  a=$(field time_to_first_token_ms "$ours"); b=$(field time_to_first_token_ms "$theirs")
  echo "| $batch | time to first token (ms, lower is better) | $a | $b | $(ratio "$a" "$b") |"
  a=$(field peak_rss_mib "$ours"); b=$(field peak_rss_mib "$theirs")
  echo "| $batch | peak RSS (MiB, lower is better) | $a | $b | $(ratio "$a" "$b") |"
done
