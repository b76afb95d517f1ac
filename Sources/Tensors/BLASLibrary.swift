import CBLAS

/// Facts about the BLAS library this build linked.
public enum BLASLibrary {
    /// The library's own description (OpenBLAS: version, target core, build options).
    public static var description: String { String(cString: factory_blas_description()) }

    /// Threads the library uses for one call (0 when the library does not say).
    public static var threadCount: Int { Int(factory_blas_thread_count()) }

    /// Sets the library's thread count where the library supports it.
    public static func setThreadCount(_ count: Int) {
        factory_blas_set_thread_count(Int32(max(count, 1)))
    }
}
