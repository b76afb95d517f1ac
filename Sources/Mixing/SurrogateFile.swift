import FactoryCore
import Foundation

/// Reading surrogate JSON files with errors that name the file.
public enum SurrogateFile {
    public static func load(_ path: String) throws -> Surrogate {
        guard let data = FileManager.default.contents(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        do {
            return try JSONDecoder().decode(Surrogate.self, from: data)
        } catch {
            throw FactoryError.corrupt(path: path, reason: "not a surrogate written by `factory mix fit` (\(error))")
        }
    }
}
