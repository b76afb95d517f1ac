import FactoryCore

/// Assigns documents to train or validation by a hash of their id, so the split is the same on
/// every run and machine, does not depend on document order, and a document keeps its side when
/// other documents are added or removed.
struct ValidationSplit: Sendable, Equatable {
    /// The target share of validation documents, in [0, 1).
    let fraction: Double

    /// A split holding out `fraction` of the documents.
    init(fraction: Double) {
        self.fraction = fraction
    }

    /// Whether the document with this id belongs to validation: the first 8 bytes of
    /// SHA-256(`"validation-split\0" + id`), read as a big-endian integer and scaled to [0, 1),
    /// fall below `fraction`. The prefix keeps the split independent of other hashes of the id
    /// (such as the order in which capped sources are sampled).
    func isValidation(id: String) -> Bool {
        Self.unitHash(of: "validation-split\u{0}" + id) < fraction
    }

    /// SHA-256 of `text` mapped to [0, 1) through its first 8 bytes.
    static func unitHash(of text: String) -> Double {
        let bytes = Digest.of(text).bytes
        let word = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Double(word >> 11) * 0x1p-53
    }
}
