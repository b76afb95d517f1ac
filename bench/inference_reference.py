"""Reference generation speed: transformers' LagunaForCausalLM `generate` (greedy, float32, eager).

Usage: python inference_reference.py CHECKPOINT_DIR BATCH PROMPT_TOKENS NEW_TOKENS THREADS
Uses the prompts `factory bench inference` uses ((31·i + 17·b + 7) mod V for position i of
sequence b). Times `generate` with 1 new token (prefill and the first token) and with NEW_TOKENS
(min_new_tokens = max_new_tokens, so no early stop); decode tokens/s is
BATCH · (NEW_TOKENS − 1) / (t_NEW − t_1). Fastest of 5 runs each after a warm-up (the least
disturbed by other load on the machine). Prints the same
key: value lines as the factory command.
"""
import resource
import sys
import time

import torch
from transformers import AutoModelForCausalLM

directory, batch, prompt_tokens, new_tokens, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
model = AutoModelForCausalLM.from_pretrained(directory, attn_implementation="eager", dtype=torch.float32).eval()
vocabulary = model.config.vocab_size
prompts = torch.tensor([[(31 * i + 17 * b + 7) % vocabulary for i in range(prompt_tokens)] for b in range(batch)])
mask = torch.ones_like(prompts)


def generate(count):
    start = time.perf_counter()
    with torch.no_grad():
        output = model.generate(
            prompts, attention_mask=mask, max_new_tokens=count, min_new_tokens=count, do_sample=False, pad_token_id=0
        )
    elapsed = time.perf_counter() - start
    assert output.shape[1] == prompt_tokens + count
    return elapsed


generate(2)
first = min(generate(1) for _ in range(5))
full = min(generate(new_tokens) for _ in range(5))
single = prompts[:1]
start = time.perf_counter()
with torch.no_grad():
    model.generate(single, attention_mask=mask[:1], max_new_tokens=1, do_sample=False, pad_token_id=0)
time_to_first = time.perf_counter() - start
print(f"batch: {batch}")
print(f"prefill_tokens_per_second: {batch * prompt_tokens / first:.1f}")
print(f"time_to_first_token_ms: {time_to_first * 1000:.2f}")
print(f"decode_tokens_per_second: {batch * (new_tokens - 1) / (full - first):.1f}")
print(f"peak_rss_mib: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
