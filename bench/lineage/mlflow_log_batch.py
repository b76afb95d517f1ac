"""MLflow reference for the lineage bench: metric points per second through MlflowClient.log_batch
on MLflow's SQLite tracking backend, the same points (10 keys, sin(i) values) and batch size as
`factory bench lineage`. Prints one number: points per second (schema creation not timed)."""
import math
import sys
import tempfile
import time

from mlflow.entities import Metric
from mlflow.tracking import MlflowClient

points, batch_size = int(sys.argv[1]), int(sys.argv[2])
keys = 10
with tempfile.TemporaryDirectory() as directory:
    client = MlflowClient(tracking_uri=f"sqlite:///{directory}/mlflow.db")
    experiment = client.create_experiment("lineage-bench")
    run = client.create_run(experiment)
    stamp = int(time.time() * 1000)
    metrics = [Metric(f"bench/k{i % keys}", math.sin(i), stamp, i // keys) for i in range(points)]
    start = time.perf_counter()
    for offset in range(0, points, batch_size):
        client.log_batch(run.info.run_id, metrics=metrics[offset:offset + batch_size])
    elapsed = time.perf_counter() - start
    client.set_terminated(run.info.run_id)
print(f"{points / elapsed:.0f}")
