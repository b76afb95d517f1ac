import Foundation
import Testing

@testable import FactoryCore

@Suite struct DigestTests {
    @Test func knownVectors() {
        // FIPS 180-2 test vectors.
        #expect(Digest.of("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            Digest.of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq").hex
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func streamingMatchesOneShot() {
        let text = String(repeating: "model factory ", count: 1000)
        var hasher = DigestHasher()
        for piece in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            hasher.update((piece.offset == 0 ? "" : " ") + piece.element)
        }
        #expect(hasher.finalize() == Digest.of(text))
    }

    @Test func fileDigestReadsInChunks() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/million-a.txt"
        try Data(repeating: UInt8(ascii: "a"), count: 1_000_000).write(to: URL(fileURLWithPath: path))
        let digest = try Digest.ofFile(atPath: path, chunkSize: 4096)
        #expect(digest.hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func missingFileIsNamed() {
        #expect(throws: FactoryError.fileNotFound(path: "/nonexistent/file.bin")) {
            try Digest.ofFile(atPath: "/nonexistent/file.bin")
        }
    }

    @Test func hexRoundTripAndValidation() throws {
        let digest = Digest.of("abc")
        #expect(try Digest(hex: digest.hex.uppercased()) == digest)
        #expect { try Digest(hex: "abc") } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "digest" && message.contains("expected 64 hex characters, got 3 in 'abc'")
        }
        #expect { try Digest(hex: String(repeating: "zz", count: 32)) } throws: { error in
            guard case .invalidArgument(let name, let message) = error as? FactoryError else { return false }
            return name == "digest" && message.contains("'zz") && message.contains("is not hexadecimal")
        }
        let encoded = try JSONEncoder().encode(digest)
        #expect(try JSONDecoder().decode(Digest.self, from: encoded) == digest)
    }
}

/// A fresh directory under the system temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "factory-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
