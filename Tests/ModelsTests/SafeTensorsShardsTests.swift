import FactoryCore
import Foundation
import Testing

@testable import Models
@testable import Tensors

/// Sharded weights: a checkpoint `transformers` saved in shards (fixture from
/// scripts/make_shard_fixtures.sh), the factory's writer, and the errors of damaged shards.
@Suite struct SafeTensorsShardsTests {
    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/" + name)
        }
        return url.path
    }

    @Test func readsACheckpointTransformersSavedInShards() throws {
        let directory = try Self.fixture("shards/transformers_sharded")
        let files = try SafeTensorsShards.weightFiles(in: directory)
        #expect(
            files == [
                "model.safetensors.index.json", "model-00001-of-00003.safetensors", "model-00002-of-00003.safetensors",
                "model-00003-of-00003.safetensors",
            ])
        let index = try SafeTensorsIndex.read(path: directory + "/model.safetensors.index.json")
        #expect(index.totalParameters == 19_416 && index.weightMap.count == 67)
        let sharded = try LagunaCheckpoint.read(directory: directory)
        #expect(sharded.manifest == nil)
        let single = try LagunaCheckpoint.read(directory: LagunaSparseParityTests.fixtureDirectory()).model
        #expect(sharded.model.config == single.config)
        #expect(LagunaCheckpointTests.bits(sharded.model.parameters) == LagunaCheckpointTests.bits(single.parameters))
        // total_size counts the tensor bytes of all shards (every tensor F32 here).
        #expect(index.totalSize == single.parameters.scalarCount * 4)
    }

    @Test func splitsGreedilyInOrderAsHuggingFaceHubDoes() {
        let sizes = [("a", 6), ("b", 6), ("c", 2), ("d", 6), ("e", 2), ("f", 2), ("g", 30), ("h", 1)]
        // What huggingface_hub's split_state_dict_into_shards_factory gives for these sizes: the
        // oversized "g" is appended at once, before the shard still being filled.
        #expect(SafeTensorsShards.plan(sizes: sizes, maxShardBytes: 10) == [["a"], ["b", "c"], ["g"], ["d", "e", "f"], ["h"]])
        #expect(SafeTensorsShards.plan(sizes: sizes, maxShardBytes: 1000) == [["a", "b", "c", "d", "e", "f", "g", "h"]])
        #expect(SafeTensorsShards.shardFileName(number: 2, of: 12) == "model-00002-of-00012.safetensors")
    }

    @Test func writesShardsPastTheLimitAndReadsThemBack() throws {
        let scratch = try TemporaryDirectory()
        let source = try LagunaCheckpoint.read(directory: LagunaSparseParityTests.fixtureDirectory()).model
        let directory = scratch.path("ckpt")
        let manifest = try LagunaCheckpoint.write(model: source, to: directory, maxShardBytes: 30_000)
        let files = try SafeTensorsShards.weightFiles(in: directory)
        let count = files.count - 1
        #expect(files.first == SafeTensorsIndex.fileName && count > 2)
        #expect(files.dropFirst() == ArraySlice((1...count).map { SafeTensorsShards.shardFileName(number: $0, of: count) }))
        for file in files { #expect(manifest.lists(file), "\(file)") }
        #expect(!FileManager.default.fileExists(atPath: directory + "/model.safetensors"))
        let index = try SafeTensorsIndex.read(path: directory + "/" + SafeTensorsIndex.fileName)
        #expect(index.totalSize == source.parameters.scalarCount * 4 && index.totalParameters == source.parameters.scalarCount)
        for shard in files.dropFirst() {
            let size = try SafeTensorsFile.read(path: directory + "/" + shard).tensors.values.reduce(0) { $0 + $1.count * 4 }
            #expect(size <= 30_000)
        }
        let text = try String(contentsOfFile: directory + "/" + SafeTensorsIndex.fileName, encoding: .utf8)
        #expect(text.hasPrefix("{\n  \"metadata\": {\n    \"total_parameters\": \(source.parameters.scalarCount),\n"))
        #expect(text.contains("\n  \"weight_map\": {\n    \"lm_head.weight\": \"model-0000"))
        let back = try LagunaCheckpoint.read(directory: directory).model
        #expect(LagunaCheckpointTests.bits(back.parameters) == LagunaCheckpointTests.bits(source.parameters))

        let single = scratch.path("single")
        let written = try LagunaCheckpoint.write(model: source, to: single)
        #expect(try SafeTensorsShards.weightFiles(in: single) == ["model.safetensors"] && written.lists("model.safetensors"))
    }

    /// A sharded checkpoint of the sparse fixture with `damage` applied; the error text of reading it.
    static func readAfter(_ damage: (_ directory: String, _ shards: [String]) throws -> Void) throws -> (message: String, directory: String) {
        let scratch = try TemporaryDirectory()
        let directory = scratch.path("ckpt")
        let source = try LagunaCheckpoint.read(directory: LagunaSparseParityTests.fixtureDirectory()).model
        try LagunaCheckpoint.write(model: source, to: directory, maxShardBytes: 30_000)
        try FileManager.default.removeItem(atPath: directory + "/factory.json")
        try damage(directory, Array(try SafeTensorsShards.weightFiles(in: directory).dropFirst()))
        return (LagunaCheckpointTests.failure { _ = try LagunaCheckpoint.read(directory: directory) }, directory)
    }

    @Test func aMissingShardIsNamed() throws {
        var removed = ""
        let (message, directory) = try Self.readAfter { directory, shards in
            removed = shards[1]
            try FileManager.default.removeItem(atPath: directory + "/" + removed)
        }
        #expect(message.contains(directory + "/" + removed), "\(message)")
        #expect(message.contains("the shard is missing; model.safetensors.index.json lists"), "\(message)")
    }

    @Test func aTensorListedButAbsentIsNamed() throws {
        var moved = ""
        var damaged = ""
        let (message, directory) = try Self.readAfter { directory, shards in
            damaged = shards[0]
            let path = directory + "/" + damaged
            var shard = try SafeTensorsFile.read(path: path)
            moved = shard.tensors.keys.sorted()[0]
            shard.tensors[moved] = nil
            try shard.write(to: path)
        }
        #expect(
            message.contains(
                "\(directory)/\(damaged) is corrupt: tensor \(moved) is listed in model.safetensors.index.json but absent from the shard"),
            "\(message)")
    }

    @Test func aTensorTheIndexPutsElsewhereIsNamed() throws {
        var last = ""
        let (message, _) = try Self.readAfter { directory, shards in
            last = shards.last!
            let first = directory + "/" + shards[0]
            var shard = try SafeTensorsFile.read(path: first)
            let other = try SafeTensorsFile.read(path: directory + "/" + last)
            let name = other.tensors.keys.sorted()[0]
            shard.tensors[name] = other.tensors[name]
            try shard.write(to: first)
        }
        #expect(message.contains("but model.safetensors.index.json assigns it to \(last)"), "\(message)")
    }

    @Test func badIndexesAndAmbiguousFoldersAreErrors() throws {
        let (both, directory) = try Self.readAfter { directory, _ in try Data([0]).write(to: URL(fileURLWithPath: directory + "/model.safetensors")) }
        #expect(both.contains("\(directory) is corrupt: it holds both model.safetensors and model.safetensors.index.json"), "\(both)")
        let (noMap, _) = try Self.readAfter { directory, _ in
            try Data("{\"metadata\": {\"total_size\": 4}}".utf8).write(to: URL(fileURLWithPath: directory + "/model.safetensors.index.json"))
        }
        #expect(noMap.contains("model.safetensors.index.json") && noMap.contains("weight_map") && noMap.contains("missing"), "\(noMap)")
        let (escape, _) = try Self.readAfter { directory, _ in
            try Data("{\"weight_map\": {\"lm_head.weight\": \"../model.safetensors\"}}".utf8)
                .write(to: URL(fileURLWithPath: directory + "/model.safetensors.index.json"))
        }
        #expect(escape.contains("weight_map.lm_head.weight") && escape.contains("is not a file name in the checkpoint directory"), "\(escape)")
    }
}
