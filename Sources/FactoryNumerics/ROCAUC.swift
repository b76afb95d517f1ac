import FactoryCore

/// The area under the ROC curve of scores against binary labels: the probability that a random
/// positive scores above a random negative, ties counting one half (the Mann–Whitney U statistic
/// divided by the number of positive–negative pairs).
public enum ROCAUC {
    /// The AUC of `scores` for `labels` (`true` positive).
    ///
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` when the counts differ or one
    ///   class is missing.
    public static func compute(scores: [Double], labels: [Bool]) throws -> Double {
        guard scores.count == labels.count else {
            throw FactoryError.invalidArgument(name: "labels", message: "expected \(scores.count) labels, found \(labels.count)")
        }
        let positives = labels.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            throw FactoryError.invalidArgument(name: "labels", message: "need both classes, found \(positives) positive and \(negatives) negative")
        }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start
            while end < order.count, scores[order[end]] == scores[order[start]] { end += 1 }
            let averageRank = Double(start + 1 + end) / 2  // ranks start..<end are 1-based start+1 ... end
            for position in start..<end where labels[order[position]] { positiveRankSum += averageRank }
            start = end
        }
        let u = positiveRankSum - Double(positives) * Double(positives + 1) / 2
        return u / (Double(positives) * Double(negatives))
    }
}
