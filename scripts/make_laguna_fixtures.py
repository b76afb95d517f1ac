"""Writes the Hugging Face parity fixtures that the Swift tests compare against.

Run through scripts/make_laguna_fixtures.sh, which builds the throwaway environment (torch, transformers,
safetensors). For each small random Laguna config it writes, under <fixtures>/laguna/<name>/ (and the
sparse-layer config under <fixtures>/laguna-sparse/<name>/):

  config.json, model.safetensors  the checkpoint, from LagunaForCausalLM.save_pretrained (float32)
  tokens.json                     one token sequence, a JSON list of ints
  expected.safetensors            `logits` [T, V] and `loss` (a 0-d scalar: mean next-token
                                  cross-entropy with labels = tokens, as `labels=input_ids` in
                                  transformers), and one gradient per trainable parameter under its
                                  `named_parameters()` name

It also writes the safetensors reader fixtures under <fixtures>/safetensors/ and the README of
<fixtures>/laguna/ with the versions used. Everything is seeded, so a rerun reproduces the files.
"""

import argparse
import json
import re
import shutil
from pathlib import Path

import safetensors
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import AutoModelForCausalLM, LagunaConfig, LagunaForCausalLM

MAX_FOLDER_BYTES = 200 * 1024

# Each entry: folder, parent folder, sequence length, seed, and LagunaConfig arguments.
CONFIGS = [
    {
        "name": "sliding_gqa_per_head",
        "summary": "sliding/full/sliding, window 4, GQA 4,2,4 heads over 2 KV heads, per-head gate (True), "
        "partial rotary 0.5 on full layers",
        "group": "laguna",
        "tokens": 12,
        "seed": 1,
        "config": dict(
            vocab_size=64,
            hidden_size=32,
            intermediate_size=24,
            num_hidden_layers=3,
            num_attention_heads=4,
            num_key_value_heads=2,
            num_attention_heads_per_layer=[4, 2, 4],
            head_dim=8,
            layer_types=["sliding_attention", "full_attention", "sliding_attention"],
            mlp_layer_types=["dense", "dense", "dense"],
            sliding_window=4,
            rope_parameters={
                "full_attention": {"rope_type": "default", "rope_theta": 500000.0, "partial_rotary_factor": 0.5},
                "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 1.0},
            },
            gating=True,
            tie_word_embeddings=False,
            initializer_range=0.2,
        ),
    },
    {
        "name": "per_element_partial",
        "summary": "full/sliding/full, window 3, head_dim 16, 2,1,3 heads over 1 KV head, per-element gate, "
        "partial rotary 0.25 (theta 1e4) on full and 1.0 (theta 100) on sliding layers",
        "group": "laguna",
        "tokens": 16,
        "seed": 2,
        "config": dict(
            vocab_size=64,
            hidden_size=32,
            intermediate_size=16,
            num_hidden_layers=3,
            num_attention_heads=2,
            num_key_value_heads=1,
            num_attention_heads_per_layer=[2, 1, 3],
            head_dim=16,
            layer_types=["full_attention", "sliding_attention", "full_attention"],
            mlp_layer_types=["dense", "dense", "dense"],
            sliding_window=3,
            rope_parameters={
                "full_attention": {"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.25},
                "sliding_attention": {"rope_type": "default", "rope_theta": 100.0, "partial_rotary_factor": 1.0},
            },
            gating="per-element",
            tie_word_embeddings=False,
            initializer_range=0.25,
            rms_norm_eps=1e-5,
        ),
    },
    {
        "name": "tied_per_head_mha",
        "summary": "full/sliding, window 5, 4 heads over 4 KV heads, per-head gate (\"per-head\"), tied embeddings, "
        "partial rotary 1.0 (theta 1e6) on full and 0.5 on sliding layers",
        "group": "laguna",
        "tokens": 14,
        "seed": 3,
        "config": dict(
            vocab_size=80,
            hidden_size=32,
            intermediate_size=32,
            num_hidden_layers=2,
            num_attention_heads=4,
            num_key_value_heads=4,
            head_dim=8,
            layer_types=["full_attention", "sliding_attention"],
            mlp_layer_types=["dense", "dense"],
            sliding_window=5,
            rope_parameters={
                "full_attention": {"rope_type": "default", "rope_theta": 1000000.0, "partial_rotary_factor": 1.0},
                "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 0.5},
            },
            gating="per-head",
            tie_word_embeddings=True,
            initializer_range=0.15,
        ),
    },
    {
        "name": "moe_dense_sparse",
        "summary": "dense then two sparse layers: 4 experts, top 2, one shared expert, router soft-cap 5, "
        "routed scaling 2.5, random e_score_correction_bias; sliding/full/sliding, window 4",
        "group": "laguna-sparse",
        "tokens": 12,
        "seed": 4,
        "config": dict(
            vocab_size=64,
            hidden_size=32,
            intermediate_size=24,
            num_hidden_layers=3,
            num_attention_heads=2,
            num_key_value_heads=1,
            head_dim=8,
            layer_types=["sliding_attention", "full_attention", "sliding_attention"],
            mlp_layer_types=["dense", "sparse", "sparse"],
            sliding_window=4,
            rope_parameters={
                "full_attention": {"rope_type": "default", "rope_theta": 500000.0, "partial_rotary_factor": 0.5},
                "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0, "partial_rotary_factor": 1.0},
            },
            gating=True,
            tie_word_embeddings=False,
            num_experts=4,
            num_experts_per_tok=2,
            moe_intermediate_size=8,
            shared_expert_intermediate_size=8,
            moe_routed_scaling_factor=2.5,
            moe_router_logit_softcapping=5.0,
            initializer_range=0.2,
        ),
    },
]


def build_model(spec, dtype):
    """The seeded model of `spec`: HF init, then norm weights and correction biases made non-trivial."""
    torch.manual_seed(spec["seed"])
    config = LagunaConfig(**spec["config"])
    model = LagunaForCausalLM._from_config(
        config, attn_implementation="eager", experts_implementation="eager", dtype=torch.float32
    )
    generator = torch.Generator().manual_seed(1000 + spec["seed"])
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            # RMSNorm weights start at 1 and the correction bias at 0: move them so that a
            # forgotten multiply or add shows up.
            if name.endswith("norm.weight"):
                parameter.copy_(0.5 + torch.rand(parameter.shape, generator=generator))
            elif name.endswith("e_score_correction_bias"):
                parameter.copy_(0.05 * torch.randn(parameter.shape, generator=generator))
    return model.to(dtype)


def run(model, tokens):
    """Logits, loss and gradients by parameter name for one sequence."""
    model.zero_grad(set_to_none=True)
    input_ids = torch.tensor([tokens])
    output = model(input_ids=input_ids, labels=input_ids)
    output.loss.backward()
    gradients = {
        name: parameter.grad.detach().clone()
        for name, parameter in model.named_parameters()
        if parameter.grad is not None
    }
    return output.logits[0].detach().clone(), output.loss.detach().clone(), gradients


def router_margin(model, tokens):
    """The smallest gap between the k-th and (k+1)-th expert score over all tokens and sparse layers,
    so that a reader can tell how robust the fixture's expert choice is to rounding."""
    margins = []

    def hook(module, inputs, _output):
        hidden = inputs[0].reshape(-1, module.hidden_dim).double()
        logits = hidden @ module.weight.double().T
        if module.router_logit_softcapping > 0:
            cap = module.router_logit_softcapping
            logits = torch.tanh(logits / cap) * cap
        scores = torch.sigmoid(logits) + module.e_score_correction_bias.double()
        top = torch.topk(scores, module.top_k + 1, dim=-1).values
        margins.append(float((top[:, module.top_k - 1] - top[:, module.top_k]).min()))

    handles = [
        layer.mlp.gate.register_forward_hook(hook) for layer in model.model.layers if hasattr(layer.mlp, "gate")
    ]
    with torch.no_grad():
        model(input_ids=torch.tensor([tokens]))
    for handle in handles:
        handle.remove()
    return min(margins) if margins else None


def relative_error(value, reference):
    return float((value.double() - reference).abs().max() / reference.abs().max().clamp_min(1e-30))


def write_fixture(spec, root):
    folder = root / spec["group"] / spec["name"]
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)

    model = build_model(spec, torch.float32)
    generator = torch.Generator().manual_seed(2000 + spec["seed"])
    tokens = torch.randint(0, model.config.vocab_size, (spec["tokens"],), generator=generator).tolist()

    logits, loss, gradients = run(model, tokens)
    model.save_pretrained(folder, safe_serialization=True)
    (folder / "tokens.json").write_text(json.dumps(tokens) + "\n")
    expected = {"logits": logits.contiguous(), "loss": loss.contiguous()}
    for name, gradient in gradients.items():
        expected[name] = gradient.contiguous()
    save_file(
        expected,
        folder / "expected.safetensors",
        # One key only: the reference writer orders metadata keys by hash, so two would make reruns differ.
        metadata={"generated_by": f"transformers {transformers.__version__}, torch {torch.__version__}"},
    )

    # Sanity: the saved directory loads through the Auto classes and reproduces the logits bit for bit.
    reloaded = AutoModelForCausalLM.from_pretrained(folder, attn_implementation="eager", experts_implementation="eager")
    with torch.no_grad():
        reloaded_logits = reloaded(input_ids=torch.tensor([tokens])).logits[0]
    if not torch.equal(reloaded_logits, logits):
        raise SystemExit(f"{spec['name']}: logits differ after save_pretrained/from_pretrained")
    saved = load_file(folder / "model.safetensors")
    for name, parameter in model.state_dict().items():
        if name in saved and not torch.equal(saved[name], parameter):
            raise SystemExit(f"{spec['name']}: saved tensor {name} differs from the model")

    # How far float32 transformers itself is from float64: the floor for any tolerance.
    logits64, loss64, gradients64 = run(build_model(spec, torch.float64), tokens)
    gradient_error = max(relative_error(gradients[name], gradients64[name]) for name in gradients)

    size = sum(path.stat().st_size for path in folder.iterdir())
    if size > MAX_FOLDER_BYTES:
        raise SystemExit(f"{spec['name']}: {size} bytes, over the {MAX_FOLDER_BYTES}-byte budget")
    return {
        "spec": spec,
        "folder": folder.relative_to(root),
        "bytes": size,
        "loss": float(loss),
        "logits_error": relative_error(logits, logits64),
        "loss_error": abs(float(loss) - float(loss64)) / abs(float(loss64)),
        "gradient_error": gradient_error,
        "parameters": [name for name, _ in model.named_parameters()],
        "gradients": list(gradients),
        "margin": router_margin(model, tokens),
        "config_keys": sorted(json.loads((folder / "config.json").read_text())),
        "saved": list(saved),
    }


def write_safetensors_fixtures(root):
    """Files written by the Python safetensors package for the Swift reader's tests.

    python_f32 and python_bf16 hold a single dtype each, so the Swift writer must reproduce them byte
    for byte; python_mixed holds every float dtype next to its float32 widening (`<name>_as_f32`).
    """
    folder = root / "safetensors"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    save_file(
        {
            "a.weight": torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.25 - 1,
            "scalar": torch.tensor(3.5),
            "empty": torch.zeros(0, 3),
            'odd "name" \\ é\t': torch.tensor([1e-38, -2.5e30]),
            "layers.10.w": torch.tensor([[float("inf")], [-0.0]]),
        },
        folder / "python_f32.safetensors",
        metadata={"note": 'tab\t, quote ", backslash \\, é, control \x01'},
    )
    save_file(
        {
            "w": (torch.arange(12, dtype=torch.float32) * 0.1 - 0.5).reshape(3, 4).to(torch.bfloat16),
            "v": torch.tensor([1e30, -1e-30, float("inf"), -0.0, float("nan")]).to(torch.bfloat16),
        },
        folder / "python_bf16.safetensors",
    )
    source = torch.linspace(-3, 3, 10, dtype=torch.float64) ** 3
    mixed = {
        "f64": source.reshape(2, 5),
        "f32": source.float().reshape(5, 2),
        "bf16": source.to(torch.bfloat16),
        "f16": source.to(torch.float16).reshape(1, 10),
        "f8": source.to(torch.float8_e4m3fn),
    }
    for name in ["f64", "bf16", "f16", "f8"]:
        mixed[f"{name}_as_f32"] = mixed[name].float()
    save_file(mixed, folder / "python_mixed.safetensors", metadata={"format": "pt"})


def write_readme(root, results):
    lines = [
        "# Laguna parity fixtures",
        "",
        "Made by `scripts/make_laguna_fixtures.sh` (which runs `scripts/make_laguna_fixtures.py` in a throwaway",
        "virtual environment; CI never runs it). To regenerate: `scripts/make_laguna_fixtures.sh` from the",
        "repository root; the venv goes to `/tmp/laguna-venv` unless `LAGUNA_VENV` names another place.",
        "Everything is seeded: a rerun with the same versions reproduces the files.",
        "",
        f"Versions: transformers {transformers.__version__}, torch {torch.__version__}, "
        f"safetensors {safetensors.__version__}; float32, `attn_implementation=\"eager\"`, "
        "`experts_implementation=\"eager\"`.",
        "",
        "Each folder holds `config.json` and `model.safetensors` (from `save_pretrained`, F32), `tokens.json`",
        "(one sequence), and `expected.safetensors`: `logits` [T, V] float32, `loss` (0-d scalar: mean",
        "cross-entropy over the T-1 next-token predictions, transformers' `labels=input_ids`), and one",
        "gradient per parameter that receives one, under its `model.named_parameters()` name. Norm",
        "weights are drawn from U(0.5, 1.5) (and MoE correction biases from N(0, 0.05²)) instead of",
        "their constant initial values, so that every term matters.",
        "",
        "`laguna/` holds dense-MLP configs; `laguna-sparse/` holds a config with MoE layers for the",
        "sparse-layer work. The relative errors below compare float32 transformers with the same model",
        "in float64 (max |Δ| / max |reference|): they are the noise floor of the fixtures.",
        "",
        "| folder | T | loss | bytes | logits err | loss err | grad err (worst) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        lines.append(
            f"| `{result['folder']}` | {result['spec']['tokens']} | {result['loss']:.6f} | {result['bytes']} | "
            f"{result['logits_error']:.1e} | {result['loss_error']:.1e} | {result['gradient_error']:.1e} |"
        )
    lines.append("")
    for result in results:
        lines += [f"## {result['spec']['name']}", "", result["spec"]["summary"] + ".", ""]
        if result["margin"] is not None:
            lines += [
                f"Smallest gap between the k-th and (k+1)-th expert selection score: {result['margin']:.2e}.",
                "",
            ]
        lines.append("Parameters in `named_parameters()` order, layers folded as `{i}`; * marks those without a gradient:")
        lines.append("")
        templates = []
        for name in result["parameters"]:
            template = re.sub(r"^model\.layers\.\d+\.", "model.layers.{i}.", name)
            entry = f"- `{template}`" + ("" if name in result["gradients"] else " *")
            if entry not in templates:
                templates.append(entry)
        lines += templates + [""]
        named = set(result["parameters"])
        if set(result["saved"]) != named:
            lines += [
                "`model.safetensors` does not use these names: `save_pretrained` reverses transformers' Laguna",
                "checkpoint conversion (experts split per expert, `shared_expert` singular, the correction bias",
                "under `mlp.experts`), which `from_pretrained` applies again on load. Its names, folded as",
                "`{i}` (layer) and `{e}` (expert):",
                "",
            ]
            saved_templates = []
            for name in result["saved"]:
                template = re.sub(r"^model\.layers\.\d+\.", "model.layers.{i}.", name)
                template = re.sub(r"\.experts\.\d+\.", ".experts.{e}.", template)
                if template not in saved_templates:
                    saved_templates.append(template)
            lines += [f"- `{template}`" for template in saved_templates] + [""]
    lines += ["## config.json keys", "", ", ".join(f"`{key}`" for key in results[0]["config_keys"]), ""]
    (root / "laguna" / "README.md").write_text("\n".join(lines))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", type=Path, required=True, help="Tests/ModelsTests/Fixtures")
    arguments = parser.parse_args()
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    results = [write_fixture(spec, arguments.fixtures) for spec in CONFIGS]
    write_safetensors_fixtures(arguments.fixtures)
    write_readme(arguments.fixtures, results)
    for result in results:
        print(f"{result['folder']}: {result['bytes']} bytes, loss {result['loss']:.6f}, "
              f"float32-vs-float64 logits {result['logits_error']:.1e}, grads {result['gradient_error']:.1e}")


if __name__ == "__main__":
    main()
