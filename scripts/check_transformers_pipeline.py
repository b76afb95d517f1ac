"""Checks that a factory-written checkpoint folder works unchanged in transformers'
pipeline("text-generation") with batching. Usage: check_transformers_pipeline.py FOLDER [PROMPT...]

It checks: the tokenizer's special tokens and left padding come from tokenizer_config.json; the
generation config stops at <|endoftext|> and <|im_end|>; greedy generation of prompts of different
lengths in one padded batch equals generating each alone; a generation whose first token is forced
to be <|endoftext|> (by a large sequence bias) stops there; the chat template renders with
reasoning on and off (when the tokenizer has the chat tokens). Prints what it found and exits
non-zero on the first failure.
"""

import sys
import warnings

import torch
from transformers import AutoTokenizer, pipeline


def main():
    folder = sys.argv[1]
    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    assert tokenizer.padding_side == "left", tokenizer.padding_side
    assert tokenizer.pad_token == "<|pad|>" and tokenizer.eos_token == "<|endoftext|>", (tokenizer.pad_token, tokenizer.eos_token)
    assert tokenizer("hello").input_ids == tokenizer.encode("hello", add_special_tokens=False), "a token was added"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        generator = pipeline("text-generation", model=folder, dtype=torch.float32, device="cpu")
    eos = generator.model.generation_config.eos_token_id
    end, pad = (tokenizer.convert_tokens_to_ids(t) for t in ("<|endoftext|>", "<|pad|>"))
    # Tokenizers trained before the chat tokens joined the standard ones have no <|im_end|> and
    # no chat template; the chat checks are skipped for them.
    chat = "<|im_end|>" in tokenizer.get_vocab()
    stops = [end, tokenizer.convert_tokens_to_ids("<|im_end|>")] if chat else [end]
    assert sorted(eos if isinstance(eos, list) else [eos]) == sorted(stops), eos
    assert generator.model.config.pad_token_id == pad and generator.model.config.eos_token_id == end

    prompts = ["The factory", "Shards split the weights into files", "def add(a, b):\n    return"]
    prompts = sys.argv[2:] or prompts
    settings = dict(max_new_tokens=6, do_sample=False, return_full_text=False)
    alone = [generator(p, **settings)[0]["generated_text"] for p in prompts]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        batched = [r[0]["generated_text"] for r in generator(prompts, batch_size=3, **settings)]
    padding_warnings = [str(w.message) for w in caught if "padding" in str(w.message).lower()]
    assert not padding_warnings, padding_warnings
    assert batched == alone, (batched, alone)
    print("batched (left-padded) greedy generation equals one at a time:", batched)

    stopped = generator(prompts, batch_size=3, max_new_tokens=6, do_sample=False, return_full_text=False,
                        sequence_bias={(end,): 100.0})
    texts = [r[0]["generated_text"] for r in stopped]
    assert texts == ["", "", ""], texts
    ids = generator.model.generate(**tokenizer(prompts, return_tensors="pt", padding=True), max_new_tokens=6,
                                   do_sample=False, sequence_bias={(end,): 100.0})
    assert all(row[-1].item() in (end, pad) for row in ids), ids
    print("generation stops at <|endoftext|> (eos from generation_config.json), batch padded with <|pad|>")

    if not chat:
        print("no chat tokens in this tokenizer: chat checks skipped")
        print("OK: the folder works unchanged in pipeline('text-generation') with batching")
        return
    messages = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}]
    off = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True, enable_thinking=False)
    on = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert off.endswith("<|im_start|>assistant\n<think>\n\n</think>\n\n") and on.endswith("<|im_start|>assistant\n<think>\n"), (off, on)
    chat = generator([messages], max_new_tokens=4, do_sample=False)
    print("chat pipeline:", repr(chat[0][0]["generated_text"][-1]))
    print("OK: the folder works unchanged in pipeline('text-generation') with batching")


if __name__ == "__main__":
    main()
