"""Reference side of bench/tokenizer.sh: the bench corpus, and encode throughput of Hugging Face
`tokenizers` and `tiktoken` on the factory's own vocabulary.

  tokenizer_reference.py corpus OUT.jsonl MAX_BYTES
      one JSON document per file, alternating the Python standard library's .py files (code)
      with /usr/share/common-licenses and /usr/share/doc/*/copyright (prose), in sorted order,
      up to MAX_BYTES of text
  tokenizer_reference.py measure tokenizers|tiktoken TOKENIZER.json DOCS.jsonl THREADS SECONDS
      prints mb_per_s, ids_sha256 (same definition as `factory bench tokenizer`) and, for
      tiktoken, the share of documents whose ids equal tokenizers' ids
"""

import glob
import hashlib
import itertools
import json
import os
import struct
import sys
import sysconfig
import time


def corpus(out, max_bytes):
    stdlib = sysconfig.get_paths()["stdlib"]
    code = sorted(glob.glob(os.path.join(stdlib, "**", "*.py"), recursive=True))
    code = [p for p in code if "site-packages" not in p and "/test" not in p]
    prose = sorted(glob.glob("/usr/share/common-licenses/*")) + sorted(glob.glob("/usr/share/doc/*/copyright"))
    total = 0
    with open(out, "w", encoding="utf-8") as handle:
        # Alternate code and prose so that any prefix holds both.
        for path in (p for pair in itertools.zip_longest(code, prose) for p in pair if p):
            if not os.path.isfile(path):
                continue
            with open(path, "rb") as source:
                text = source.read().decode("utf-8", errors="replace")
            if not text or "<|" in text or len(text) > 200_000:
                continue
            handle.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
            total += len(text.encode("utf-8"))
            if total >= max_bytes:
                break
    print(f"corpus: {total} bytes -> {out}")


def ids_digest(all_ids):
    digest = hashlib.sha256()
    for ids in all_ids:
        digest.update(struct.pack(f"<{len(ids)}I", *ids))
    return digest.hexdigest()


def timed(function, seconds):
    function()
    passes, start = 0, time.perf_counter()
    while True:
        function()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return passes, elapsed


def tiktoken_encoding(tokenizer_path):
    import tiktoken

    data = json.load(open(tokenizer_path, encoding="utf-8"))
    byte_of = {}
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    extra = 0
    for byte in range(256):
        if byte in printable:
            byte_of[chr(byte)] = byte
        else:
            byte_of[chr(256 + extra)] = byte
            extra += 1
    specials = {token["content"]: token["id"] for token in data["added_tokens"]}
    ranks = {}
    for token, rank in data["model"]["vocab"].items():
        if token not in specials:
            ranks[bytes(byte_of[c] for c in token)] = rank
    pattern = data["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"]
    return tiktoken.Encoding(name="factory", pat_str=pattern, mergeable_ranks=ranks, special_tokens=specials)


def measure(kind, tokenizer_path, docs_path, threads, seconds):
    docs = [json.loads(line)["text"] for line in open(docs_path, encoding="utf-8")]
    size = sum(len(d.encode("utf-8")) for d in docs)
    from tokenizers import Tokenizer

    hf = Tokenizer.from_file(tokenizer_path)
    hf_batch = getattr(hf, "encode_batch_fast", hf.encode_batch)
    if kind == "tokenizers":
        passes, elapsed = timed(lambda: hf_batch(docs, add_special_tokens=False), seconds)
        ids = [e.ids for e in hf.encode_batch(docs, add_special_tokens=False)]
        agreement = None
    else:
        encoding = tiktoken_encoding(tokenizer_path)
        if threads == 1:
            passes, elapsed = timed(lambda: [encoding.encode_ordinary(d) for d in docs], seconds)
        else:
            passes, elapsed = timed(lambda: encoding.encode_ordinary_batch(docs, num_threads=threads), seconds)
        ids = [encoding.encode_ordinary(d) for d in docs]
        reference = [e.ids for e in hf.encode_batch(docs, add_special_tokens=False)]
        agreement = sum(a == b for a, b in zip(ids, reference)) / len(docs)
    print(f"mb_per_s: {size * passes / elapsed / 1e6:.2f}")
    print(f"ids_sha256: {ids_digest(ids)}")
    if agreement is not None:
        print(f"docs_equal_to_tokenizers: {agreement * 100:.2f}%")


if __name__ == "__main__":
    if sys.argv[1] == "corpus":
        corpus(sys.argv[2], int(sys.argv[3]))
    else:
        measure(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), float(sys.argv[6]))
