#!/usr/bin/env python3
"""Load on `factory serve`: CLIENTS concurrent `openai` clients, each sending REQUESTS completions
of MAX_TOKENS tokens (greedy, a different prompt each). Prints p50/p99 request latency, mean
time to first token (streamed) and aggregate generated tokens per second as one Markdown row.

Usage: serve_load.py BASE_URL MODEL [CLIENTS=16] [REQUESTS=4] [MAX_TOKENS=64]
"""
import statistics
import sys
import threading
import time

from openai import OpenAI

PROMPTS = [
    "Once upon a time", "The weather today", "In the beginning", "A long road", "The old house", "She opened the door",
    "Numbers are", "The river", "At the market", "He said that", "Every morning", "The small town", "After the storm",
    "The machine", "In the garden", "When the bell rang",
]


def main():
    base_url, model = sys.argv[1], sys.argv[2]
    defaults = [16, 4, 64]
    given = [int(arg) for arg in sys.argv[3:6]]
    clients, requests, max_tokens = given + defaults[len(given):]
    latencies, first_tokens, tokens = [], [], []
    lock = threading.Lock()

    def worker(index):
        client = OpenAI(base_url=base_url, api_key="unused", max_retries=0, timeout=600)
        for round_ in range(requests):
            prompt = PROMPTS[(index + round_) % len(PROMPTS)]
            start = time.perf_counter()
            first = None
            count = 0
            stream = client.completions.create(
                model=model, prompt=prompt, max_tokens=max_tokens, temperature=0, stream=True, stream_options={"include_usage": True})
            for chunk in stream:
                if chunk.choices and chunk.choices[0].text and first is None:
                    first = time.perf_counter() - start
                if chunk.usage:
                    count = chunk.usage.completion_tokens
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                first_tokens.append(first if first is not None else elapsed)
                tokens.append(count)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    print(
        f"| {clients} | {len(latencies)} | {max_tokens} | {p50:.2f} | {p99:.2f} | {statistics.mean(first_tokens):.2f} | "
        f"{sum(tokens) / wall:.1f} |")


if __name__ == "__main__":
    main()
