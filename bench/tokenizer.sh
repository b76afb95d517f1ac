#!/usr/bin/env bash
# Tokenizer encode throughput: factory vs Hugging Face `tokenizers` and `tiktoken`, side by side
# on the same documents and the same vocabulary (a 32,768-token tokenizer the factory trains on
# the bench corpus; tiktoken is built offline from its merge ranks through tiktoken.Encoding).
# References come from PyPI into a throwaway venv (bench/.venv-tok), never needed by tests.
# Prints a Markdown table to paste into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }

venv=bench/.venv-tok
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check tokenizers tiktoken
fi
python=$venv/bin/python
seconds=${BENCH_SECONDS:-3}
repeats=${BENCH_REPEATS:-3}
work=bench/out/tokenizer
mkdir -p "$work"
docs=$work/docs.jsonl
tokenizer=$work/tokenizer.json
[[ -s $docs ]] || "$python" bench/tokenizer_reference.py corpus "$docs" 12000000 >&2
[[ -s $tokenizer ]] || "$factory" tokenizer train "$docs" --vocab-size 32768 --output "$tokenizer" >&2

field() { awk -v key="$1:" '$1 == key {print $2}'; }
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || echo unknown CPU)"
echo "date: $(date -u +%Y-%m-%d)"
echo "corpus: $(wc -l < "$docs") documents, $(wc -c < "$docs") bytes of JSONL (bench/tokenizer_reference.py corpus)"
echo "tokenizers: $("$python" -c 'import tokenizers; print(tokenizers.__version__)'), tiktoken: $("$python" -c 'import tiktoken; print(tiktoken.__version__)')"
echo
echo "| encoder (best of $repeats × ${seconds} s) | 1 thread MB/s | 2 threads MB/s | ids equal to factory's |"
echo "| --- | --- | --- | --- |"
declare -A rate digest
# Best of $repeats rounds, implementations interleaved, so that load from other processes on a
# shared machine penalizes none of them in particular.
best() { python3 -c "print(f'{max($1, $2):.2f}')"; }
for round in $(seq "$repeats"); do
  for threads in 1 2; do
    out=$("$factory" bench tokenizer --tokenizer "$tokenizer" "$docs" --threads "$threads" --seconds "$seconds")
    rate[factory$threads]=$(best "${rate[factory$threads]:-0}" "$(field mb_per_s <<< "$out")")
    digest[factory]=$(field ids_sha256 <<< "$out")
    out=$(RAYON_NUM_THREADS=$threads TOKENIZERS_PARALLELISM=true "$python" bench/tokenizer_reference.py measure tokenizers "$tokenizer" "$docs" "$threads" "$seconds")
    rate[tokenizers$threads]=$(best "${rate[tokenizers$threads]:-0}" "$(field mb_per_s <<< "$out")")
    digest[tokenizers]=$(field ids_sha256 <<< "$out")
    out=$("$python" bench/tokenizer_reference.py measure tiktoken "$tokenizer" "$docs" "$threads" "$seconds")
    rate[tiktoken$threads]=$(best "${rate[tiktoken$threads]:-0}" "$(field mb_per_s <<< "$out")")
    digest[tiktoken]=$(field ids_sha256 <<< "$out")
    agreement=$(field docs_equal_to_tokenizers <<< "$out")
  done
done
same() { [[ ${digest[$1]} == "${digest[factory]}" ]] && echo yes || echo "no"; }
echo "| factory | ${rate[factory1]} | ${rate[factory2]} | — |"
echo "| tiktoken | ${rate[tiktoken1]} | ${rate[tiktoken2]} | $(same tiktoken) ($agreement of documents equal to tokenizers') |"
echo "| tokenizers | ${rate[tokenizers1]} | ${rate[tokenizers2]} | $(same tokenizers) |"
echo
echo "factory / tiktoken, 1 thread: $(python3 -c "print(f'{${rate[factory1]} / ${rate[tiktoken1]}:.2f}')")"
