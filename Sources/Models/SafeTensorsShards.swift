import FactoryCore
import Foundation
import Tensors

/// The weights of a checkpoint directory in safetensors form: one `model.safetensors`, or shards
/// `model-00001-of-0000N.safetensors` with `model.safetensors.index.json` (`SafeTensorsIndex`),
/// split and named as `transformers`' `save_pretrained` does.
public enum SafeTensorsShards {
    /// The single weights file's name.
    public static let singleFileName = "model.safetensors"
    /// The largest shard `save_pretrained` writes by default (`max_shard_size="50GB"`, decimal
    /// gigabytes, in transformers 5.23).
    public static let defaultMaxShardBytes = 50_000_000_000

    /// The name of shard `number` (from 1) of `count`: `model-00001-of-00003.safetensors`.
    public static func shardFileName(number: Int, of count: Int) -> String {
        "model-\(fiveDigits(number))-of-\(fiveDigits(count)).safetensors"
    }

    /// Splits `tensors` (in order) into shards as `huggingface_hub`'s
    /// `split_state_dict_into_shards_factory` does: tensors are taken in order and a new shard is
    /// started when the next one would take the current shard past `maxShardBytes`; a tensor
    /// larger than that gets a shard of its own, appended at once.
    ///
    /// - Returns: the tensor names of each shard, in order.
    public static func plan(sizes: [(name: String, bytes: Int)], maxShardBytes: Int) -> [[String]] {
        var shards: [[String]] = []
        var current: [String] = []
        var currentBytes = 0
        for (name, bytes) in sizes {
            if bytes > maxShardBytes {
                shards.append([name])
                continue
            }
            if currentBytes + bytes > maxShardBytes {
                shards.append(current)
                current = []
                currentBytes = 0
            }
            current.append(name)
            currentBytes += bytes
        }
        if !current.isEmpty { shards.append(current) }
        return shards
    }

    /// Writes `tensors` into `directory` as `model.safetensors`, or as shards with their index
    /// when they do not fit in one file of `maxShardBytes` bytes of tensor data, each file
    /// atomically and with `metadata` (`{"format": "pt"}` for `transformers`).
    ///
    /// - Parameter totalParameters: recorded in the index as `metadata.total_parameters`.
    /// - Returns: the files written, relative to `directory` (the index last).
    /// - Throws: `FactoryError.invalidArgument` for a `maxShardBytes` below 1 or a repeated name.
    @discardableResult
    public static func write(
        _ tensors: [(name: String, tensor: Tensor)], to directory: String, dtype: SafeTensorsFile.StoredDType,
        metadata: [String: String], maxShardBytes: Int = defaultMaxShardBytes, totalParameters: Int
    ) throws -> [String] {
        guard maxShardBytes >= 1 else {
            throw FactoryError.invalidArgument(name: "maxShardBytes", message: "must be at least 1, got \(maxShardBytes)")
        }
        var byName: [String: Tensor] = [:]
        for (name, tensor) in tensors {
            guard byName.updateValue(tensor, forKey: name) == nil else {
                throw FactoryError.invalidArgument(name: "tensor name", message: "'\(name)' is given twice")
            }
        }
        let elementBytes = dtype.headerDType.size
        let sizes = tensors.map { (name: $0.name, bytes: $0.tensor.count * elementBytes) }
        let shards = plan(sizes: sizes, maxShardBytes: maxShardBytes)
        if shards.count <= 1 {
            try SafeTensorsFile(tensors: byName, metadata: metadata).write(to: directory + "/" + singleFileName, dtype: dtype)
            return [singleFileName]
        }
        var files: [String] = []
        var weightMap: [String: String] = [:]
        for (index, names) in shards.enumerated() {
            let file = shardFileName(number: index + 1, of: shards.count)
            let contents = Dictionary(uniqueKeysWithValues: names.map { ($0, byName[$0]!) })
            try SafeTensorsFile(tensors: contents, metadata: metadata).write(to: directory + "/" + file, dtype: dtype)
            for name in names { weightMap[name] = file }
            files.append(file)
        }
        let index = SafeTensorsIndex(
            totalSize: sizes.reduce(0) { $0 + $1.bytes }, totalParameters: totalParameters, weightMap: weightMap)
        try AtomicFile.write(index.encoded(), toPath: directory + "/" + SafeTensorsIndex.fileName)
        return files + [SafeTensorsIndex.fileName]
    }

    /// The files holding the weights in `directory`, relative to it: `model.safetensors`, or the
    /// index followed by the shards it names. Throws `FactoryError.fileNotFound` naming
    /// `model.safetensors` when there are neither, and `FactoryError.corrupt` when there are both
    /// (which one holds the weights would be a guess).
    public static func weightFiles(in directory: String) throws -> [String] {
        let single = directory + "/" + singleFileName
        let indexPath = directory + "/" + SafeTensorsIndex.fileName
        switch (FileManager.default.fileExists(atPath: single), FileManager.default.fileExists(atPath: indexPath)) {
        case (true, false): return [singleFileName]
        case (false, true): return [SafeTensorsIndex.fileName] + (try SafeTensorsIndex.read(path: indexPath).shardFiles)
        case (true, true):
            throw FactoryError.corrupt(
                path: directory, reason: "it holds both \(singleFileName) and \(SafeTensorsIndex.fileName); remove the stale one")
        case (false, false): throw FactoryError.fileNotFound(path: single)
        }
    }

    /// The weights in `directory`, single file or sharded, with the path to name in errors about
    /// the tensors (the weights file, or the index).
    ///
    /// For shards, every shard the index names must exist and hold exactly the tensors the index
    /// assigns to it. Errors are `FactoryError.corrupt` naming the shard and the tensor: a missing
    /// shard, a tensor listed in the index but absent from its shard, a tensor in a shard that the
    /// index does not assign to it; and the errors of `SafeTensorsFile.read` and
    /// `SafeTensorsIndex.read`.
    public static func read(directory: String) throws -> (tensors: [String: Tensor], source: String) {
        let files = try weightFiles(in: directory)
        guard files.first == SafeTensorsIndex.fileName else {
            let path = directory + "/" + singleFileName
            return (try SafeTensorsFile.read(path: path).tensors, path)
        }
        let indexPath = directory + "/" + SafeTensorsIndex.fileName
        let index = try SafeTensorsIndex.read(path: indexPath)
        var tensors: [String: Tensor] = [:]
        for shard in index.shardFiles {
            let path = directory + "/" + shard
            let listed = index.tensors(in: shard)
            guard FileManager.default.fileExists(atPath: path) else {
                throw FactoryError.corrupt(
                    path: path,
                    reason: "the shard is missing; \(SafeTensorsIndex.fileName) lists \(listed.count) tensors in it (\(listed[0]), ...)")
            }
            let contents = try SafeTensorsFile.read(path: path).tensors
            if let absent = listed.first(where: { contents[$0] == nil }) {
                throw FactoryError.corrupt(
                    path: path, reason: "tensor \(absent) is listed in \(SafeTensorsIndex.fileName) but absent from the shard")
            }
            if let extra = contents.keys.sorted().first(where: { index.weightMap[$0] != shard }) {
                let owner = index.weightMap[extra].map { "assigns it to \($0)" } ?? "does not list it"
                throw FactoryError.corrupt(path: path, reason: "the shard holds tensor \(extra), but \(SafeTensorsIndex.fileName) \(owner)")
            }
            tensors.merge(contents) { first, _ in first }
        }
        return (tensors, indexPath)
    }

    private static func fiveDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 5 - text.count)) + text
    }
}
