"""Reference sgemm rate: numpy.matmul on float32 n×n matrices, median over `seconds` of repeats.

Usage: python gemm_reference.py N SECONDS   (prints GFLOP/s with one decimal)
"""
import sys
import time

import numpy as np

n, seconds = int(sys.argv[1]), float(sys.argv[2])
rng = np.random.default_rng(0)
a = rng.random((n, n), dtype=np.float32) - 0.5
b = rng.random((n, n), dtype=np.float32) - 0.5
a @ b  # warm-up
times = []
start = time.perf_counter()
while len(times) < 3 or time.perf_counter() - start < seconds:
    before = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - before)
times.sort()
print(f"{2 * n**3 / times[len(times) // 2] / 1e9:.1f}")
