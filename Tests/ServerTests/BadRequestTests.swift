import Foundation
import Server
import Testing

/// Every bad request gets a 400 in OpenAI's error shape naming the field, and reaches no generation.
@Suite struct BadRequestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var path = "/v1/completions"
        var body: String
        var param: String?
        var message: String
        var testDescription: String { "\(param ?? "body"): \(message)" }
    }

    static let completion = #""model": "tiny", "prompt": "hi""#
    static let chat = #""model": "tiny", "messages": [{"role": "user", "content": "hi"}]"#

    static let cases: [Case] = [
        Case(body: "{\"model\": ", param: nil, message: "the request body is not valid JSON"),
        Case(body: "[1, 2]", param: nil, message: "the request body must be an object, not an array"),
        Case(body: #"{"prompt": "hi"}"#, param: "model", message: "model is required"),
        Case(body: #"{"model": 3, "prompt": "hi"}"#, param: "model", message: "model must be a string, not a number"),
        Case(
            body: #"{"model": "big", "prompt": "hi"}"#, param: "model",
            message: "the model 'big' does not exist; this server serves 'tiny'"),
        Case(body: #"{"model": "tiny"}"#, param: "prompt", message: "prompt is required"),
        Case(
            body: #"{"model": "tiny", "prompt": 42}"#, param: "prompt",
            message: "prompt must be a string, a list of token ids or a list of either, not a number"),
        Case(body: #"{"model": "tiny", "prompt": []}"#, param: "prompt", message: "prompt must not be empty"),
        Case(body: #"{"model": "tiny", "prompt": ""}"#, param: "prompt", message: "prompt must not be empty"),
        Case(
            body: #"{"model": "tiny", "prompt": [1, 9999]}"#, param: "prompt",
            message: "prompt[1] must be a token id of the vocabulary (0..<259), got 9999"),
        Case(
            body: #"{"model": "tiny", "prompt": ["a", true]}"#, param: "prompt",
            message: "prompt[1] must be a string or a non-empty list of token ids, not a boolean"),
        Case(body: "{\(completion), \"max_tokens\": \"ten\"}", param: "max_tokens", message: "max_tokens must be an integer, not a string"),
        Case(body: "{\(completion), \"max_tokens\": -1}", param: "max_tokens", message: "max_tokens must be between 0 and 2147483647, got -1"),
        Case(body: "{\(completion), \"temperature\": 3}", param: "temperature", message: "temperature must be between 0.0 and 2.0, got 3.0"),
        Case(body: "{\(completion), \"temperature\": \"hot\"}", param: "temperature", message: "temperature must be a number, not a string"),
        Case(body: "{\(completion), \"top_p\": 0}", param: "top_p", message: "top_p must be greater than 0, got 0.0"),
        Case(body: "{\(completion), \"top_p\": 1.5}", param: "top_p", message: "top_p must be between 0.0 and 1.0, got 1.5"),
        Case(body: "{\(completion), \"top_k\": -2}", param: "top_k", message: "top_k must be -1 (off), 0 (off) or positive, got -2"),
        Case(body: "{\(completion), \"top_k\": 0.5}", param: "top_k", message: "top_k must be an integer, not a number"),
        Case(body: "{\(completion), \"min_p\": 2}", param: "min_p", message: "min_p must be between 0.0 and 1.0, got 2.0"),
        Case(
            body: "{\(completion), \"repetition_penalty\": 0}", param: "repetition_penalty",
            message: "repetition_penalty must be in (0, 10], got 0.0"),
        Case(body: "{\(completion), \"seed\": \"x\"}", param: "seed", message: "seed must be an integer, not a string"),
        Case(body: "{\(completion), \"stop\": 5}", param: "stop", message: "stop must be a string or a list of strings, not a number"),
        Case(body: "{\(completion), \"stop\": [\"a\", 1]}", param: "stop", message: "stop[1] must be a string, not a number"),
        Case(body: "{\(completion), \"stop\": [\"\"]}", param: "stop", message: "stop[0] is empty; a stop string needs at least one character"),
        Case(body: "{\(completion), \"logprobs\": 21}", param: "logprobs", message: "logprobs must be between 0 and 20, got 21"),
        Case(body: "{\(completion), \"echo\": \"yes\"}", param: "echo", message: "echo must be a boolean, not a string"),
        Case(body: "{\(completion), \"stream\": 1}", param: "stream", message: "stream must be a boolean, not a number"),
        Case(body: "{\(completion), \"n\": 2}", param: "n", message: "n is not supported by this server (got 2)"),
        Case(
            body: "{\(completion), \"stream_options\": {\"include_usage\": \"y\"}}", param: "stream_options.include_usage",
            message: "stream_options.include_usage must be a boolean, not a string"),
        Case(
            body: #"{"model": "tiny", "prompt": "\#(String(repeating: "a", count: 40))"}"#, param: "prompt",
            message: "prompt is 40 tokens; the model's maximum is 32 tokens including the output"),
        Case(
            body: "{\(completion), \"max_tokens\": 31}", param: "max_tokens",
            message: "max_tokens 31 with a prompt of 2 tokens exceeds the model's maximum of 32 tokens"),
        Case(path: "/v1/chat/completions", body: #"{"model": "tiny"}"#, param: "messages", message: "messages is required"),
        Case(
            path: "/v1/chat/completions", body: #"{"model": "tiny", "messages": "hi"}"#, param: "messages",
            message: "messages must be a list of messages, not a string"),
        Case(path: "/v1/chat/completions", body: #"{"model": "tiny", "messages": []}"#, param: "messages", message: "messages must not be empty"),
        Case(
            path: "/v1/chat/completions",
            body: #"{"model": "tiny", "messages": [{"role": "user", "content": "a"}, {"role": "tool", "content": "b"}]}"#,
            param: "messages[1].role", message: "messages[1].role must be system, user or assistant; got 'tool'"),
        Case(
            path: "/v1/chat/completions", body: #"{"model": "tiny", "messages": [{"role": "user"}]}"#, param: "messages[0].content",
            message: "messages[0].content is required"),
        Case(
            path: "/v1/chat/completions", body: #"{"model": "tiny", "messages": [{"content": "a"}]}"#, param: "messages[0].role",
            message: "messages[0].role is required"),
        Case(
            path: "/v1/chat/completions",
            body: #"{"model": "tiny", "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": "x"}]}]}"#,
            param: "messages[0].content[0].type", message: "messages[0].content[0].type 'image_url' is not supported; only text"),
        Case(
            path: "/v1/chat/completions", body: "{\(chat), \"reasoning_effort\": \"extreme\"}", param: "reasoning_effort",
            message: "reasoning_effort must be one of none, minimal, low, medium, high; got 'extreme'"),
        Case(
            path: "/v1/chat/completions", body: "{\(chat), \"chat_template_kwargs\": {\"enable_thinking\": \"no\"}}",
            param: "chat_template_kwargs.enable_thinking", message: "chat_template_kwargs.enable_thinking must be a boolean, not a string"),
        Case(
            path: "/v1/chat/completions", body: "{\(chat), \"max_tokens\": 40}", param: "max_tokens",
            message: "max_tokens 40 with a prompt of 22 tokens exceeds the model's maximum of 32 tokens"),
        Case(
            path: "/v1/chat/completions", body: "{\(chat), \"temperature\": -1}", param: "temperature",
            message: "temperature must be between 0.0 and 2.0, got -1.0"),
    ]

    @Test(arguments: cases)
    func answers400NamingTheField(_ bad: Case) async throws {
        let service = ScriptedService { _ in [TestModel.endOfText] }
        let body = try await LiveServer.with(service, model: TestModel.model(maxSequenceLength: 32)) { server in
            try await server.post(bad.path, bad.body)
        }
        #expect(body.status == 400)
        let error = try #require(try object(body.body)["error"] as? [String: Any])
        #expect(error["type"] as? String == "invalid_request_error")
        #expect(error["code"] is NSNull)
        if let param = bad.param { #expect(error["param"] as? String == param) } else { #expect(error["param"] is NSNull) }
        let message = try #require(error["message"] as? String)
        #expect(message == bad.message || (bad.param == nil && message.hasPrefix(bad.message)))
        #expect(service.state.withLock { $0.submitted.isEmpty })
    }
}
