#!/usr/bin/env bash
# Training integrity (issue 10): the cost of the replicas' weight-hash checks as a share of step
# time at check intervals 1, 10 and 100, against the same run with checks off, and the step-time
# split of sharded versus unsharded Muon. Data-parallel replicas are threads of one process
# (`factory bench replica`, random tokens); no reference implementation is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }
preset=${PRESET:-laguna-tiny}
replicas=${REPLICAS:-2}
batch=${BATCH:-4}
seq=${SEQ:-128}
threads=${THREADS:-$(nproc)}
bench() {
  $factory bench replica --preset "$preset" --replicas "$replicas" --batch "$batch" --sequence-length "$seq" \
    --threads "$threads" "$@"
}
field() { awk -v key="$1:" '$1 == key {print $2}' <<<"$2"; }
ratio() { python3 -c "print(f'{$1:.$2f}')"; }

echo "$preset, $replicas replicas × $batch × $seq tokens a step, $threads threads, AdamW (weights + 2 state buffers hashed)"
echo
echo "| check interval | steps | fast checks | s / step | s / check | check share at this interval | mean step incl. checks vs checks off |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
off=$(bench --optimizer adamw --steps 22 --check-every off)
off_step=$(field seconds_per_step "$off")
echo "| off | $(field steps "$off") | 0 | $off_step | – | – | 1 |"
# The last step always gets a SHA-256 check (it is the final checkpoint), so each run goes two
# steps past its last fast check; the share is the mean check over `interval` mean steps.
for interval in 1 10 100; do
  steps=$(( interval == 1 ? 22 : (interval == 10 ? 42 : 102) ))
  report=$(bench --optimizer adamw --steps "$steps" --check-every "$interval")
  step=$(field seconds_per_step "$report")
  check=$(field seconds_per_fast_check "$report")
  share=$(ratio "100 * $check / ($interval * $step)" 2)
  versus=$(ratio "($step + $check / $interval) / $off_step" 3)
  echo "| $interval | $steps | $(field fast_checks "$report") | $step | $check | $share % | $versus |"
done

echo
echo "Muon on $replicas replicas, checks every 10 steps"
echo
echo "| Newton–Schulz | s / step | optimizer s / step | orthogonalization s / step | orthogonalization share of step |"
echo "| --- | --- | --- | --- | --- |"
for mode in unsharded sharded; do
  flag=$([[ $mode == unsharded ]] && echo --unsharded-muon || true)
  report=$(bench --optimizer muon --steps 22 --check-every 10 $flag)
  step=$(field seconds_per_step "$report")
  orthogonalize=$(field orthogonalize_seconds_per_step "$report")
  echo "| $mode | $step | $(field optimizer_seconds_per_step "$report") | $orthogonalize | $(ratio "100 * $orthogonalize / $step" 1) % |"
done
