import FactoryCore
import Foundation
import Testing
import Tokenization

@testable import Models
@testable import Tensors

/// Checkpoint directories: round trips, atomic replacement, verification, and the errors that
/// bad directories raise.
@Suite struct LagunaCheckpointTests {
    static let config = LagunaConfig(
        vocabSize: 40, hiddenSize: 16, intermediateSize: 24, numHiddenLayers: 2, numAttentionHeads: 4,
        numKeyValueHeads: 2, headDim: 8, slidingWindow: 3, layerTypes: [.fullAttention, .slidingAttention],
        mlpLayerTypes: [.dense, .dense],
        ropeParameters: [
            .fullAttention: .init(ropeTheta: 500_000, partialRotaryFactor: 0.5),
            .slidingAttention: .init(ropeTheta: 10_000, partialRotaryFactor: 1),
        ])

    static func model(seed: UInt64) throws -> LagunaModel { try LagunaModel.initialized(config, seed: seed) }

    /// The text of the error `body` throws.
    static func failure(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    static func bits(_ parameters: ParameterSet) -> [String: [UInt32]] {
        Dictionary(uniqueKeysWithValues: parameters.names.map { ($0, parameters[$0].storage.map(\.bitPattern)) })
    }

    @Test func roundTripIsBitwiseAndListsEveryFile() throws {
        let scratch = try TemporaryDirectory()
        var config = Self.config
        config.vocabSize = 300
        let model = try LagunaModel.initialized(config, seed: 11)
        let tokenizer = scratch.path("tok.json")
        var trainer = try BPETrainer(options: .init(vocabularySize: 300))
        trainer.add("a small text to train a small tokenizer on, a small text")
        let trained = try trainer.train()
        try trained.save(toPath: tokenizer)
        let ids = try ["<|endoftext|>", "<|pad|>", "<|im_end|>"].map { try #require(trained.addedTokenId($0)) }
        let directory = scratch.path("ckpt")
        let written = try LagunaCheckpoint.write(model: model, to: directory, tokenizer: tokenizer, metadata: ["run": "r1", "step": "7"]) {
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: $0 + "/trainer_state.safetensors"))
        }
        #expect(
            written.files.map(\.path) == [
                "config.json", "generation_config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                "trainer_state.safetensors",
            ])
        #expect(written.files[5].size == 3 && written.files[5].sha256 == Digest.of([1, 2, 3] as [UInt8]))
        #expect(written.factoryVersion == FactoryVersion.current)

        let checkpoint = try LagunaCheckpoint.read(directory: directory)
        #expect(checkpoint.manifest == written)
        #expect(checkpoint.manifest?.metadata == ["run": "r1", "step": "7"])
        // The tokenizer's <|endoftext|> and <|pad|> fill the ids the config left unset.
        var withIds = model.config
        (withIds.bosTokenId, withIds.eosTokenId, withIds.padTokenId) = (Int(ids[0]), Int(ids[0]), Int(ids[1]))
        #expect(checkpoint.model.config == withIds)
        #expect(checkpoint.model.parameters.names == model.parameters.names)
        #expect(Self.bits(checkpoint.model.parameters) == Self.bits(model.parameters))
        let weights = try SafeTensorsFile.read(path: directory + "/model.safetensors")
        #expect(weights.metadata == ["format": "pt"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/tokenizer.json")) == Data(contentsOf: URL(fileURLWithPath: tokenizer)))
        #expect(
            try String(contentsOfFile: directory + "/generation_config.json", encoding: .utf8)
                == "{\n  \"bos_token_id\": \(ids[0]),\n  \"eos_token_id\": [\n    \(ids[0]),\n    \(ids[2])\n  ],\n  \"pad_token_id\": \(ids[1])\n}\n"
        )
        let tokenizerConfig = try TokenizerConfigFile.read(path: directory + "/tokenizer_config.json")
        #expect(
            tokenizerConfig
                == TokenizerConfigFile(
                    bosToken: "<|endoftext|>", eosToken: "<|endoftext|>", padToken: "<|pad|>", chatTemplate: ChatTemplate.jinja,
                    modelMaxLength: model.config.maxPositionEmbeddings, paddingSide: "left"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path).sorted() == ["ckpt", "tok.json"])
    }

    /// `transformers`' strict config classes reject `1` where a float is declared.
    @Test func configJSONWritesFloatKeysAsFloats() throws {
        let text = String(decoding: try Self.config.huggingFaceJSON(), as: UTF8.self)
        for line in [
            "\"moe_routed_scaling_factor\": 1.0,", "\"rope_theta\": 500000.0,", "\"partial_rotary_factor\": 1.0,",
            "\"attention_dropout\": 0.0,", "\"rms_norm_eps\": 1e-06,", "\"vocab_size\": 40", "\"gating\": true,",
        ] {
            #expect(text.contains(line), "\(line)")
        }
        #expect(!text.contains("null") && !text.contains("pad_token_id"))
        var withIds = Self.config
        withIds.padTokenId = 0
        #expect(try LagunaConfig.decode(json: withIds.huggingFaceJSON(), source: "ids") == withIds)
    }

    @Test func writingTwiceReplacesTheCheckpointWholly() throws {
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        try LagunaCheckpoint.write(model: Self.model(seed: 1), to: directory) {
            try Data([9]).write(to: URL(fileURLWithPath: $0 + "/only-in-first"))
        }
        let second = try Self.model(seed: 2)
        try LagunaCheckpoint.write(model: second, to: directory)
        #expect(!FileManager.default.fileExists(atPath: directory + "/only-in-first"))
        #expect(Self.bits(try LagunaCheckpoint.read(directory: directory).model.parameters) == Self.bits(second.parameters))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["ckpt"])
    }

    @Test func aFailedWriteLeavesTheOldCheckpoint() throws {
        struct Interrupted: Error {}
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        let first = try Self.model(seed: 1)
        try LagunaCheckpoint.write(model: first, to: directory)
        #expect(throws: Interrupted.self) {
            try LagunaCheckpoint.write(model: try Self.model(seed: 2), to: directory) { _ in throw Interrupted() }
        }
        #expect(Self.bits(try LagunaCheckpoint.read(directory: directory).model.parameters) == Self.bits(first.parameters))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["ckpt"])
    }

    @Test func aSwapInterruptedBetweenRenamesIsReadAndRepaired() throws {
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        let first = try Self.model(seed: 1)
        try LagunaCheckpoint.write(model: first, to: directory)
        // The state a crash after "rename the old one away" leaves: no ckpt, a complete previous.
        try FileManager.default.moveItem(atPath: directory, toPath: scratch.path(".ckpt.previous"))
        try FileManager.default.createDirectory(atPath: scratch.path(".ckpt.staging"), withIntermediateDirectories: false)
        #expect(Self.bits(try LagunaCheckpoint.read(directory: directory).model.parameters) == Self.bits(first.parameters))

        let second = try Self.model(seed: 2)
        try LagunaCheckpoint.write(model: second, to: directory)
        #expect(Self.bits(try LagunaCheckpoint.read(directory: directory).model.parameters) == Self.bits(second.parameters))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.url.path) == ["ckpt"])
    }

    @Test func refusesToReplaceADirectoryThatIsNotACheckpoint() throws {
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("notes")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: directory + "/notes.txt"))
        let message = Self.failure { try LagunaCheckpoint.write(model: try Self.model(seed: 1), to: directory) }
        #expect(message.contains("\(directory) exists and is not a checkpoint"), "\(message)")
        #expect(FileManager.default.fileExists(atPath: directory + "/notes.txt"))
    }

    /// A written checkpoint, then `damage` applied to it; returns the error text of reading it.
    static func readAfter(verify: Bool = true, _ damage: (_ directory: String) throws -> Void) throws -> (String, String) {
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        try LagunaCheckpoint.write(model: Self.model(seed: 5), to: directory, metadata: ["k": "v"]) {
            try Data([7, 7]).write(to: URL(fileURLWithPath: $0 + "/trainer_state.safetensors"))
        }
        try damage(directory)
        return (failure { _ = try LagunaCheckpoint.read(directory: directory, verify: verify) }, directory)
    }

    /// Rewrites `model.safetensors` with `edit` applied to its tensors.
    static func rewriteWeights(_ directory: String, _ edit: (inout [String: Tensor]) throws -> Void) throws {
        var file = try SafeTensorsFile.read(path: directory + "/model.safetensors")
        try edit(&file.tensors)
        try file.write(to: directory + "/model.safetensors")
    }

    @Test func digestMismatchNamesTheFile() throws {
        let (message, directory) = try Self.readAfter { directory in
            let path = directory + "/model.safetensors"
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[bytes.count - 1] ^= 0x40
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        #expect(message.contains("\(directory)/model.safetensors is corrupt: digest mismatch"), "\(message)")
    }

    @Test func truncatedFileIsCaughtWithAndWithoutTheManifest() throws {
        func truncate(_ directory: String) throws {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/model.safetensors"))
            try handle.truncate(atOffset: 1000)
            try handle.close()
        }
        let (verified, directory) = try Self.readAfter(truncate)
        #expect(verified.contains("\(directory)/model.safetensors is corrupt: truncated: the file has 1000 bytes"), "\(verified)")
        let (unverified, other) = try Self.readAfter(verify: false, truncate)
        #expect(unverified.contains("\(other)/model.safetensors is corrupt"), "\(unverified)")
        #expect(unverified.contains("truncated") || unverified.contains("ended"), "\(unverified)")
    }

    @Test func missingListedFileIsNamed() throws {
        let (message, directory) = try Self.readAfter { try FileManager.default.removeItem(atPath: $0 + "/trainer_state.safetensors") }
        #expect(message.contains("\(directory)/trainer_state.safetensors is corrupt: the file is missing"), "\(message)")
        let (noConfig, other) = try Self.readAfter(verify: false) { try FileManager.default.removeItem(atPath: $0 + "/config.json") }
        #expect(noConfig == "\(other)/config.json: no such file or directory")
    }

    @Test func missingWrongShapeAndUnknownTensorsAreNamed() throws {
        let (missing, directory) = try Self.readAfter(verify: false) { directory in
            try Self.rewriteWeights(directory) { $0["model.layers.1.self_attn.k_proj.weight"] = nil }
        }
        #expect(missing == "\(directory)/model.safetensors is corrupt: missing tensor model.layers.1.self_attn.k_proj.weight (shape [16, 16])")
        let (shape, _) = try Self.readAfter(verify: false) { directory in
            try Self.rewriteWeights(directory) { $0["model.norm.weight"] = try Tensor(shape: [15]) }
        }
        #expect(shape.contains("tensor model.norm.weight has shape [15], expected [16]"), "\(shape)")
        let (unknown, _) = try Self.readAfter(verify: false) { directory in
            try Self.rewriteWeights(directory) { $0["model.layers.2.input_layernorm.weight"] = try Tensor(shape: [16]) }
        }
        #expect(unknown.contains("unknown tensor model.layers.2.input_layernorm.weight"), "\(unknown)")
        // With verification on, the rewritten file fails its digest before its tensors are looked at.
        let (verified, _) = try Self.readAfter { directory in
            try Self.rewriteWeights(directory) { $0["model.norm.weight"] = try Tensor(shape: [15]) }
        }
        #expect(verified.contains("model.safetensors is corrupt"), "\(verified)")
        #expect(!verified.contains("model.norm.weight"), "\(verified)")
    }

    @Test func malformedManifestsAreNamed() throws {
        func editManifest(_ directory: String, _ edit: (String) -> String) throws {
            let path = directory + "/factory.json"
            try Data(edit(try String(contentsOfFile: path, encoding: .utf8)).utf8).write(to: URL(fileURLWithPath: path))
        }
        let (unknownKey, directory) = try Self.readAfter {
            try editManifest($0) { $0.replacingOccurrences(of: "\"metadata\"", with: "\"extra\": 1, \"metadata\"") }
        }
        #expect(unknownKey.contains("\(directory)/factory.json: key 'extra': unknown key"), "\(unknownKey)")
        let (escape, _) = try Self.readAfter {
            try editManifest($0) { $0.replacingOccurrences(of: "\"trainer_state.safetensors\"", with: "\"../x\"") }
        }
        #expect(escape.contains("key 'files[2].path': '../x' is not a plain relative path"), "\(escape)")
        let (format, _) = try Self.readAfter { try editManifest($0) { $0.replacingOccurrences(of: "factory-checkpoint/1", with: "other/2") } }
        #expect(format.contains("key 'format'"), "\(format)")
    }

    @Test(arguments: LagunaParityTests.fixtures)
    func readsCheckpointsSavedByTransformers(fixture: String) throws {
        let directory = try LagunaParityTests.fixtureDirectory(fixture)
        #expect(!FileManager.default.fileExists(atPath: directory + "/factory.json"))
        let checkpoint = try LagunaCheckpoint.read(directory: directory)
        #expect(checkpoint.manifest == nil)
        let weights = try SafeTensorsFile.read(path: directory + "/model.safetensors").tensors
        #expect(Set(checkpoint.model.parameters.names) == Set(weights.keys))
        for name in checkpoint.model.parameters.names {
            #expect(checkpoint.model.parameters[name] == weights[name], "\(name)")
        }
    }
}
