import ArgumentParser
import FactoryCore
import Foundation
import Inference
import Server

/// `factory generate`: text from a checkpoint folder, one prompt streamed to the terminal or a
/// JSON Lines file of prompts run together (batched) into JSON Lines.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate text: --prompt streams to the terminal; --prompts FILE.jsonl ({\"prompt\": …} per line) writes JSON Lines.")

    /// Reasoning on or off, for chat prompts.
    enum Reasoning: String, CaseIterable, ExpressibleByArgument {
        case on, off
    }

    @OptionGroup var engine: EngineOptions

    @Option(help: "A prompt, streamed to the terminal.")
    var prompt: String?

    @Option(help: "A JSON Lines file of prompts ({\"prompt\": \"…\"} per line), generated together.")
    var prompts: String?

    @Option(name: .shortAndLong, help: "Where --prompts writes its JSON Lines (default: standard output).")
    var output: String?

    @Flag(help: "Send each prompt as the user turn of a chat in the model's chat format.")
    var chat = false

    @Option(help: "Reasoning for chat prompts: the reasoning block is opened (on) or closed empty (off).")
    var reasoning = Reasoning.on

    @Option(help: "Most tokens to generate per prompt.")
    var maxTokens = 256

    @Option(help: "0 is greedy.")
    var temperature: Float = 0

    @Option(help: "Keep the k most likely tokens (0: off).")
    var topK = 0

    @Option(help: "Nucleus sampling mass (1: off).")
    var topP: Float = 1

    @Option(help: "Drop tokens below min-p times the most likely (0: off).")
    var minP: Float = 0

    @Option(help: "Penalty on tokens already seen (1: off).")
    var repetitionPenalty: Float = 1

    @Option(help: "Seed of each prompt's sampling (prompt i uses seed + i).")
    var seed: UInt64 = 0

    @Option(name: .customLong("stop"), help: "A stop string (repeatable).")
    var stops: [String] = []

    func validate() throws {
        guard (prompt == nil) != (prompts == nil) else { throw ValidationError("give exactly one of --prompt and --prompts") }
        guard output == nil || prompts != nil else { throw ValidationError("--output goes with --prompts") }
    }

    func run() async throws {
        let items = try prompts.map(Self.readPrompts) ?? []
        let (folder, service) = try engine.load()
        let generator = TextGenerator(model: ServedModel(folder: folder), service: service)
        if let prompt {
            var inReasoning = false
            let result = try await generate(generator, prompt, index: 0) { reasoningText, content in
                if !reasoningText.isEmpty && !inReasoning {
                    Self.write("<think>")
                    inReasoning = true
                }
                Self.write(reasoningText)
                if !content.isEmpty && inReasoning {
                    Self.write("</think>\n")
                    inReasoning = false
                }
                Self.write(content)
            }
            Self.write("\n")
            FileHandle.standardError.write(
                Data("[\(result.finishReason): \(result.promptTokens) prompt tokens, \(result.completionTokens) generated]\n".utf8))
            return
        }
        let results = try await withThrowingTaskGroup(of: (Int, TextGenerator.Output).self) { group in
            for (index, text) in items.enumerated() {
                group.addTask { (index, try await generate(generator, text, index: index) { _, _ in }) }
            }
            var results = [TextGenerator.Output?](repeating: nil, count: items.count)
            for try await (index, result) in group { results[index] = result }
            return results.compactMap { $0 }
        }
        var lines = ""
        for (index, (text, result)) in zip(items, results).enumerated() {
            var members = [
                "{\"index\":\(index)", "\"prompt\":\(JSONText.quoted(text))", "\"text\":\(JSONText.quoted(result.text))",
            ]
            if let reasoning = result.reasoning { members.append("\"reasoning\":\(JSONText.quoted(reasoning))") }
            members += [
                "\"finish_reason\":\(JSONText.quoted(result.finishReason))", "\"prompt_tokens\":\(result.promptTokens)",
                "\"completion_tokens\":\(result.completionTokens)}",
            ]
            lines += members.joined(separator: ",") + "\n"
        }
        if let output {
            try AtomicFile.write(Data(lines.utf8), toPath: output)
            print("\(results.count) generations -> \(output)")
        } else {
            Self.write(lines)
        }
    }

    private func generate(
        _ generator: TextGenerator, _ text: String, index: Int, onText: (String, String) -> Void
    ) async throws -> TextGenerator.Output {
        let sampling = SamplingParameters(
            temperature: temperature, topK: topK, topP: topP, minP: minP, repetitionPenalty: repetitionPenalty, seed: seed &+ UInt64(index))
        do {
            return try await generator.generate(
                text, chat: chat, reasoning: reasoning == .on, sampling: sampling, maxTokens: maxTokens, stops: stops, onText: onText)
        } catch let error as APIError {
            throw FactoryError.invalidArgument(name: optionName(ofField: error.param, index: index), message: error.message)
        }
    }

    /// The command-line option behind a request field the server's validation names
    /// (`top_p` → `--top-p`); the prompt's own errors name the prompt or its line in the file.
    private func optionName(ofField field: String?, index: Int) -> String {
        guard let field, field != "prompt", field != "messages" else {
            return prompts == nil ? "--prompt" : "--prompts line \(index + 1)"
        }
        return "--" + field.replacingOccurrences(of: "_", with: "-")
    }

    /// The `prompt` field of each line of a JSON Lines file.
    static func readPrompts(_ path: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: path) else { throw FactoryError.fileNotFound(path: path) }
        let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
        guard type == .typeRegular, let data = FileManager.default.contents(atPath: path) else {
            throw FactoryError.invalidArgument(name: "--prompts \(path)", message: "not a readable regular file")
        }
        var prompts = [String]()
        for (offset, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let value = try JSONValue.parse(Array(line.utf8), source: "\(path):\(offset + 1)")
            guard case .object(let members) = value, let prompt = members["prompt"]?.string, !prompt.isEmpty else {
                throw FactoryError.config(file: path, keyPath: "prompt", line: offset + 1, message: "each line needs a non-empty string 'prompt'")
            }
            prompts.append(prompt)
        }
        guard !prompts.isEmpty else { throw FactoryError.config(file: path, keyPath: "prompt", line: nil, message: "no prompts") }
        return prompts
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
