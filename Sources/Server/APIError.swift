import Hummingbird
import Inference

/// An error answered in OpenAI's shape:
/// `{"error": {"message", "type", "param", "code"}}`, with `param` naming the request field at fault.
public struct APIError: Error, Equatable, Sendable, HTTPResponseError {
    public var status: HTTPResponse.Status
    public var message: String
    /// `invalid_request_error` for a bad request, as OpenAI and vLLM name it.
    public var type: String
    /// The request field at fault (`messages[1].role`, `temperature`), or `nil`.
    public var param: String?

    public init(status: HTTPResponse.Status, message: String, type: String, param: String?) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
    }

    /// A 400 naming `field`.
    public static func invalid(_ field: String?, _ message: String) -> APIError {
        APIError(status: .badRequest, message: message, type: "invalid_request_error", param: field)
    }

    /// The answer to a refusal of the generation service: 429 for a full queue, 503 while
    /// draining, 400 naming the field for a request the model cannot run.
    public static func refused(_ error: GenerationError) -> APIError {
        switch error {
        case .queueFull:
            APIError(status: .tooManyRequests, message: error.description, type: "rate_limit_error", param: nil)
        case .shuttingDown:
            APIError(status: .serviceUnavailable, message: error.description, type: "service_unavailable", param: nil)
        case .invalidRequest(let field, let message):
            .invalid(field, message)
        }
    }

    /// The error body.
    public var json: ResponseJSON {
        .object([
            (
                "error",
                .object([
                    ("message", .string(message)), ("type", .string(type)), ("param", param.map(ResponseJSON.string) ?? .null),
                    ("code", .null),
                ])
            )
        ])
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(json, status: status)
    }
}
