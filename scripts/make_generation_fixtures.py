"""Writes the greedy-generation parity fixtures that the Inference tests compare against.

Run through scripts/make_generation_fixtures.sh. For each source checkpoint (a Models parity
fixture written by make_laguna_fixtures.py) it writes, under <fixtures>/<name>/:

  config.json, model.safetensors  copied unchanged from the source checkpoint
  generation.json                 {"prompt": [ids], "generated": [64 ids], "margins": [per step:
                                  top-1 minus top-2 logit]} from `generate(do_sample=False)` with
                                  the float32 model and its default (dynamic, sliding-aware) cache

The prompt is longer than the sliding window, so generation runs the sliding layers past it. The
margins show how robust each greedy choice is to rounding. It also writes <fixtures>/README.md with
the versions used. Everything is seeded, so a rerun reproduces the files.
"""

import argparse
import json
import shutil
from pathlib import Path

import torch
import transformers
from transformers import AutoModelForCausalLM

MAX_FOLDER_BYTES = 300 * 1024
NEW_TOKENS = 64

# Each entry: folder name, source folder (relative to the Models fixtures), prompt length, seed.
SOURCES = [
    {"name": "dense_sliding", "source": "laguna/sliding_gqa_per_head", "prompt": 11, "seed": 7},
    {"name": "moe_sliding", "source": "laguna-sparse/moe_dense_sparse", "prompt": 11, "seed": 8},
]


def write_fixture(spec, models, root):
    source = models / spec["source"]
    folder = root / spec["name"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name in ["config.json", "model.safetensors"]:
        shutil.copyfile(source / name, folder / name)

    model = AutoModelForCausalLM.from_pretrained(
        folder, attn_implementation="eager", experts_implementation="eager", dtype=torch.float32
    )
    model.eval()
    window = model.config.sliding_window
    if spec["prompt"] <= window:
        raise SystemExit(f"{spec['name']}: the prompt must be longer than the window {window}")
    generator = torch.Generator().manual_seed(spec["seed"])
    prompt = torch.randint(0, model.config.vocab_size, (spec["prompt"],), generator=generator).tolist()
    with torch.no_grad():
        output = model.generate(
            torch.tensor([prompt]),
            attention_mask=torch.ones(1, len(prompt), dtype=torch.long),
            max_new_tokens=NEW_TOKENS,
            min_new_tokens=NEW_TOKENS,
            do_sample=False,
            output_scores=True,
            return_dict_in_generate=True,
            pad_token_id=0,
        )
    generated = output.sequences[0, len(prompt) :].tolist()
    if len(generated) != NEW_TOKENS:
        raise SystemExit(f"{spec['name']}: generated {len(generated)} tokens, expected {NEW_TOKENS}")
    margins = []
    for scores in output.scores:
        top = torch.topk(scores[0], 2).values
        margins.append(float(top[0] - top[1]))
    (folder / "generation.json").write_text(
        json.dumps({"prompt": prompt, "generated": generated, "margins": margins}) + "\n"
    )
    size = sum(path.stat().st_size for path in folder.iterdir())
    if size > MAX_FOLDER_BYTES:
        raise SystemExit(f"{spec['name']}: {size} bytes, over the {MAX_FOLDER_BYTES}-byte budget")
    return {"spec": spec, "window": window, "bytes": size, "min_margin": min(margins)}


def write_readme(root, results):
    lines = [
        "# Greedy-generation parity fixtures",
        "",
        "Written by `scripts/make_generation_fixtures.sh` (do not edit by hand) with",
        f"torch {torch.__version__} and transformers {transformers.__version__} on CPU, float32.",
        "",
        "Each folder holds a Models parity checkpoint (`config.json`, `model.safetensors`, copied from",
        "`Tests/ModelsTests/Fixtures/<source>`) and `generation.json`: a seeded prompt longer than the",
        f"sliding window and the {NEW_TOKENS} token ids that `generate(do_sample=False)` produced after it,",
        "with the top-1 minus top-2 logit margin of each greedy step.",
        "",
        "| folder | source | prompt tokens | window | smallest greedy margin | bytes |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        spec = result["spec"]
        lines.append(
            f"| {spec['name']} | {spec['source']} | {spec['prompt']} | {result['window']} "
            f"| {result['min_margin']:.3g} | {result['bytes']} |"
        )
    (root / "README.md").write_text("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=Path, required=True, help="the Models parity fixtures folder")
    parser.add_argument("--fixtures", type=Path, required=True, help="the output folder")
    arguments = parser.parse_args()
    torch.set_num_threads(1)
    arguments.fixtures.mkdir(parents=True, exist_ok=True)
    results = [write_fixture(spec, arguments.models, arguments.fixtures) for spec in SOURCES]
    write_readme(arguments.fixtures, results)
    for result in results:
        print(result["spec"]["name"], "smallest margin", result["min_margin"])


if __name__ == "__main__":
    main()
