import Hummingbird

/// Responses with a JSON body.
enum JSONResponse {
    /// `value` serialized, as `application/json`.
    static func make(_ value: ResponseJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.serialized)))
    }
}
