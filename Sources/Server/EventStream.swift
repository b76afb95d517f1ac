import Hummingbird

/// Server-sent events in OpenAI's framing: one `data: <json>` event per chunk, then
/// `data: [DONE]`.
enum EventStream {
    /// A streaming response whose chunks `produce` sends. When the client goes away the write
    /// fails and `produce` is cancelled, which ends its generations (their slots are freed). An
    /// error thrown by `produce` is sent as an `{"error": …}` event before `[DONE]`.
    static func response(
        _ produce: @escaping @Sendable (_ send: @escaping @Sendable (ResponseJSON) async -> Void) async throws -> Void
    ) -> Response {
        let body = ResponseBody { writer in
            let (events, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .unbounded)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    do {
                        try await produce { continuation.yield("data: \($0.serialized)\n\n") }
                    } catch is CancellationError {
                    } catch let error as APIError {
                        continuation.yield("data: \(error.json.serialized)\n\n")
                    } catch {
                        let failure = APIError(status: .internalServerError, message: "\(error)", type: "server_error", param: nil)
                        continuation.yield("data: \(failure.json.serialized)\n\n")
                    }
                    continuation.yield("data: [DONE]\n\n")
                    continuation.finish()
                }
                do {
                    for await event in events {
                        try await writer.write(ByteBuffer(string: event))
                    }
                } catch {
                    group.cancelAll()
                    throw error
                }
                try await group.waitForAll()
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
