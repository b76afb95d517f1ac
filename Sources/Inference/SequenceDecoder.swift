import Tensors

/// A model that generates incrementally: it runs a prompt once into a key/value cache, then
/// advances many sequences by one token per step. `GenerationEngine` schedules requests over it;
/// `LagunaDecoder` is the implementation for Laguna checkpoints.
///
/// Batch invariance: the logits `decode` returns for one sequence must be bitwise identical
/// whatever other sequences share the step, so a seeded request reproduces exactly.
public protocol SequenceDecoder: Sendable {
    /// One sequence's cached state (keys and values of every layer, and its position).
    associatedtype Cache: SequenceCache

    /// Size of the logits' last dimension.
    var vocabularySize: Int { get }
    /// The longest sequence (prompt plus generated tokens) a cache may hold.
    var maximumSequenceLength: Int { get }

    /// Bytes of cache that a sequence of `tokens` positions occupies (for admission by memory).
    func cacheBytes(forTokens tokens: Int) -> Int

    /// Runs `prompt` (at least one token) into a new cache.
    ///
    /// - Returns: the cache, and logits `[prompt.count, V]` when `allPositions` (row `i` predicts
    ///   token `i + 1`), else `[1, V]` for the last position only.
    func prefill(_ prompt: [UInt32], allPositions: Bool) throws -> (cache: Cache, logits: Tensor)

    /// Appends `tokens[i]` to `caches[i]` for every `i` and returns the next-token logits `[n, V]`.
    func decode(_ caches: inout [Cache], tokens: [UInt32]) throws -> Tensor
}

/// What the scheduler reads off a sequence's cache.
public protocol SequenceCache: Sendable {
    /// Positions processed so far (prompt and generated tokens).
    var length: Int { get }
    /// Bytes this cache holds now.
    var byteCount: Int { get }
}
