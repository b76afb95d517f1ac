/// The highest-scoring entries of a row, without sorting it.
enum TopTokens {
    /// The indices of the `count` highest values, best first, ties by lower index: one pass that
    /// keeps a sorted list of the best so far.
    static func best(_ values: UnsafeBufferPointer<Float>, count: Int) -> [Int] {
        guard count > 0 else { return [] }
        var best = [Int]()
        best.reserveCapacity(count + 1)
        for index in values.indices {
            let value = values[index]
            // Earlier indices win ties, so a later one enters only when strictly better.
            if best.count == count && !(value > values[best[count - 1]]) { continue }
            var position = best.count
            while position > 0 && value > values[best[position - 1]] { position -= 1 }
            best.insert(index, at: position)
            if best.count > count { best.removeLast() }
        }
        return best
    }
}
