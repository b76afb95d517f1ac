#!/usr/bin/env bash
# MinHash deduplication: `factory curate dedup` vs datatrove's MinHash stages (PyPI), side by side
# on the same corpus with the same scheme: word 5-grams of simplified text, 14 bands × 8 hashes.
# datatrove runs its four stages (signatures, buckets, cluster, filter) in one process, one task
# at a time; the factory runs its whole command (read, exact + MinHash dedup, write, lineage record).
# Both are pinned to one core (taskset -c 0); "docs/s per core" is documents per CPU-second
# (user + system), which a busy shared machine disturbs less than wall time. The factory is also
# timed on all cores. Then the two removed-duplicate sets are compared.
# The reference comes from PyPI into a throwaway venv under /tmp, never needed by tests.
# Prints a Markdown table to paste into bench/RESULTS.md.
#   FACTORY=path/to/factory  DEDUP_CORPUS=/tmp/corpus-out  BENCH_REPEATS=3 (factory runs; best kept)
set -euo pipefail
cd "$(dirname "$0")/.."

factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }
corpus=${DEDUP_CORPUS:-/tmp/corpus-out}
if ! compgen -G "$corpus/*/train.jsonl" > /dev/null; then
  echo "bench: building the demo corpus into $corpus" >&2
  "$factory" corpus build --config corpora/local.toml --out "$corpus" >&2
fi
inputs=("$corpus"/*/train.jsonl)

venv=${DEDUP_VENV:-/tmp/venv-dedup-bench}
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import datatrove, spacy, orjson' 2> /dev/null; then
  python3 -m venv "$venv"
  # datatrove's MinHash imports the `processing` extra; its English word tokenizer needs spaCy.
  "$venv/bin/pip" install -q --disable-pip-version-check "datatrove[processing]" spacy orjson
fi
python=$venv/bin/python
repeats=${BENCH_REPEATS:-3}
work=bench/out/dedup
rm -rf "$work"
mkdir -p "$work"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
field() { awk -v key="$1:" '$1 == key {print $2}'; }
# Runs the factory once; prints "wall cpu" seconds.
ours() {
  local output
  output=$( { /usr/bin/time -f "time: %e %U %S" "$@" "$factory" curate dedup --input "${inputs[@]}" \
    --output "$work/ours.jsonl" --report "$work/ours-report.json" --store "$work/store" > "$work/ours.log"; } 2>&1)
  awk '/^time:/ {printf "%.2f %.2f\n", $2, $3 + $4}' <<< "$output"
}
best_wall=() best_cpu=() best_all=()
for _ in $(seq "$repeats"); do
  read -r wall cpu < <(ours taskset -c 0)
  best_wall+=("$wall") best_cpu+=("$cpu")
  read -r wall _ < <(ours)
  best_all+=("$wall")
done
minimum() { printf '%s\n' "$@" | sort -g | head -1; }
ours_wall=$(minimum "${best_wall[@]}") ours_cpu=$(minimum "${best_cpu[@]}") ours_all=$(minimum "${best_all[@]}")

theirs=$(taskset -c 0 "$python" bench/dedup_reference.py run "$corpus" "$work/datatrove" 2> "$work/datatrove.log")
documents=$(field documents <<< "$theirs")
comparison=$("$python" bench/dedup_reference.py compare "$work/ours-report.json" "$work/datatrove" "$corpus")

rate() { python3 -c "print(f'{$1 / $2:.0f}')"; }
ours_rate=$(rate "$documents" "$ours_cpu")
theirs_rate=$(rate "$documents" "$(field cpu_seconds <<< "$theirs")")
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2> /dev/null | cut -d: -f2 | xargs || echo unknown CPU)"
echo "date: $(date -u +%Y-%m-%d), load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $documents documents, $(cat "${inputs[@]}" | wc -c) bytes of JSONL ($corpus/*/train.jsonl)"
echo "datatrove: $("$python" -c 'import importlib.metadata as m; print(m.version("datatrove"))'), spaCy $("$python" -c 'import spacy; print(spacy.__version__)')"
echo
echo "| MinHash dedup, 5-grams, 14 × 8 | removed | wall s, 1 core | CPU s | docs/s per core | wall s, $(nproc) cores |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| factory curate dedup (best of $repeats) | $(field removed_ours <<< "$comparison") | $ours_wall | $ours_cpu | $ours_rate | $ours_all |"
echo "| datatrove MinHash (4 stages) | $(field removed <<< "$theirs") | $(field seconds <<< "$theirs") | $(field cpu_seconds <<< "$theirs") | $theirs_rate | — |"
echo
echo "factory / datatrove, docs/s per core: $(python3 -c "print(f'{$ours_rate / $theirs_rate:.1f}')")×"
echo "datatrove stages (wall s): signatures $(field seconds_signatures <<< "$theirs"), buckets $(field seconds_buckets <<< "$theirs"), cluster $(field seconds_cluster <<< "$theirs"), filter $(field seconds_filter <<< "$theirs")"
echo
echo "| overlap | factory | datatrove | both | only factory | only datatrove | Jaccard |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for set in removed clustered; do
  echo "| $set documents | $(field ${set}_ours <<< "$comparison") | $(field ${set}_theirs <<< "$comparison") | $(field ${set}_both <<< "$comparison") | $(field ${set}_only_ours <<< "$comparison") | $(field ${set}_only_theirs <<< "$comparison") | $(field ${set}_jaccard <<< "$comparison") |"
done
echo
echo "factory removed $(field ours_exact <<< "$comparison") as exact and $(field ours_fuzzy <<< "$comparison") as near duplicates."
