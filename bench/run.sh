#!/usr/bin/env bash
# Benchmarks Model Factory against named reference implementations, side by side on this machine.
# References are installed from PyPI into a throwaway venv (bench/.venv), never needed by tests.
#   GEMM: factory's BLAS-backed sgemm (deterministic row tiles) vs numpy.matmul (float32).
# Prints a Markdown table to paste into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

factory=.build/release/factory
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }

venv=bench/.venv
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check numpy
fi

sizes=(256 512 1024 2048)
seconds=${BENCH_SECONDS:-2}
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || echo unknown CPU)"
echo "date: $(date -u +%Y-%m-%d)"
echo "numpy: $("$venv/bin/python" -c 'import numpy; print(numpy.__version__)')"
echo
echo "| sgemm n×n×n | factory GFLOP/s | numpy GFLOP/s | factory / numpy |"
echo "| --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  ours=$($factory doctor --gemm-size "$n" --seconds "$seconds" | awk '/^gemm_gflops:/ {print $2}')
  theirs=$("$venv/bin/python" bench/gemm_reference.py "$n" "$seconds")
  ratio=$(python3 -c "print(f'{$ours / $theirs:.2f}')")
  echo "| $n | $ours | $theirs | $ratio |"
done

# Lineage store: metric writes vs MLflow log_batch (SQLite), lineage queries among 10,000 runs.
echo
bench/lineage/run.sh

# Tokenizer: encode throughput vs tokenizers and tiktoken on the same text and vocabulary.
echo
bench/tokenizer.sh

# Training: tokens/s vs PyTorch eager (transformers LagunaForCausalLM), same config and threads.
echo
bench/training.sh

# Generation: prefill/decode tokens/s, time to first token and peak memory vs transformers generate.
echo
bench/inference.sh

# MinHash dedup: documents/s per core vs datatrove's MinHash stages (PyPI), and the overlap of
# the two removed-duplicate sets, on the demo corpus.
echo
bench/dedup.sh

# Integrity: weight-hash check overhead of data-parallel replicas, sharded vs unsharded Muon.
echo
bench/integrity.sh

# Serving: 16 concurrent openai clients against factory serve (p50/p99 latency, tokens/s).
echo
bench/serve.sh
