import Foundation
import Hummingbird
import HummingbirdTesting
import Inference
import Logging
import Server
import ServiceLifecycle

/// Runs an `OpenAIServer` on 127.0.0.1 with an ephemeral port for the length of a test.
struct LiveServer {
    let port: Int
    let group: ServiceGroup

    /// Starts the server over `service`, runs `body`, then shuts the server down gracefully.
    static func with<Value: Sendable>(
        _ service: any GenerationService, model: ServedModel = TestModel.model(), _ body: @Sendable (LiveServer) async throws -> Value
    ) async throws -> Value {
        var logger = Logger(label: "server-tests")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = OpenAIServer(model: model, service: service).application(host: "127.0.0.1", port: 0, logger: logger) {
            continuation.yield($0)
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestClient.Error.connectionNotOpen }
            do {
                let value = try await body(LiveServer(port: port, group: group))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
        }
    }

    /// A connected client; `shutdown()` it when done.
    func client() -> TestClient {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(30)))
        client.connect()
        return client
    }

    /// One request on a fresh connection.
    func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil) async throws -> (status: Int, body: String) {
        let client = client()
        defer { Task { try? await client.shutdown() } }
        let response = try await client.execute(Self.request(method, path, body: body))
        return (response.status.code, response.body.map { String(buffer: $0) } ?? "")
    }

    func post(_ path: String, _ body: String) async throws -> (status: Int, body: String) {
        try await send(.post, path, body: body)
    }

    /// `post` with a body built from a JSON object.
    func post(_ path: String, json: [String: Any]) async throws -> (status: Int, body: String) {
        try await post(path, String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self))
    }

    static func request(_ method: HTTPRequest.Method, _ path: String, body: String?) -> TestClient.Request {
        TestClient.Request(
            path, method: method, authority: "127.0.0.1", headers: [.contentType: "application/json"],
            body: body.map { ByteBuffer(string: $0) })
    }
}

/// A response body parsed as a JSON object.
func object(_ body: String) throws -> [String: Any] {
    guard let value = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
        throw TestClient.Error.malformedResponse
    }
    return value
}

/// The `data:` payloads of a server-sent event stream, checking the framing: every event is one
/// `data: …` line followed by a blank line.
func events(_ body: String) throws -> [String] {
    var payloads = [String]()
    for event in body.components(separatedBy: "\n\n") where !event.isEmpty {
        guard event.hasPrefix("data: "), !event.contains("\n") else { throw TestClient.Error.malformedResponse }
        payloads.append(String(event.dropFirst(6)))
    }
    guard body.hasSuffix("\n\n") else { throw TestClient.Error.malformedResponse }
    return payloads
}
