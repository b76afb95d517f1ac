#!/usr/bin/env bash
# Load run of `factory serve`: 16 concurrent `openai` clients (bench/serve_load.py) against the
# demo checkpoint; p50/p99 request latency, mean time to first token and aggregate tokens/s.
# The openai client comes from PyPI into the bench venv; the checkpoint is the demo pipeline's
# (make demo), or MODEL_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

factory=.build/release/factory
[[ -x $factory ]] || { echo "bench: build first (make release)" >&2; exit 1; }
model_dir=${MODEL_DIR:-$(ls -d .factory/pipelines/demo/train/*/run/final 2>/dev/null | head -1)}
[[ -n $model_dir && -d $model_dir ]] || { echo "serve bench: no checkpoint (run make demo or set MODEL_DIR)" >&2; exit 0; }

venv=bench/.venv-serve
if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check openai
fi

port=${SERVE_PORT:-8124}
$factory serve --model "$model_dir" --host 127.0.0.1 --port "$port" --max-batch 16 >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  sleep 0.2
done
name=$(curl -sf "http://127.0.0.1:$port/v1/models" | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"][0]["id"])')

echo "factory serve load ($model_dir, $(nproc) cores, greedy completions, streamed)"
echo
echo "| clients | requests | max tokens | p50 latency s | p99 latency s | mean TTFT s | tokens/s |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
"$venv/bin/python" bench/serve_load.py "http://127.0.0.1:$port/v1" "$name" "${CLIENTS:-16}" "${REQUESTS:-4}" "${MAX_TOKENS:-64}"
kill -TERM $server
wait $server || true
trap - EXIT
