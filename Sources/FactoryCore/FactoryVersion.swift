/// The version of Model Factory, recorded in every run's provenance.
public enum FactoryVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
