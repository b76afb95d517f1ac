/// The non-dominated points of a set, every coordinate to be maximized: a point is dominated
/// when another is at least as good in every coordinate and better in one.
public enum ParetoFront {
    /// Whether each point is on the front (non-dominated). Points with a non-finite coordinate are
    /// never on it and dominate nothing.
    public static func nonDominated(_ points: [[Double]]) -> [Bool] {
        points.indices.map { i in
            guard points[i].allSatisfy(\.isFinite) else { return false }
            return !points.indices.contains { j in
                j != i && points[j].allSatisfy(\.isFinite) && zip(points[j], points[i]).allSatisfy { $0 >= $1 }
                    && zip(points[j], points[i]).contains { $0 > $1 }
            }
        }
    }
}
