import FactoryCore
import Foundation
import Models
import Tensors
import Testing

@Suite struct SafeTensorsTests {
    // MARK: Round trips

    @Test func float32RoundTripIsBitExact() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("model.safetensors")
        let file = SafeTensorsFile(
            tensors: [
                "model.layers.0.self_attn.q_proj.weight": try Tensor(shape: [3, 4], storage: (0..<12).map { Float($0) * 0.37 - 2 }),
                "loss": try Tensor(shape: [], storage: [4.25]),
                "empty": try Tensor(shape: [0, 5]),
                "specials": try Tensor(shape: [6], storage: [.infinity, -.infinity, -0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .nan]),
                "naïve \"quoted\" \\ name\n": try Tensor(shape: [1, 1, 2], storage: [1, 2]),
            ],
            metadata: ["format": "pt", "note": "tab\t control \u{01} é"])
        try file.write(to: path)
        let read = try SafeTensorsFile.read(path: path)
        #expect(read.metadata == file.metadata)
        #expect(Set(read.tensors.keys) == Set(file.tensors.keys))
        for (name, tensor) in file.tensors {
            let loaded = try #require(read.tensors[name])
            #expect(loaded.shape == tensor.shape, "\(name)")
            #expect(loaded.storage.map(\.bitPattern) == tensor.storage.map(\.bitPattern), "\(name)")
        }
    }

    @Test func bfloat16RoundTripRoundsEachElement() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("model.safetensors")
        // Enough elements to span several of the writer's conversion chunks.
        let values = (0..<150_001).map { Float(sin(Double($0)) * 1000) }
        let file = SafeTensorsFile(tensors: [
            "w": try Tensor(shape: [150_001], storage: values), "b": try Tensor(shape: [2], storage: [1.00390625, -3]),
        ])
        try file.write(to: path, dtype: .bf16)
        let read = try SafeTensorsFile.read(path: path)
        for (name, tensor) in file.tensors {
            let loaded = try #require(read.tensors[name])
            #expect(loaded.shape == tensor.shape)
            #expect(loaded.storage == tensor.storage.map { BFloat16($0).floatValue }, "\(name)")
        }
        // 8 bytes of length, the header, then 2 bytes per element.
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(try size == 8 + headerLength(of: path) + 2 * 150_003)
        // Written again as bfloat16, what was read is unchanged.
        let again = directory.path("again.safetensors")
        try read.write(to: again, dtype: .bf16)
        #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The exact bytes the reference implementation's own tests expect for these two files: the
    /// header is compact JSON, padded with spaces to a multiple of 8.
    @Test func writesTheReferenceLayout() throws {
        let directory = try TemporaryDirectory()
        let values: [Float] = [0, 1, 2, 3, 4, 5]
        let data = values.flatMap { value in withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) } }

        let aligned = directory.path("aligned.safetensors")
        try SafeTensorsFile(tensors: ["attn.0": try Tensor(shape: [1, 2, 3], storage: values)]).write(to: aligned)
        let alignedHeader = #"{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}"#
        #expect(try bytes(of: aligned) == [64, 0, 0, 0, 0, 0, 0, 0] + Array(alignedHeader.utf8) + data)

        let padded = directory.path("padded.safetensors")
        try SafeTensorsFile(tensors: ["attn0": try Tensor(shape: [1, 1, 2, 3], storage: values)]).write(to: padded)
        let paddedHeader = #"{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}"# + "       "
        #expect(try bytes(of: padded) == [72, 0, 0, 0, 0, 0, 0, 0] + Array(paddedHeader.utf8) + data)

        let empty = directory.path("empty.safetensors")
        try SafeTensorsFile().write(to: empty)
        #expect(try bytes(of: empty) == [8, 0, 0, 0, 0, 0, 0, 0] + Array("{}      ".utf8))

        let metadataOnly = directory.path("metadata.safetensors")
        try SafeTensorsFile(metadata: ["framework": "pt"]).write(to: metadataOnly)
        #expect(try bytes(of: metadataOnly) == [40, 0, 0, 0, 0, 0, 0, 0] + Array(#"{"__metadata__":{"framework":"pt"}}     "#.utf8))
    }

    @Test func writingRejectsTheReservedNameAndMissingFolders() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.safetensors")
        #expect {
            try SafeTensorsFile(tensors: ["__metadata__": try Tensor(shape: [1])]).write(to: path)
        } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "tensor name" && message.contains("'__metadata__' is reserved for metadata in \(path)")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(throws: FactoryError.fileNotFound(path: directory.path("missing"))) {
            try SafeTensorsFile().write(to: directory.path("missing/x.safetensors"))
        }
    }

    // MARK: Files written by Python

    @Test func readsAndReproducesPythonFloat32File() throws {
        let path = try fixture("safetensors/python_f32.safetensors")
        let file = try SafeTensorsFile.read(path: path)
        #expect(file.metadata == ["note": "tab\t, quote \", backslash \\, é, control \u{01}"])
        #expect(file.tensors["a.weight"] == (try Tensor(shape: [2, 3], storage: [-1, -0.75, -0.5, -0.25, 0, 0.25])))
        #expect(file.tensors["scalar"] == (try Tensor(shape: [], storage: [3.5])))
        #expect(file.tensors["empty"] == (try Tensor(shape: [0, 3])))
        #expect(file.tensors["odd \"name\" \\ é\t"] == (try Tensor(shape: [2], storage: [Float(1e-38 as Double), Float(-2.5e30 as Double)])))
        let special = try #require(file.tensors["layers.10.w"])
        #expect(special.shape == [2, 1])
        #expect(special.storage.map(\.bitPattern) == [Float.infinity.bitPattern, (-0.0 as Float).bitPattern])
        #expect(file.tensors.count == 5)

        let directory = try TemporaryDirectory()
        let copy = directory.path("copy.safetensors")
        try file.write(to: copy)
        #expect(try bytes(of: copy) == bytes(of: path))
    }

    @Test func readsAndReproducesPythonBFloat16File() throws {
        let path = try fixture("safetensors/python_bf16.safetensors")
        let file = try SafeTensorsFile.read(path: path)
        #expect(file.metadata.isEmpty)
        let expectedW = (0..<12).map { BFloat16(Float($0) * 0.1 - 0.5).floatValue }
        #expect(file.tensors["w"] == (try Tensor(shape: [3, 4], storage: expectedW)))
        let v = try #require(file.tensors["v"])
        #expect(v.shape == [5])
        #expect(Array(v.storage.prefix(4)) == [BFloat16(1e30).floatValue, BFloat16(-1e-30).floatValue, .infinity, -0.0])
        #expect(v.storage[4].isNaN)

        let directory = try TemporaryDirectory()
        let copy = directory.path("copy.safetensors")
        try file.write(to: copy, dtype: .bf16)
        #expect(try bytes(of: copy) == bytes(of: path))
    }

    /// Each dtype is stored next to PyTorch's own widening of it to float32.
    @Test func readsEveryFloatDTypeAsPyTorchWidensIt() throws {
        let file = try SafeTensorsFile.read(path: try fixture("safetensors/python_mixed.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        for name in ["f64", "bf16", "f16", "f8"] {
            let tensor = try #require(file.tensors[name])
            let widened = try #require(file.tensors[name + "_as_f32"])
            #expect(tensor.shape == widened.shape, "\(name)")
            #expect(tensor.storage.map(\.bitPattern) == widened.storage.map(\.bitPattern), "\(name)")
        }
        let f32 = try #require(file.tensors["f32"])
        #expect(f32.shape == [5, 2])
        #expect(f32.storage == file.tensors["f64_as_f32"]?.storage)
    }

    /// Every dense parity fixture reads, and its expected outputs fit its checkpoint: logits [T, V],
    /// a scalar loss, and for each tensor of the checkpoint a gradient of the same name and shape.
    @Test(arguments: ["laguna/sliding_gqa_per_head", "laguna/per_element_partial", "laguna/tied_per_head_mha"])
    func readsTheDenseParityFixtures(folder: String) throws {
        let (model, expected, tokens) = try parityFixture(folder)
        let vocabularySize = try #require(model.tensors["model.embed_tokens.weight"]?.shape.first)
        #expect(model.metadata == ["format": "pt"])
        #expect(expected.tensors["logits"]?.shape == [tokens.count, vocabularySize])
        #expect(expected.tensors["loss"]?.shape == [])
        #expect(Set(expected.tensors.keys) == Set(model.tensors.keys).union(["logits", "loss"]))
        for (name, tensor) in model.tensors {
            #expect(expected.tensors[name]?.shape == tensor.shape, "\(name)")
        }
    }

    /// `save_pretrained` stores MoE layers in the Hugging Face hub layout (one tensor per expert and
    /// projection), while gradients carry the fused in-memory names of `named_parameters()`.
    @Test func sparseParityFixtureUsesTheHubLayout() throws {
        let (model, expected, _) = try parityFixture("laguna-sparse/moe_dense_sparse")
        let layer = "model.layers.1.mlp."
        #expect(model.tensors[layer + "experts.3.gate_proj.weight"]?.shape == [8, 32])
        #expect(model.tensors[layer + "experts.3.up_proj.weight"]?.shape == [8, 32])
        #expect(model.tensors[layer + "experts.3.down_proj.weight"]?.shape == [32, 8])
        #expect(model.tensors[layer + "experts.e_score_correction_bias"]?.shape == [4])
        #expect(model.tensors[layer + "shared_expert.gate_proj.weight"]?.shape == [8, 32])
        #expect(model.tensors[layer + "gate.weight"]?.shape == [4, 32])
        #expect(expected.tensors[layer + "experts.gate_up_proj"]?.shape == [4, 16, 32])
        #expect(expected.tensors[layer + "experts.down_proj"]?.shape == [4, 32, 8])
        #expect(expected.tensors[layer + "shared_experts.gate_proj.weight"]?.shape == [8, 32])
        #expect(expected.tensors[layer + "gate.weight"]?.shape == [4, 32])
        #expect(expected.tensors[layer + "gate.e_score_correction_bias"] == nil)
    }

    // MARK: Corrupt files

    @Test func missingFileIsNamed() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("absent.safetensors")
        #expect(throws: FactoryError.fileNotFound(path: path)) { try SafeTensorsFile.read(path: path) }
    }

    @Test func shortFilesAndBadHeaderLengths() throws {
        try expectCorrupt(Array([1, 2, 3]), mentions: ["3 bytes", "8-byte header length"])
        try expectCorrupt(lengthField(500) + Array("{}".utf8), mentions: ["header length 500", "truncated"])
        try expectCorrupt(lengthField(200_000_000) + Array("{}".utf8), mentions: ["200000000", "limit"])
    }

    @Test func malformedHeaders() throws {
        try expectCorrupt(file(header: #"{"a":"#), mentions: ["not valid JSON", "byte 16", "ends where a value should start"])
        try expectCorrupt(
            file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}} x"#, data: 4), mentions: ["not valid JSON", "unexpected text"])
        try expectCorrupt(file(header: "[1, 2]"), mentions: ["not a JSON object"])
        try expectCorrupt(file(header: #"{"ab":1}"#, rawByteAt: 2), mentions: ["not valid UTF-8"])
        try expectCorrupt(file(header: #"{"__metadata__":{"format":1}}"#), mentions: ["__metadata__", "format", "number 1"])
        try expectCorrupt(file(header: #"{"w":[1]}"#), mentions: ["tensor 'w'", "not an object"])
        try expectCorrupt(file(header: #"{"w":{"shape":[1],"data_offsets":[0,4]}}"#, data: 4), mentions: ["tensor 'w'", "\"dtype\""])
    }

    @Test func duplicateNames() throws {
        let entry = #"{"dtype":"F32","shape":[1],"data_offsets":[0,4]}"#
        try expectCorrupt(file(header: #"{"w":\#(entry),"w":\#(entry)}"#, data: 4), mentions: ["duplicate", "\"w\""])
    }

    @Test func unknownAndUnsupportedDTypes() throws {
        try expectCorrupt(file(header: #"{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}"#, data: 4), mentions: ["tensor 'w'", "'Q7'"])
        try expectCorrupt(file(header: #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: 8), mentions: ["tensor 'ids'", "'I64'"])
    }

    @Test func badShapesAndOffsets() throws {
        func single(_ fields: String, data: Int) throws -> [UInt8] { try file(header: "{\"w\":{\(fields)}}", data: data) }
        try expectCorrupt(
            single(#""dtype":"F32","shape":[2,3],"data_offsets":[0,20]"#, data: 20), mentions: ["tensor 'w'", "20 bytes", "[2, 3]", "needs 24"])
        try expectCorrupt(single(#""dtype":"BF16","shape":[4],"data_offsets":[0,16]"#, data: 16), mentions: ["tensor 'w'", "BF16 needs 8"])
        try expectCorrupt(single(#""dtype":"F32","shape":[-1],"data_offsets":[0,4]"#, data: 4), mentions: ["tensor 'w'", "\"shape\"", "-1"])
        try expectCorrupt(single(#""dtype":"F32","shape":[1.0],"data_offsets":[0,4]"#, data: 4), mentions: ["tensor 'w'", "1.0"])
        try expectCorrupt(single(#""dtype":"F32","shape":[1],"data_offsets":[0]"#, data: 4), mentions: ["tensor 'w'", "1 numbers"])
        try expectCorrupt(single(#""dtype":"F32","shape":[0],"data_offsets":[4,0]"#, data: 4), mentions: ["tensor 'w'", "end before"])
        try expectCorrupt(
            single(#""dtype":"F32","shape":[9223372036854775807,4],"data_offsets":[0,4]"#, data: 4), mentions: ["tensor 'w'", "too large"])
        try expectCorrupt(
            single(#""dtype":"F32","shape":[1],"data_offsets":[0,99999999999999999999]"#, data: 4), mentions: ["tensor 'w'", "too large"])
    }

    @Test func offsetsMustTileTheDataSection() throws {
        func entry(_ name: String, _ begin: Int, _ end: Int) -> String {
            #""\#(name)":{"dtype":"F32","shape":[\#((end - begin) / 4)],"data_offsets":[\#(begin),\#(end)]}"#
        }
        try expectCorrupt(file(header: "{\(entry("a", 0, 8)),\(entry("b", 4, 12))}", data: 12), mentions: ["tensor 'b'", "overlaps tensor 'a'"])
        try expectCorrupt(file(header: "{\(entry("a", 0, 4)),\(entry("b", 8, 12))}", data: 12), mentions: ["bytes 4..<8", "before tensor 'b'"])
        try expectCorrupt(file(header: "{\(entry("a", 4, 8))}", data: 8), mentions: ["bytes 0..<4", "tensor 'a'"])
        try expectCorrupt(
            file(header: "{\(entry("a", 0, 4)),\(entry("b", 4, 12))}", data: 10), mentions: ["tensor 'b'", "beyond the end", "10 bytes", "truncated"])
        try expectCorrupt(file(header: "{\(entry("a", 0, 4))}", data: 9), mentions: ["9 bytes", "only the first 4"])
    }

    @Test func truncatedCheckpointNamesTheLastTensor() throws {
        var contents = try bytes(of: try fixture("safetensors/python_f32.safetensors"))
        contents.removeLast(2)
        try expectCorrupt(contents, mentions: ["tensor 'scalar'", "truncated"])
    }

    // MARK: Helpers

    /// The checkpoint, expected outputs and tokens of the parity fixture in `folder`.
    private func parityFixture(_ folder: String) throws -> (model: SafeTensorsFile, expected: SafeTensorsFile, tokens: [Int]) {
        let root = try fixture(folder + "/")
        let tokens = try JSONDecoder().decode([Int].self, from: Data(contentsOf: URL(fileURLWithPath: root + "tokens.json")))
        return (
            try SafeTensorsFile.read(path: root + "model.safetensors"),
            try SafeTensorsFile.read(path: root + "expected.safetensors"),
            tokens
        )
    }

    /// Writes `contents` to a file and expects `read` to throw `.corrupt` for that file, with a
    /// reason that contains every string of `mentions`.
    private func expectCorrupt(_ contents: [UInt8], mentions: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("bad.safetensors")
        try Data(contents).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafeTensorsFile.read(path: path)
            Issue.record("reading a corrupt file succeeded", sourceLocation: sourceLocation)
        } catch let FactoryError.corrupt(errorPath, reason) {
            #expect(errorPath == path, sourceLocation: sourceLocation)
            for mention in mentions {
                #expect(reason.contains(mention), "'\(reason)' does not mention '\(mention)'", sourceLocation: sourceLocation)
            }
        }
    }

    /// A file with `header` (padded to 8 bytes) and `data` zero bytes, optionally with one header
    /// byte replaced by 0xFF to make it invalid UTF-8.
    private func file(header: String, data: Int = 0, rawByteAt index: Int? = nil) throws -> [UInt8] {
        var headerBytes = Array(header.utf8)
        if let index { headerBytes[index] = 0xFF }
        headerBytes += repeatElement(UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8)
        return lengthField(UInt64(headerBytes.count)) + headerBytes + [UInt8](repeating: 0, count: data)
    }

    private func lengthField(_ length: UInt64) -> [UInt8] {
        withUnsafeBytes(of: length.littleEndian) { Array($0) }
    }

    private func headerLength(of path: String) throws -> Int {
        let prefix = try bytes(of: path).prefix(8)
        return prefix.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private func bytes(of path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The path of `relativePath` inside the test bundle's `Fixtures` folder.
    private func fixture(_ relativePath: String) throws -> String {
        let folder = try #require(Bundle.module.path(forResource: "Fixtures", ofType: nil))
        return folder + "/" + relativePath
    }
}
