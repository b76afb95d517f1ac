import Foundation
import Hummingbird
import Inference

/// `POST /v1/completions`.
struct CompletionsEndpoint: Sendable {
    let model: ServedModel
    let service: any GenerationService

    /// One choice's result.
    private struct Choice {
        var text = ""
        var logprobs: CompletionLogprobs?
        var finishReason = "length"
        var completionTokens = 0
    }

    func respond(to body: Data) async throws -> Response {
        let request = try CompletionRequest(try JSONFields(body: body), model: model)
        let requests = request.prompts.map { prompt in
            GenerationRequest(
                prompt: prompt, sampling: request.sampling.sampling, maxTokens: request.maxTokens, stopTokens: model.stopTokens,
                logprobs: request.logprobs, promptLogprobs: request.echo ? request.logprobs : nil)
        }
        let streams = try ChoiceGeneration.submitAll(requests, to: service)
        let id = "cmpl-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let created = Int(Date().timeIntervalSince1970)
        if request.stream {
            return stream(request, streams: streams, id: id, created: created)
        }
        let choices = try await withThrowingTaskGroup(of: (Int, Choice).self) { group in
            for (index, events) in streams.enumerated() {
                group.addTask { (index, try await self.choice(request, prompt: request.prompts[index], events: events)) }
            }
            var choices = [Choice?](repeating: nil, count: streams.count)
            for try await (index, choice) in group { choices[index] = choice }
            return choices.compactMap { $0 }
        }
        let promptTokens = request.prompts.map(\.count).reduce(0, +)
        let completionTokens = choices.map(\.completionTokens).reduce(0, +)
        return JSONResponse.make(
            .object([
                ("id", .string(id)), ("object", .string("text_completion")), ("created", .int(created)), ("model", .string(model.name)),
                (
                    "choices",
                    .array(
                        choices.enumerated().map { index, choice in
                            .object([
                                ("index", .int(index)), ("text", .string(choice.text)), ("logprobs", choice.logprobs?.json ?? .null),
                                ("finish_reason", .string(choice.finishReason)),
                            ])
                        })
                ),
                ("usage", Usage.json(prompt: promptTokens, completion: completionTokens)),
            ]))
    }

    private func choice(
        _ request: CompletionRequest, prompt: [UInt32], events: AsyncThrowingStream<GenerationEvent, any Error>
    ) async throws -> Choice {
        var choice = Choice()
        let pieces = request.echo ? promptPieces(prompt) : []
        if request.echo { choice.text = pieces.joined() }
        // Offsets count from the start of the choice's text; with echo, the prompt's pieces are
        // added when its log-probabilities arrive.
        if request.logprobs != nil { choice.logprobs = CompletionLogprobs() }
        var pipeline = TextPipeline(model: model, stops: request.sampling.stops, splitReasoning: nil)
        try await ChoiceGeneration.run(events, pipeline: &pipeline) { update in
            switch update {
            case .promptLogprobs(let entries):
                for (piece, entry) in zip(pieces, entries) {
                    choice.logprobs?.add(piece: piece, logprob: entry, tokenizer: model.tokenizer)
                }
            case .token(_, let logprob, let delta):
                choice.completionTokens += 1
                choice.text += delta.content
                if let logprob { choice.logprobs?.add(piece: delta.piece, logprob: logprob, tokenizer: model.tokenizer) }
            case .finished(let reason, let delta):
                choice.text += delta.content
                choice.finishReason = reason
            }
        }
        return choice
    }

    /// The prompt's tokens as text pieces that join into the prompt's text.
    private func promptPieces(_ prompt: [UInt32]) -> [String] {
        var detokenizer = model.makeDetokenizer()
        var pieces = prompt.map { detokenizer.append($0) }
        pieces[pieces.count - 1] += detokenizer.finish()
        return pieces
    }

    private func stream(
        _ request: CompletionRequest, streams: [AsyncThrowingStream<GenerationEvent, any Error>], id: String, created: Int
    ) -> Response {
        let model = self.model
        return EventStream.response { send in
            let completionTokens = try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, events) in streams.enumerated() {
                    group.addTask {
                        var pipeline = TextPipeline(model: model, stops: request.sampling.stops, splitReasoning: nil)
                        var offset = 0
                        var tokens = 0
                        try await ChoiceGeneration.run(events, pipeline: &pipeline) { update in
                            var text = ""
                            var logprobs = ResponseJSON.null
                            var finish = ResponseJSON.null
                            switch update {
                            case .promptLogprobs: return
                            case .token(_, let logprob, let delta):
                                tokens += 1
                                text = delta.content
                                if let logprob, request.logprobs != nil {
                                    var entry = CompletionLogprobs(offset: offset)
                                    entry.add(piece: delta.piece, logprob: logprob, tokenizer: model.tokenizer)
                                    logprobs = entry.json
                                }
                                offset += delta.piece.unicodeScalars.count
                                if text.isEmpty && logprobs == .null { return }
                            case .finished(let reason, let delta):
                                text = delta.content
                                finish = .string(reason)
                            }
                            await send(
                                Self.chunk(
                                    id: id, created: created, model: model.name,
                                    choice: .object([
                                        ("index", .int(index)), ("text", .string(text)), ("logprobs", logprobs), ("finish_reason", finish),
                                    ])))
                        }
                        return tokens
                    }
                }
                return try await group.reduce(0, +)
            }
            if request.includeUsage {
                let promptTokens = request.prompts.map(\.count).reduce(0, +)
                await send(
                    .object([
                        ("id", .string(id)), ("object", .string("text_completion")), ("created", .int(created)),
                        ("model", .string(model.name)), ("choices", .array([])),
                        ("usage", Usage.json(prompt: promptTokens, completion: completionTokens)),
                    ]))
            }
        }
    }

    private static func chunk(id: String, created: Int, model: String, choice: ResponseJSON) -> ResponseJSON {
        .object([
            ("id", .string(id)), ("object", .string("text_completion")), ("created", .int(created)), ("model", .string(model)),
            ("choices", .array([choice])),
        ])
    }
}

/// The `usage` object.
enum Usage {
    static func json(prompt: Int, completion: Int) -> ResponseJSON {
        .object([("prompt_tokens", .int(prompt)), ("completion_tokens", .int(completion)), ("total_tokens", .int(prompt + completion))])
    }
}
