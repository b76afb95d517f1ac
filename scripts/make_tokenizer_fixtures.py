"""Writes the tokenizer test fixtures under Tests/TokenizationTests/Fixtures/tokenizer/.

Run through scripts/make_tokenizer_fixtures.sh, which provides a venv with `regex` and `tokenizers`
and a built `factory` binary. Everything here is deterministic: rerunning with the same package
versions rewrites the same files.

  pretokenizer_cases.json  tricky texts and their pieces under the cl100k and GPT-2 patterns, as
                           the `regex` module's findall splits them (checked against tokenizers'
                           Split pre-tokenizer too)
  golden_texts.json        a few hundred mixed texts (prose, code, numbers, CJK, emoji, marks, ...)
  factory.tokenizer.json   trained by `factory tokenizer train` on the golden texts
  hf_cl100k.tokenizer.json trained by tokenizers (cl100k-style Split + ByteLevel, ignore_merges off)
  hf_gpt2.tokenizer.json   trained by tokenizers' ByteLevelBPETokenizer (GPT-2 pattern)
  *.expected.json          token ids from tokenizers for every golden text, per tokenizer file
"""

import json
import os
import random
import subprocess
import sys
import tempfile

import regex
import tokenizers
from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

CL100K = r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"""
GPT2 = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
SPECIALS = ["<|endoftext|>", "<|pad|>"]
VOCAB_SIZE = 700

TRICKY = [
    "",
    "hello world",
    "I'm sure it's John's; we'll see, they've gone, you'd know, we're here, can't won't",
    "I'M SURE IT'S JOHN'S; WE'LL SEE, THEY'VE GONE, YOU'D KNOW, WE'RE HERE",
    "Mixed: It'S We'Re They'Ve You'D I'M We'Ll",
    "'s 't 're 've 'm 'll 'd 'x '' ''s 'S'T",
    "long s: it'ſ, kelvin: 'K",
    "1 12 123 1234 12345 123456 1234567 3.14159 1,000,000 -42 +7 1e10 0x1F",
    "٣٤٥٦ ²³ ½ Ⅻ 𝟘𝟙𝟚𝟛",
    "line one\r\nline two\r\n\r\nline three\n",
    "trailing spaces   ",
    "trailing tab\t",
    "   leading spaces",
    "multiple    spaces   before  words",
    "tabs\tand\t\tmore\t \t tabs",
    "newline then spaces\n   indented\n\n\n  x",
    "spaces then newline   \n  next",
    "  \n\n  \t\n",
    " ",
    "\n",
    "\r",
    "a\u00a0b\u2003c\u3000d\u2028e\u0085f\u200bg",
    "emoji 👋🏽 family 👨‍👩‍👧‍👦 flags 🇫🇷🇯🇵 ok👍!",
    "日本語のテキストです。中文文本，没有空格。한국어 텍스트",
    "combining: e\u0301 a\u0300\u0301 n\u0303o cafe\u0301 Z\u0351\u0352a\u0353l\u0354g\u0355o",
    "Ελληνικά κείμενα και русский текст и العربية والعبرية עברית",
    "हिन्दी पाठ और ทดสอบภาษาไทย",
    "code: def f(x):\n    return x**2 + 1  # comment\n",
    "if (a && b) { c = d->e[0]; } else { return -1; }",
    "url https://example.com/path?q=1&r=2#frag and email a.b@c.de",
    "punct!!! ??? ... --- *** ((( ))) [[[ ]]]\n\n",
    "quotes \"double\" 'single' `back` «guillemets» „low“",
    "<|endoftext|> special <|pad|> tokens as text",
    "$100.00 €5 £3 ¥1000 50% #hashtag @mention",
    "x\r\ny\r\r\n z \n\r w",
    "end with punctuation.\n",
    "  ?!\n",
    "a ' b '' c",
    "\x00\x01\x1f control \x7f chars",
    "zero\u200dwidth\ufeffmarks",
]

WORDS = (
    "the of and to in is was for on that with as by at from his her this which or an be are were "
    "not but have had has it they their one all would there what so up out if about who get go me "
    "model token data training loss gradient mixture domain corpus shard merge vocabulary byte "
    "naïve café résumé Zürich São Paulo Ærø Łódź İstanbul straße"
).split()
CODE = [
    "for i in range(10):\n    print(i, i * i)\n",
    "let tokens = tokenizer.encode(text)\nprint(tokens.count)\n",
    "func add(_ a: Int, _ b: Int) -> Int { a + b }\n",
    "SELECT id, name FROM users WHERE age >= 18 ORDER BY name;\n",
    "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 42); return 0; }\n",
    "    if x != nil {\n        return x!\n    }\n",
    "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}\n",
]
FRAGMENTS = [
    "It's", "we're", "THEY'LL", "don't", "I'd", "2024-11-23", "10:30", "3.5%", "(see above)", "—",
    "…", "😀", "中文", "テスト", "e\u0301", "\t", "  ", "\r\n", "\n\n", "!!", "?", "1234567", "x=y+z",
]


def golden_texts():
    rng = random.Random(20241123)
    texts = [t for t in TRICKY if t]
    texts += CODE
    for _ in range(260):
        parts = []
        for _ in range(rng.randint(1, 24)):
            roll = rng.random()
            if roll < 0.6:
                word = rng.choice(WORDS)
                parts.append(word.capitalize() if rng.random() < 0.15 else word)
            elif roll < 0.8:
                parts.append(rng.choice(FRAGMENTS))
            elif roll < 0.9:
                parts.append(str(rng.randint(0, 10 ** rng.randint(1, 8))))
            else:
                parts.append(rng.choice(",.;:!?\"'()[]{}<>-_/\\|@#$%^&*+=~`"))
        separators = [rng.choice([" ", " ", " ", "", "  ", "\n", "\t", " \n", "\r\n"]) for _ in parts]
        texts.append("".join(p + s for p, s in zip(parts, separators)))
    for _ in range(30):
        texts.append("".join(rng.choice(CODE) for _ in range(rng.randint(1, 3))))
    return texts


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(value, out, ensure_ascii=False, indent=1)
        out.write("\n")


def pretokenizer_cases():
    split = {
        "cl100k": pre_tokenizers.Split(Regex(CL100K), behavior="isolated"),
        "gpt2": pre_tokenizers.Split(Regex(GPT2), behavior="isolated"),
    }
    cases = []
    for text in TRICKY:
        case = {"text": text}
        for name, pattern in (("cl100k", CL100K), ("gpt2", GPT2)):
            pieces = regex.findall(pattern, text)
            assert "".join(pieces) == text, (name, text)
            via_tokenizers = [piece for piece, _ in split[name].pre_tokenize_str(text)]
            if via_tokenizers != pieces:
                print(f"note: tokenizers' Split differs from regex for {name} on {text!r}", file=sys.stderr)
            case[name] = pieces
            # Piece ends as UTF-8 byte offsets: what the tests compare (Foundation drops a
            # leading U+FEFF from JSON strings, so the pieces themselves are for reading).
            ends, offset = [], 0
            for piece in pieces:
                offset += len(piece.encode("utf-8"))
                ends.append(offset)
            case[name + "_utf8_ends"] = ends
        cases.append(case)
    return cases


def write_expected(path, expected):
    """One line per text, so that a diff shows which texts changed."""
    with open(path, "w", encoding="utf-8") as out:
        out.write('{"tokenizers_version": %s, "ids": [\n' % json.dumps(expected["tokenizers_version"]))
        out.write(",\n".join(json.dumps(ids) for ids in expected["ids"]))
        out.write("\n]}\n")


def expected_ids(tokenizer_path, texts):
    tokenizer = Tokenizer.from_file(tokenizer_path)
    ids = []
    for text in texts:
        encoding = tokenizer.encode(text, add_special_tokens=False)
        assert tokenizer.decode(encoding.ids, skip_special_tokens=False) == text, (tokenizer_path, text)
        ids.append(encoding.ids)
    return {"tokenizers_version": tokenizers.__version__, "ids": ids}


def main():
    factory, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    write_json(os.path.join(out, "pretokenizer_cases.json"), pretokenizer_cases())
    texts = golden_texts()
    write_json(os.path.join(out, "golden_texts.json"), texts)

    with tempfile.TemporaryDirectory() as scratch:
        corpus = os.path.join(scratch, "corpus.jsonl")
        with open(corpus, "w", encoding="utf-8") as handle:
            for text in texts:
                handle.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        ours = os.path.join(out, "factory.tokenizer.json")
        subprocess.run(
            [factory, "tokenizer", "train", corpus, "--output", ours, "--vocab-size", str(VOCAB_SIZE)],
            check=True)
    write_expected(os.path.join(out, "factory.expected.json"), expected_ids(ours, texts))

    cl100k = Tokenizer(models.BPE())
    cl100k.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(CL100K), behavior="isolated"),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
    ])
    cl100k.decoder = decoders.ByteLevel()
    cl100k.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    path = os.path.join(out, "hf_cl100k.tokenizer.json")
    cl100k.save(path)
    write_expected(os.path.join(out, "hf_cl100k.expected.json"), expected_ids(path, texts))

    gpt2 = tokenizers.ByteLevelBPETokenizer()
    gpt2.train_from_iterator(
        texts, vocab_size=VOCAB_SIZE, min_frequency=2, special_tokens=SPECIALS, show_progress=False)
    path = os.path.join(out, "hf_gpt2.tokenizer.json")
    gpt2.save(path)
    write_expected(os.path.join(out, "hf_gpt2.expected.json"), expected_ids(path, texts))


if __name__ == "__main__":
    main()
