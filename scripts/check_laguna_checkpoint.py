"""Checks checkpoint interoperability between `factory` and Hugging Face transformers.

Run through scripts/check_laguna_checkpoint.sh. For each preset (dense and MoE by default), in a
temporary folder it

1. factory -> transformers: writes a fresh checkpoint with `factory model init` (a preset, small
   vocabulary), loads it with `AutoModelForCausalLM.from_pretrained` (no missing, unexpected or
   mismatched tensors allowed), and compares transformers' logits, loss and every parameter
   gradient (labels = input_ids) with `factory model logits` and `factory model grads` (the MoE
   routing correction bias takes no gradient in transformers; the factory's must be zero);
2. transformers -> factory: saves a randomly initialized `LagunaForCausalLM` of the same config with
   `save_pretrained`, requires the factory's `model.safetensors` to hold exactly the tensor names
   `save_pretrained` wrote (for MoE: one matrix per expert, `shared_expert`, the bias under
   `mlp.experts`), and compares `factory model logits` on that folder with transformers' logits.

Errors are max |factory - transformers| / max |transformers| per tensor. Exits non-zero when logits
or loss differ by more than 1e-4 or a gradient by more than 1e-3 (the parity tolerances of issue 5).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import torch
import transformers
from safetensors.torch import load_file
from transformers import AutoModelForCausalLM, LagunaConfig, LagunaForCausalLM

LOGITS_TOLERANCE = 1e-4
GRADIENT_TOLERANCE = 1e-3


def relative_error(value, reference):
    reference = reference.double()
    return ((value.double() - reference).abs().max() / reference.abs().max().clamp_min(1e-30)).item()


def factory(binary, *arguments):
    subprocess.run([binary, *map(str, arguments)], check=True)


def load_transformers(folder):
    model, info = AutoModelForCausalLM.from_pretrained(
        folder, attn_implementation="eager", dtype=torch.float32, output_loading_info=True
    )
    problems = {key: value for key, value in info.items() if value}
    if problems:
        raise SystemExit(f"from_pretrained({folder}) reported {problems}")
    return model


def factory_to_transformers(args, work, tokens):
    folder = work / "factory-checkpoint"
    factory(args.factory, "model", "init", "--preset", args.current_preset, "--vocab-size", args.vocab_size,
            "--seed", args.seed, "--output", folder)
    factory(args.factory, "model", "logits", "--model", folder, "--tokens", work / "ids.json",
            "--output", work / "logits.safetensors")
    factory(args.factory, "model", "grads", "--model", folder, "--tokens", work / "ids.json",
            "--output", work / "grads.safetensors")
    ours_logits = load_file(work / "logits.safetensors")["logits"]
    ours = load_file(work / "grads.safetensors")

    model = load_transformers(folder)
    input_ids = torch.tensor([tokens])
    output = model(input_ids=input_ids, labels=input_ids)
    output.loss.backward()
    results = {
        "logits": relative_error(ours_logits, output.logits[0].detach()),
        "loss": relative_error(ours["loss"].reshape(()), output.loss.detach()),
    }
    gradient_errors = {}
    for name, parameter in model.named_parameters():
        if name not in ours:
            raise SystemExit(f"factory model grads wrote no gradient for {name}")
        if parameter.grad is None:
            if ours[name].abs().max().item() != 0:
                raise SystemExit(f"{name} takes no gradient in transformers, but factory's is non-zero")
            continue
        gradient_errors[name] = relative_error(ours[name], parameter.grad)
    no_gradient = {name for name, parameter in model.named_parameters() if parameter.grad is None}
    extra = set(ours) - {"loss"} - set(gradient_errors) - no_gradient
    if extra:
        raise SystemExit(f"factory model grads wrote tensors transformers does not have: {sorted(extra)}")
    worst = max(gradient_errors, key=gradient_errors.get)
    results["gradients"] = gradient_errors[worst]
    results["worst_gradient"] = worst
    results["parameters"] = sum(p.numel() for p in model.parameters())
    results["loss_value"] = output.loss.item()
    return results, model.config


def transformers_to_factory(args, work, tokens, config):
    folder = work / "transformers-checkpoint"
    torch.manual_seed(args.seed)
    model = LagunaForCausalLM._from_config(
        LagunaConfig(**config.to_dict()), attn_implementation="eager", dtype=torch.float32
    )
    model.save_pretrained(folder)
    theirs = set(load_file(folder / "model.safetensors"))
    ours = set(load_file(work / "factory-checkpoint" / "model.safetensors"))
    if theirs != ours:
        raise SystemExit(f"tensor names differ from save_pretrained's: only factory {sorted(ours - theirs)[:8]}, "
                         f"only transformers {sorted(theirs - ours)[:8]}")
    factory(args.factory, "model", "logits", "--model", folder, "--tokens", work / "ids.json",
            "--output", work / "reverse-logits.safetensors")
    ours = load_file(work / "reverse-logits.safetensors")["logits"]
    with torch.no_grad():
        reference = model(input_ids=torch.tensor([tokens])).logits[0]
    return {"logits": relative_error(ours, reference)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factory", required=True, help="the factory binary")
    parser.add_argument("--preset", nargs="+", default=["laguna-tiny", "laguna-tiny-moe"])
    parser.add_argument("--vocab-size", type=int, default=512)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tokens", type=int, default=300, help="sequence length (longer than the window)")
    parser.add_argument("--keep", help="write into this folder instead of a temporary one")
    args = parser.parse_args()
    torch.set_num_threads(1)

    ok = True
    for preset in args.preset:
        with tempfile.TemporaryDirectory() as temporary:
            work = Path(args.keep or temporary) / preset
            work.mkdir(parents=True, exist_ok=True)
            generator = torch.Generator().manual_seed(args.seed)
            tokens = torch.randint(0, args.vocab_size, (args.tokens,), generator=generator).tolist()
            (work / "ids.json").write_text(json.dumps(tokens))

            args.current_preset = preset
            forward, config = factory_to_transformers(args, work, tokens)
            reverse = transformers_to_factory(args, work, tokens, config)

        print(f"transformers {transformers.__version__}, torch {torch.__version__}; {preset}, vocab "
              f"{args.vocab_size}, {forward['parameters']} parameters, {args.tokens} tokens")
        print(f"  factory -> transformers: logits {forward['logits']:.2e}, loss {forward['loss']:.2e} "
              f"(loss {forward['loss_value']:.6f}), worst gradient {forward['gradients']:.2e} ({forward['worst_gradient']})")
        print(f"  transformers -> factory: logits {reverse['logits']:.2e}, tensor names as save_pretrained writes them")
        ok = ok and (max(forward["logits"], forward["loss"], reverse["logits"]) <= LOGITS_TOLERANCE
                     and forward["gradients"] <= GRADIENT_TOLERANCE)
    print("OK" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
