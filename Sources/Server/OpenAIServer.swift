import Foundation
import Hummingbird
import Inference
import Logging
import ServiceLifecycle

/// The OpenAI-compatible HTTP server over a `GenerationService`: `GET /v1/models`,
/// `POST /v1/completions`, `POST /v1/chat/completions`, `GET /health`, `GET /metrics`.
///
/// Run it with `run()` inside a `ServiceGroup` (as `serve()` does): on graceful shutdown
/// (SIGTERM, SIGINT) the HTTP server stops accepting connections and lets running requests
/// finish, then the generation service drains.
public struct OpenAIServer: Sendable {
    public let model: ServedModel
    public let service: any GenerationService
    /// Largest request body read, in bytes.
    public var maxBodyBytes = 32 << 20

    public init(model: ServedModel, service: any GenerationService) {
        self.model = model
        self.service = service
    }

    /// The routes.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        let completions = CompletionsEndpoint(model: model, service: service)
        let chat = ChatCompletionsEndpoint(model: model, service: service)
        let limit = maxBodyBytes
        let model = self.model
        let service = self.service
        router.get("health") { _, _ in JSONResponse.make(.object([("status", .string("ok"))])) }
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: PrometheusMetrics.text(service.statistics))))
        }
        router.get("v1/models") { _, _ in
            JSONResponse.make(
                .object([
                    ("object", .string("list")),
                    (
                        "data",
                        .array([
                            .object([
                                ("id", .string(model.name)), ("object", .string("model")), ("created", .int(0)),
                                ("owned_by", .string("factory")), ("max_model_len", .int(model.maxSequenceLength)),
                            ])
                        ])
                    ),
                ]))
        }
        // A streamed response notices a client that went away when a write fails, and its
        // generation ends; a non-streamed one runs to its end (HTTP/1 reads nothing more from
        // the connection until the response is written, so the departure is not seen earlier).
        router.post("v1/completions") { request, _ in
            try await completions.respond(to: try await Self.body(request, limit: limit))
        }
        router.post("v1/chat/completions") { request, _ in
            try await chat.respond(to: try await Self.body(request, limit: limit))
        }
        return router
    }

    /// The application listening on `host`:`port` (port 0: an ephemeral port, which
    /// `onServerRunning` is told), with the service's drain as a service run after the HTTP
    /// server's graceful shutdown.
    public func application(
        host: String, port: Int, logger: Logger = Logger(label: "factory.serve"),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "factory"),
            services: [DrainOnShutdown(service: service)],
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Serves until SIGTERM or SIGINT, then drains and returns.
    public func serve(host: String, port: Int, logger: Logger = Logger(label: "factory.serve")) async throws {
        try await application(host: host, port: port, logger: logger).runService()
    }

    private static func body(_ request: Request, limit: Int) async throws -> Data {
        do {
            return Data(buffer: try await request.body.collect(upTo: limit))
        } catch {
            throw APIError.invalid(nil, "the request body is larger than \(limit) bytes")
        }
    }
}

/// Waits for graceful shutdown, then drains the generation service (it starts before the HTTP
/// server in the application's service group, so it is shut down after it).
struct DrainOnShutdown: Service {
    let service: any GenerationService

    func run() async throws {
        try? await gracefulShutdown()
        await service.drain()
    }
}
