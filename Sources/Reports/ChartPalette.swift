/// The colours series are drawn in: ten distinguishable hues (Tableau 10), reused in order.
public enum ChartPalette {
    /// The hues, as `#rrggbb`.
    public static let colors = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
        "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The colour of series number `index` (wrapping after ten).
    public static func color(_ index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }
}
