/// What curation did to a document.
public enum DocumentFate: Equatable, Sendable {
    /// Removed by the heuristic filter at this position of the configuration's `filters`.
    case filtered(rule: Int)
    /// Removed as an exact duplicate.
    case exactDuplicate
    /// Removed as a near duplicate.
    case nearDuplicate
    /// Not chosen by bucket selection.
    case deselected
    /// Kept.
    case kept
}
