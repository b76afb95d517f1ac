"""Sharded checkpoints, both ways (run through scripts/make_shard_fixtures.sh).

1. Reading: loads the sparse parity fixture (<fixtures>/laguna-sparse/moe_dense_sparse) with
   transformers and saves it with save_pretrained(max_shard_size="30KB") into
   <fixtures>/shards/transformers_sharded/: model-0000K-of-0000N.safetensors, the index,
   config.json, generation_config.json. The Swift tests read it and compare with the fixture.
2. Writing: `factory model init --max-shard-size 30KB` writes a checkpoint of the same shape (with a
   factory-trained tokenizer) in a scratch folder; transformers must load it with no missing or
   unexpected weights, its parameters must equal the shards' tensors, and
   check_transformers_pipeline.py must pass on it.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM

MAX_FOLDER_BYTES = 300 * 1024
TEXTS = [
    "The factory trains small models on text it curates itself.",
    "Shards split the weights into files of bounded size; an index names the file of each tensor.",
    "def add(a, b):\n    return a + b\n",
    "Numbers like 12, 345 and 6789 are split into pieces of at most three digits.",
] * 8


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--factory", required=True)
    parser.add_argument("--fixtures", required=True)
    args = parser.parse_args()
    fixtures = Path(args.fixtures)
    source = fixtures / "laguna-sparse" / "moe_dense_sparse"

    out = fixtures / "shards" / "transformers_sharded"
    shutil.rmtree(out, ignore_errors=True)
    model = AutoModelForCausalLM.from_pretrained(source, dtype=torch.float32)
    model.save_pretrained(out, max_shard_size="30KB")
    files = sorted(p.name for p in out.iterdir())
    size = sum(p.stat().st_size for p in out.iterdir())
    assert "model.safetensors.index.json" in files and size < MAX_FOLDER_BYTES, (files, size)
    print(f"transformers wrote {files} ({size} bytes) into {out}")

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS))
        tokenizer = scratch / "tokenizer.json"
        subprocess.run([args.factory, "tokenizer", "train", str(corpus), "--output", str(tokenizer), "--vocab-size", "300"],
                       check=True)
        config = json.loads((source / "config.json").read_text())
        config["vocab_size"] = 300
        config_path = scratch / "config.json"
        config_path.write_text(json.dumps(config))
        folder = scratch / "factory_sharded"
        subprocess.run([args.factory, "model", "init", "--config", str(config_path), "--seed", "7",
                        "--tokenizer", str(tokenizer), "--max-shard-size", "30KB", "--output", str(folder)], check=True)
        names = sorted(p.name for p in folder.iterdir())
        print("factory wrote", names)
        index = json.loads((folder / "model.safetensors.index.json").read_text())
        manifest = json.loads((folder / "factory.json").read_text())
        listed = {f["path"] for f in manifest["files"]}
        assert set(index["weight_map"].values()) | {"model.safetensors.index.json"} <= listed, listed
        loaded, info = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, output_loading_info=True)
        problems = {k: v for k, v in info.items() if v}
        assert not problems, problems
        on_disk = {}
        for shard in sorted(set(index["weight_map"].values())):
            on_disk.update(load_file(folder / shard))
        assert set(on_disk) == set(index["weight_map"]), "index and shards disagree"
        total = sum(t.numel() * t.element_size() for t in on_disk.values())
        assert index["metadata"]["total_size"] == total, (index["metadata"], total)
        resaved = scratch / "resaved"
        loaded.save_pretrained(resaved)
        again = load_file(resaved / "model.safetensors")
        assert set(again) == set(on_disk), sorted(set(again) ^ set(on_disk))
        for name, tensor in on_disk.items():
            assert torch.equal(again[name], tensor), name
        print(f"transformers loaded the factory's {len(index['weight_map'])} tensors in "
              f"{len(set(index['weight_map'].values()))} shards: no missing or unexpected keys, equal values")
        subprocess.run([sys.executable, str(Path(__file__).parent / "check_transformers_pipeline.py"), str(folder)],
                       check=True)


if __name__ == "__main__":
    main()
