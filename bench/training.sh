#!/usr/bin/env bash
# Training throughput: factory (`factory bench train`) vs PyTorch eager running transformers'
# LagunaForCausalLM with the same config, batch, sequence length and thread count, on this machine.
# PyTorch and transformers come from PyPI into a throwaway venv ($TORCH_VENV, default bench/.venv-torch).
set -euo pipefail
cd "$(dirname "$0")/.."
factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }
venv=${TORCH_VENV:-bench/.venv-torch}
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check torch "transformers==5.23.0"
fi
presets=${PRESETS:-laguna-tiny laguna-tiny-moe}
batch=${BATCH:-8}
seq=${SEQ:-128}
steps=${STEPS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "| preset | batch × seq | threads | factory tokens/s | factory MFU | PyTorch tokens/s | factory / PyTorch |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for preset in $presets; do
  $factory model init --preset "$preset" --vocab-size 8192 --seed 0 --output "$work/$preset" >/dev/null
  for threads in 1 $(nproc); do
    report=$($factory bench train --preset "$preset" --batch "$batch" --sequence-length "$seq" --steps "$steps" --threads "$threads")
    ours=$(awk '/^tokens_per_second:/ {print $2}' <<<"$report")
    mfu=$(awk '/^mfu:/ {print $2}' <<<"$report")
    theirs=$("$venv/bin/python" bench/training_reference.py "$work/$preset" "$batch" "$seq" "$steps" "$threads")
    ratio=$(python3 -c "print(f'{$ours / $theirs:.2f}')")
    echo "| $preset | $batch × $seq | $threads | $ours | $mfu | $theirs | $ratio |"
  done
done
