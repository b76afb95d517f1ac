import FactoryCore
import Foundation
import GRDB

/// Retries database work that fails because another process holds a lock, with exponential
/// backoff, and turns database errors into `FactoryError`s that name the database file.
public struct StoreRetry: Sendable {
    /// How many times to try in all.
    public var attempts: Int
    /// The first pause, in seconds; each later pause doubles, up to `maximumDelay`.
    public var initialDelay: Double
    /// The longest pause, in seconds.
    public var maximumDelay: Double

    /// A retry policy.
    public init(attempts: Int = 20, initialDelay: Double = 0.005, maximumDelay: Double = 0.5) {
        self.attempts = max(attempts, 1)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// Runs `body`, again after a pause while SQLite reports the database busy or locked.
    func run<T>(path: String, operation: String, _ body: () throws -> T) throws -> T {
        var delay = initialDelay
        var attempt = 1
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where Self.isContention(error) && attempt < attempts {
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, maximumDelay)
                attempt += 1
            } catch let error as DatabaseError where Self.isDamage(error) {
                throw FactoryError.corrupt(
                    path: path,
                    reason: "could not \(operation): \(error.message ?? "\(error.resultCode)"); the database is damaged")
            } catch let error as DatabaseError {
                throw FactoryError.io(path: path, operation: operation, reason: error.message ?? "\(error.resultCode)")
            }
        }
    }

    private static func isDamage(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB
    }

    private static func isContention(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}
