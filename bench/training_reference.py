"""Reference training throughput: PyTorch eager running transformers' LagunaForCausalLM.

Usage: python training_reference.py CHECKPOINT_DIR BATCH SEQ STEPS THREADS
Loads the config.json that `factory model init` wrote, builds the model in float32 with eager
attention, and times forward + backward + clip_grad_norm_ + AdamW.step on random tokens
(median of STEPS steps after 2 warm-up steps). Prints tokens/s with one decimal.
"""
import statistics
import sys
import time

import torch
from transformers import AutoConfig, LagunaForCausalLM

directory, batch, seq, steps, threads = sys.argv[1], *map(int, sys.argv[2:6])
torch.set_num_threads(threads)
torch.manual_seed(0)
config = AutoConfig.from_pretrained(directory)
config._attn_implementation = "eager"
model = LagunaForCausalLM(config).float().train()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.95), weight_decay=0.1)
durations = []
for step in range(steps + 2):
    tokens = torch.randint(0, config.vocab_size, (batch, seq + 1))
    start = time.perf_counter()
    out = model(input_ids=tokens[:, :-1], labels=None)
    loss = torch.nn.functional.cross_entropy(out.logits.reshape(-1, config.vocab_size), tokens[:, 1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    if step >= 2:
        durations.append(time.perf_counter() - start)
print(f"{batch * seq / statistics.median(durations):.1f}")
