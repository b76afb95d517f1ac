import ArgumentParser
import Lineage
import Mixing
import Models
import Tokenization

// Enumerated options parse straight into the library's enums: ArgumentParser rejects an unknown
// value with the list of known ones, and the help lists them.
extension PreTokenizerPattern: ExpressibleByArgument {}
extension LineageGraphFormat: ExpressibleByArgument {}
extension RunStatus: ExpressibleByArgument {}
extension RunEventKind: ExpressibleByArgument {}
extension LagunaPreset: ExpressibleByArgument {}

/// `factory mix fit --surrogate`: one surrogate kind, or `auto` (every kind, chosen by
/// cross-validated Spearman).
enum SurrogateChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, linear, loglinear, gbdt

    /// The kinds to fit.
    var kinds: [SurrogateKind] { SurrogateKind(rawValue: rawValue).map { [$0] } ?? SurrogateKind.allCases }
}
