/// Exact-match comparison: a prediction is right when, after normalization, it equals the
/// answer. Normalization strips white space at both ends and turns every run of white space
/// inside into one space (U+0020); case, punctuation and everything else count.
/// White space is `Character.isWhitespace` (Unicode White_Space, and CR LF as one).
public enum ExactMatch {
    /// `text` normalized.
    public static func normalize(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `prediction` matches `answer`.
    public static func matches(_ prediction: String, answer: String) -> Bool {
        normalize(prediction) == normalize(answer)
    }
}
