import Tokenization

/// Multiple-choice documents scored as lm-evaluation-harness scores `output_type:
/// multiple_choice` with `target_delimiter: " "`: each choice's continuation is `" " + choice`
/// after the context (``ContinuationEncoding``), and
/// - `acc`: the choice of highest log-likelihood is the gold one;
/// - `acc_norm`: the same with each log-likelihood divided by the choice's length in characters
///   (Unicode code points, Python's `len(choice)`; lm-eval's `completion_len`, the delimiter not
///   counted);
/// - `acc_bytes`: divided by the choice's UTF-8 byte length instead.
///
/// The highest is the first on ties (NumPy's `argmax`).
enum MultipleChoiceScoring {
    /// The three predictions for one document's log-likelihoods.
    struct Predictions: Equatable {
        let acc: Int
        let accNorm: Int
        let accBytes: Int
    }

    static func predictions(loglikelihoods: [Double], choices: [String]) -> Predictions {
        Predictions(
            acc: argmax(loglikelihoods),
            accNorm: argmax(zip(loglikelihoods, choices).map { $0 / Double($1.unicodeScalars.count) }),
            accBytes: argmax(zip(loglikelihoods, choices).map { $0 / Double($1.utf8.count) }))
    }

    /// The index of the largest value, the first on ties.
    static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for index in values.indices.dropFirst() where values[index] > values[best] { best = index }
        return best
    }

    /// Scores `documents` of task `task`: one request per (document, choice), all scored
    /// together in `scorer`'s batches.
    static func score(
        _ documents: [MultipleChoiceDocument], task: String, tokenizer: Tokenizer, scorer: LoglikelihoodScorer
    ) throws -> [CapabilityResults.DocumentResult] {
        var requests = [ContinuationEncoding]()
        var names = [String]()
        for document in documents {
            for (index, choice) in document.choices.enumerated() {
                requests.append(ContinuationEncoding(context: document.context, continuation: " " + choice, tokenizer: tokenizer))
                names.append("task \(task), document \(document.id), choice \(index)")
            }
        }
        let scores = try scorer.score(requests, names: names)
        var next = 0
        return documents.map { document in
            let loglikelihoods = Array(scores[next..<(next + document.choices.count)])
            next += document.choices.count
            let predicted = predictions(loglikelihoods: loglikelihoods, choices: document.choices)
            func hit(_ choice: Int) -> Double { choice == document.gold ? 1 : 0 }
            return CapabilityResults.DocumentResult(
                id: document.id, scores: ["acc": hit(predicted.acc), "acc_norm": hit(predicted.accNorm), "acc_bytes": hit(predicted.accBytes)],
                loglikelihoods: loglikelihoods)
        }
    }
}
