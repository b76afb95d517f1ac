import FactoryCore

/// Writes Hugging Face `tokenizer.json`, laid out as `tokenizers` writes it (vocabulary in id
/// order, merges as `["a", "b"]` pairs), byte for byte the same for the same tokenizer.
extension Tokenizer {
    /// Writes `tokenizer.json` to `path` atomically.
    public func save(toPath path: String) throws {
        try AtomicFile.write(jsonBytes(), toPath: path)
    }

    /// The `tokenizer.json` contents.
    public func jsonBytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(vocabularySize * 32)
        func raw(_ text: String) { out.append(contentsOf: text.utf8) }
        func string(_ text: String) { JSONText.appendString(text, to: &out) }
        func flag(_ value: Bool) { raw(value ? "true" : "false") }

        raw("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
        for (index, token) in addedTokens.enumerated() {
            raw(index == 0 ? "\n" : ",\n")
            raw("    {\n      \"id\": \(token.id),\n      \"content\": ")
            string(token.content)
            raw(",\n      \"single_word\": false,\n      \"lstrip\": false,\n      \"rstrip\": false,\n      \"normalized\": ")
            flag(token.normalized)
            raw(",\n      \"special\": ")
            flag(token.special)
            raw("\n    }")
        }
        raw(addedTokens.isEmpty ? "],\n" : "\n  ],\n")
        raw("  \"normalizer\": null,\n  \"pre_tokenizer\": ")
        switch preTokenizer.pattern {
        case .gpt2:
            raw("{\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": false,\n    \"trim_offsets\": true,\n    \"use_regex\": true\n  },\n")
        case .cl100k:
            raw(
                "{\n    \"type\": \"Sequence\",\n    \"pretokenizers\": [\n      {\n        \"type\": \"Split\",\n        \"pattern\": {\n          \"Regex\": "
            )
            string(preTokenizer.pattern.regex)
            raw("\n        },\n        \"behavior\": \"Isolated\",\n        \"invert\": false\n      },\n")
            raw(
                "      {\n        \"type\": \"ByteLevel\",\n        \"add_prefix_space\": false,\n        \"trim_offsets\": true,\n        \"use_regex\": false\n      }\n    ]\n  },\n"
            )
        }
        raw("  \"post_processor\": null,\n")
        raw(
            "  \"decoder\": {\n    \"type\": \"ByteLevel\",\n    \"add_prefix_space\": true,\n    \"trim_offsets\": true,\n    \"use_regex\": true\n  },\n"
        )
        raw("  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": ")
        if let unknownToken { string(unknownToken) } else { raw("null") }
        raw(",\n    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": ")
        flag(fuseUnknown)
        raw(",\n    \"byte_fallback\": false,\n    \"ignore_merges\": ")
        flag(ignoreMerges)
        raw(",\n    \"vocab\": {")
        var first = true
        for (id, token) in vocabulary.enumerated() {
            guard let token else { continue }
            raw(first ? "\n      " : ",\n      ")
            first = false
            string(token)
            raw(": \(id)")
        }
        raw(first ? "},\n" : "\n    },\n")
        raw("    \"merges\": [")
        for (rank, merge) in merges.enumerated() {
            raw(rank == 0 ? "\n      [" : ",\n      [")
            string(vocabulary[Int(merge.left)] ?? "")
            raw(", ")
            string(vocabulary[Int(merge.right)] ?? "")
            raw("]")
        }
        raw(merges.isEmpty ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n")
        return out
    }
}
