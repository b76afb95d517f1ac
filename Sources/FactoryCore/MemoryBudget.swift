import Foundation

/// Refuses work whose memory would not fit the machine, up front, before anything is allocated:
/// a size from a config or a file goes through here instead of straight into an allocation that
/// would abort the process (or swap the machine to a halt).
public enum MemoryBudget {
    /// The machine's physical memory in bytes.
    public static var physicalBytes: Int { Int(clamping: ProcessInfo.processInfo.physicalMemory) }

    /// `a × b × …` in bytes, or `nil` when the product overflows (which no machine holds either).
    public static func product(_ factors: Int...) -> Int? {
        var total = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (result, overflow) = total.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            total = result
        }
        return total
    }

    /// `a + b + …` in bytes, or `nil` when a term is negative or the sum overflows.
    public static func sum(_ terms: Int...) -> Int? {
        var total = 0
        for term in terms {
            guard term >= 0 else { return nil }
            let (result, overflow) = total.addingReportingOverflow(term)
            guard !overflow else { return nil }
            total = result
        }
        return total
    }

    /// Throws unless `bytes` (nil: it overflowed) fits in the machine's physical memory.
    ///
    /// - Parameters:
    ///   - what: what needs the memory, as the user knows it ("the training batch (train.batch = 1000000000)").
    ///   - name: the file and key, or the option, that set the size; it names the error.
    /// - Throws: ``FactoryError/invalidArgument(name:message:)`` with the estimate and what the machine has.
    public static func require(_ bytes: Int?, for what: String, name: String, limit: Int = physicalBytes) throws {
        guard let bytes, bytes <= limit else {
            let estimate = bytes.map { "about \(describe($0))" } ?? "more than 8 EiB"
            throw FactoryError.invalidArgument(
                name: name, message: "\(what) needs \(estimate) of memory; this machine has \(describe(limit))")
        }
    }

    /// `bytes` as a human reads it: `512 B`, `3.2 GiB`.
    public static func describe(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.1f %@", value, units[unit])
    }
}
