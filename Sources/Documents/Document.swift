/// One unit of training text with its provenance.
///
/// Documents travel as JSON Lines (DESIGN section 3): one object per line with `id`, `text`,
/// `domain`, `source`, `license` and a `metadata` object of string values. The corpus builder
/// always records where a document came from under ``MetadataKey/package`` and
/// ``MetadataKey/path`` so that a report can list exactly what went into a model.
public struct Document: Equatable, Sendable {
    /// Well-known metadata keys.
    public enum MetadataKey {
        /// The Debian package (or other distribution unit) the text was taken from.
        public static let package = "package"
        /// The file the text was read from.
        public static let path = "path"
    }

    /// A stable identifier, unique within a corpus (`python-stdlib/json/decoder.py`).
    public var id: String
    /// The text itself.
    public var text: String
    /// The domain the document is mixed under (`code`, `stem`, `prose`, `math`).
    public var domain: String
    /// The name of the source that produced it; synthetic documents carry `synthetic` here.
    public var source: String
    /// A short license identifier or statement (`GPL-2+`, `PSF-2.0`, `public-domain`).
    public var license: String
    /// Everything else worth keeping: provenance, generator parameters, user fields.
    public var metadata: [String: String]

    /// Creates a document.
    public init(
        id: String, text: String, domain: String, source: String, license: String,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.text = text
        self.domain = domain
        self.source = source
        self.license = license
        self.metadata = metadata
    }
}
