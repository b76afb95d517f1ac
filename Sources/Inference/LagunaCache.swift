/// The key/value cache of one sequence under `LagunaDecoder`: one `LayerKVCache` per layer.
public struct LagunaCache: SequenceCache {
    /// Positions processed so far.
    public private(set) var length: Int
    var layers: [LayerKVCache]

    init(layers: [LayerKVCache]) {
        length = 0
        self.layers = layers
    }

    public var byteCount: Int { layers.reduce(0) { $0 + $1.byteCount } }

    /// The storage format.
    public var storage: KVCacheStorage { layers.first?.keys.storage ?? .fp32 }

    /// Bytes the keys and values of `layer` hold now (a sliding layer stops growing at its ring).
    public func byteCount(ofLayer layer: Int) -> Int { layers[layer].byteCount }

    /// Marks one more position as processed (after every layer has stored it).
    mutating func advance(by count: Int = 1) {
        length += count
    }
}
