import Foundation
import Hummingbird
import Inference

/// `POST /v1/chat/completions`: the turns rendered by the model's chat format, the reasoning
/// returned apart from the answer as `reasoning_content` (as vLLM does).
struct ChatCompletionsEndpoint: Sendable {
    let model: ServedModel
    let service: any GenerationService

    func respond(to body: Data) async throws -> Response {
        let request = try ChatCompletionRequest(try JSONFields(body: body), model: model)
        guard let render = model.renderChat else {
            throw APIError.invalid("messages", "the model '\(model.name)' has no chat format; use /v1/completions")
        }
        let text = render(request.turns, request.enableThinking)
        let prompt = model.tokenizer.encode(text)
        let maxTokens = request.maxTokens ?? max(model.maxSequenceLength - prompt.count, 0)
        try PromptLength.check(prompt, maxTokens: maxTokens, model: model, field: "messages")
        let generation = GenerationRequest(
            prompt: prompt, sampling: request.sampling.sampling, maxTokens: maxTokens, stopTokens: model.stopTokens)
        let events = try ChoiceGeneration.submitAll([generation], to: service)[0]
        let startsInReasoning = ServedModel.startsInReasoning(text)
        let id = "chatcmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = Int(Date().timeIntervalSince1970)
        let header = Header(id: id, created: created, model: model.name)
        if request.stream {
            return stream(
                events, stops: request.sampling.stops, startsInReasoning: startsInReasoning, header: header, promptTokens: prompt.count,
                includeUsage: request.includeUsage)
        }
        var pipeline = TextPipeline(model: model, stops: request.sampling.stops, splitReasoning: startsInReasoning)
        var content = ""
        var reasoning = ""
        var finishReason = "length"
        var completionTokens = 0
        try await ChoiceGeneration.run(events, pipeline: &pipeline) { update in
            switch update {
            case .promptLogprobs: break
            case .token(_, _, let delta):
                completionTokens += 1
                content += delta.content
                reasoning += delta.reasoning
            case .finished(let reason, let delta):
                content += delta.content
                reasoning += delta.reasoning
                finishReason = reason
            }
        }
        let message = ResponseJSON.object([
            ("role", .string("assistant")), ("content", .string(content)),
            ("reasoning_content", reasoning.isEmpty ? .null : .string(reasoning)),
        ])
        return JSONResponse.make(
            header.json(
                object: "chat.completion",
                choices: [
                    .object([("index", .int(0)), ("message", message), ("logprobs", .null), ("finish_reason", .string(finishReason))])
                ],
                usage: Usage.json(prompt: prompt.count, completion: completionTokens)))
    }

    /// The fields every response and chunk starts with.
    private struct Header: Sendable {
        var id: String
        var created: Int
        var model: String

        func json(object: String, choices: [ResponseJSON], usage: ResponseJSON? = nil) -> ResponseJSON {
            var members: [(key: String, value: ResponseJSON)] = [
                ("id", .string(id)), ("object", .string(object)), ("created", .int(created)), ("model", .string(model)),
                ("choices", .array(choices)),
            ]
            if let usage { members.append(("usage", usage)) }
            return .object(members)
        }

        func chunk(delta: [(key: String, value: ResponseJSON)], finishReason: String? = nil) -> ResponseJSON {
            json(
                object: "chat.completion.chunk",
                choices: [
                    .object([
                        ("index", .int(0)), ("delta", .object(delta)), ("logprobs", .null),
                        ("finish_reason", finishReason.map(ResponseJSON.string) ?? .null),
                    ])
                ])
        }
    }

    private func stream(
        _ events: AsyncThrowingStream<GenerationEvent, any Error>, stops: [String], startsInReasoning: Bool, header: Header,
        promptTokens: Int, includeUsage: Bool
    ) -> Response {
        let model = self.model
        return EventStream.response { send in
            var pipeline = TextPipeline(model: model, stops: stops, splitReasoning: startsInReasoning)
            var completionTokens = 0
            await send(header.chunk(delta: [("role", .string("assistant")), ("content", .string(""))]))
            try await ChoiceGeneration.run(events, pipeline: &pipeline) { update in
                switch update {
                case .promptLogprobs: break
                case .token(_, _, let delta):
                    completionTokens += 1
                    for chunk in Self.deltaChunks(delta, header: header) { await send(chunk) }
                case .finished(let reason, let delta):
                    for chunk in Self.deltaChunks(delta, header: header) { await send(chunk) }
                    await send(header.chunk(delta: [], finishReason: reason))
                }
            }
            if includeUsage {
                await send(
                    header.json(
                        object: "chat.completion.chunk", choices: [], usage: Usage.json(prompt: promptTokens, completion: completionTokens)))
            }
        }
    }

    /// A chunk for the reasoning text and one for the answer text a delta carries, if any.
    private static func deltaChunks(_ delta: TextPipeline.Delta, header: Header) -> [ResponseJSON] {
        var chunks = [ResponseJSON]()
        if !delta.reasoning.isEmpty { chunks.append(header.chunk(delta: [("reasoning_content", .string(delta.reasoning))])) }
        if !delta.content.isEmpty { chunks.append(header.chunk(delta: [("content", .string(delta.content))])) }
        return chunks
    }
}
