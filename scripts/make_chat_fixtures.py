"""Chat-format parity fixtures (run through scripts/make_chat_fixtures.sh).

Trains a small tokenizer with `factory tokenizer train`, writes a tiny checkpoint with it through
`factory model init --tokenizer` (which writes tokenizer_config.json with the factory's chat
template), and copies tokenizer.json and tokenizer_config.json into the output folder. Then
transformers' AutoTokenizer renders and tokenizes conversations with apply_chat_template; cases.json
holds, per case, the messages (reasoning as `reasoning_content`), the flags, the rendered text and
the token ids. The Swift tests render the same conversations with ChatFormat and must match both.
resaved/ holds the tokenizer as transformers' save_pretrained writes it back (chat_template.jinja
apart), which the factory must read the same way.
"""

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from transformers import AutoTokenizer

TEXTS = [
    "You are a helpful assistant. Answer briefly.",
    "What is the capital of France? The capital of France is Paris.",
    "Let me think step by step: 2 + 2 = 4, so the answer is 4.",
    "Übersetze bitte: naïve café, 日本語のテキスト, emoji 👋🏽 and “quotes”.",
    "def add(a, b):\n    return a + b\n",
] * 6

SYSTEM = {"role": "system", "content": "You are a helpful assistant. Answer briefly."}
CONVERSATIONS = {
    "single_user": [{"role": "user", "content": "What is the capital of France?"}],
    "system_and_user": [SYSTEM, {"role": "user", "content": "What is 2 + 2?"}],
    "multi_turn": [
        SYSTEM,
        {"role": "user", "content": "Hi!"},
        {"role": "assistant", "content": "Hello. How can I help?"},
        {"role": "user", "content": "Add 2 and 2."},
    ],
    "assistant_reasoning": [
        {"role": "user", "content": "What is 2 + 2?"},
        {"role": "assistant", "content": "4", "reasoning_content": "2 + 2 = 4, so the answer is 4."},
        {"role": "user", "content": "And 3 + 3?"},
    ],
    "empty_reasoning_and_last_assistant": [
        SYSTEM,
        {"role": "user", "content": "Say hi."},
        {"role": "assistant", "content": "Hi.", "reasoning_content": ""},
    ],
    "unicode_and_code": [
        {"role": "user", "content": "Übersetze: naïve café, 日本語のテキスト 👋🏽 “quotes”\n\ndef add(a, b):\n    return a + b\n"},
        {"role": "assistant", "content": "Käse 🧀\n", "reasoning_content": "Multi-line\nreasoning with\ttabs."},
        {"role": "user", "content": "  leading and trailing spaces  "},
    ],
    "special_token_text_in_content": [
        {"role": "user", "content": "What does <think> mean? And <|im_end|>?"},
    ],
}


def ids_of(value):
    if isinstance(value, dict) or hasattr(value, "keys"):
        value = value["input_ids"]
    return [int(i) for i in value]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--factory", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        corpus = scratch / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in TEXTS), encoding="utf-8")
        tokenizer = scratch / "tokenizer.json"
        subprocess.run([args.factory, "tokenizer", "train", str(corpus), "--output", str(tokenizer), "--vocab-size", "400"],
                       check=True)
        config = {"model_type": "laguna", "vocab_size": 400, "hidden_size": 16, "intermediate_size": 32,
                  "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "head_dim": 8,
                  "layer_types": ["full_attention"], "mlp_layer_types": ["dense"], "max_position_embeddings": 2048}
        (scratch / "config.json").write_text(json.dumps(config))
        folder = scratch / "model"
        subprocess.run([args.factory, "model", "init", "--config", str(scratch / "config.json"), "--seed", "1",
                        "--tokenizer", str(tokenizer), "--output", str(folder)], check=True)
        for name in ("tokenizer.json", "tokenizer_config.json"):
            shutil.copy(folder / name, out / name)
    hf = AutoTokenizer.from_pretrained(out)
    # As transformers saves the tokenizer again (after a fine-tune, say): chat_template.jinja
    # beside a tokenizer_config.json without the template.
    hf.save_pretrained(out / "resaved")
    cases = []
    for name, messages in CONVERSATIONS.items():
        for add_generation_prompt in (True, False):
            for enable_thinking in (True, False, None):
                if not add_generation_prompt and enable_thinking is not None:
                    continue
                kwargs = {"add_generation_prompt": add_generation_prompt}
                if enable_thinking is not None:
                    kwargs["enable_thinking"] = enable_thinking
                text = hf.apply_chat_template(messages, tokenize=False, **kwargs)
                ids = ids_of(hf.apply_chat_template(messages, tokenize=True, **kwargs))
                assert ids == hf.encode(text, add_special_tokens=False), name
                assert hf.decode(ids) == text, name
                cases.append({"name": name, "messages": messages, "add_generation_prompt": add_generation_prompt,
                              "enable_thinking": enable_thinking, "text": text, "ids": ids})
    with open(out / "cases.json", "w", encoding="utf-8") as handle:
        json.dump(cases, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{len(cases)} cases, {size} bytes in {out}")


if __name__ == "__main__":
    main()
