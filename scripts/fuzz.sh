#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (a package of their own, instrumented with -sanitize=fuzzer,
# optimized) into .build-fuzz and runs each for FUZZ_SECONDS (default 120), one after another.
#   scripts/fuzz.sh                  every target
#   scripts/fuzz.sh csv jsonl        only these
# Each target starts from its committed seeds (fuzz/corpus/TARGET, read only) plus what earlier runs
# found (.build-fuzz/corpus/TARGET). A crash, a trap, an error that is not a FactoryError, an input
# taking over FUZZ_TIMEOUT seconds (default 10) or over FUZZ_RSS_MB of memory (default 2048) is a
# finding: saved as .build-fuzz/findings/TARGET/crash-… (or timeout-…, oom-…), and the script exits 1.
# Executions per target go to .build-fuzz/summary.txt (and stdout).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SECONDS:-120}"
timeout="${FUZZ_TIMEOUT:-10}"
rss_mb="${FUZZ_RSS_MB:-2048}"
scratch="$root/.build-fuzz"
all_targets=(config-toml config-json safetensors tokenizer-json jsonl csv pipeline task-file)
targets=("${@:-${all_targets[@]}}")

build_start=$(date +%s)
swift build --package-path "$root/fuzz" --scratch-path "$scratch" -c release --product factory-fuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -use-ld=lld -Xcxx -fsanitize=fuzzer-no-link
echo "fuzz build: $(($(date +%s) - build_start)) s"
binary="$scratch/release/factory-fuzz"

mkdir -p "$scratch/tmp" "$scratch/logs"
summary="$scratch/summary.txt"
printf '%-16s %8s %14s %10s %8s  %s\n' target seconds executions "exec/s" corpus result | tee "$summary"
failed=0
for target in "${targets[@]}"; do
  seeds="$root/fuzz/corpus/$target"
  [[ -d "$seeds" ]] || { echo "no seed corpus $seeds (targets: ${all_targets[*]})" >&2; exit 2; }
  corpus="$scratch/corpus/$target"
  findings="$scratch/findings/$target"
  log="$scratch/logs/$target.log"
  mkdir -p "$corpus" "$findings"
  result=ok
  # SWIFT_BACKTRACE=enable=no: a trap reaches libFuzzer's signal handler at once (it saves the input
  # and prints its own stack) instead of the Swift runtime's backtracer, which takes seconds.
  TMPDIR="$scratch/tmp" SWIFT_BACKTRACE=enable=no "$binary" "$target" "$corpus" "$seeds" \
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb" -malloc_limit_mb="$rss_mb" \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || { result="FINDING (see $log)"; failed=1; }
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  elapsed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  printf '%-16s %8s %14s %10s %8s  %s\n' "$target" "$seconds" "${executions:-?}" "${elapsed:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$result" | tee -a "$summary"
done
exit "$failed"
