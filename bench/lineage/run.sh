#!/usr/bin/env bash
# Lineage store bench, side by side on this machine:
#   metric points logged per second in batches of 1,000: `factory bench lineage` (SQLite through
#   GRDB, WAL) vs MLflow's MlflowClient.log_batch on its SQLite backend (MLflow from PyPI in the
#   throwaway venv bench/.venv-lineage, never needed by tests);
#   lineage queries among 10,000 runs (2,000 five-run pipelines sharing one raw corpus).
# Prints Markdown to paste into bench/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

factory=${FACTORY:-.build/release/factory}
[[ -x $factory ]] || { echo "bench/lineage: build first (make release)" >&2; exit 1; }
points=${LINEAGE_POINTS:-100000}
batch=1000
runs=10000

venv=bench/.venv-lineage
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check mlflow
fi

ours=$($factory bench lineage --points "$points" --batch-size "$batch" --runs "$runs")
field() { awk -v key="$1:" '$1 == key { $1 = ""; sub(/^ /, ""); print }' <<<"$ours"; }
ours_rate=$(field metric_points_per_second)
theirs_rate=$(MLFLOW_TRACKING_URI= "$venv/bin/python" bench/lineage/mlflow_log_batch.py "$points" "$batch" 2>/dev/null)
ratio=$(python3 -c "print(f'{$ours_rate / $theirs_rate:.1f}')")

echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | xargs || echo unknown CPU)"
echo "date: $(date -u +%Y-%m-%d)"
echo "mlflow: $("$venv/bin/python" -c 'import mlflow; print(mlflow.__version__)'), SQLite $(python3 -c 'import sqlite3; print(sqlite3.sqlite_version)') (python)"
echo
echo "| metric points, batches of $batch | factory points/s | MLflow log_batch points/s | factory / MLflow |"
echo "| --- | --- | --- | --- |"
echo "| $points | $ours_rate | $theirs_rate | $ratio |"
echo
echo "| lineage query among $(field upstream_final_runs_in_store) runs | reached | median time (ms) |"
echo "| --- | --- | --- |"
echo "| upstream of one pipeline's final artifact | $(field upstream_final_reached) | $(field upstream_final_ms) |"
echo "| downstream of the shared raw corpus | $(field downstream_shared_reached) | $(field downstream_shared_ms) |"
