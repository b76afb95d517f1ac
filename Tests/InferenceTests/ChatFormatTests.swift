import FactoryCore
import Foundation
import Testing
import Tokenization

@testable import Inference

/// The Swift chat renderer against `transformers`' `apply_chat_template` on the factory's Jinja
/// template (fixture from scripts/make_chat_fixtures.sh).
@Suite struct ChatFormatTests {
    struct Case: Decodable {
        struct Message: Decodable {
            var role: String
            var content: String
            var reasoning_content: String?
        }
        var name: String
        var messages: [Message]
        var add_generation_prompt: Bool
        var enable_thinking: Bool?
        var text: String
        var ids: [UInt32]
    }

    static func fixture(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: "Fixtures/chat/" + name, withExtension: nil) else {
            throw FactoryError.fileNotFound(path: "Fixtures/chat/" + name)
        }
        return url.path
    }

    @Test func theFixtureCarriesTheCurrentTemplate() throws {
        let config = try TokenizerConfigFile.read(path: Self.fixture("tokenizer_config.json"))
        #expect(config.chatTemplate == ChatFormat.jinjaTemplate)
    }

    @Test func rendersTheSameTextAndIdsAsApplyChatTemplate() throws {
        let tokenizer = try Tokenizer.load(path: Self.fixture("tokenizer.json"))
        let cases = try JSONDecoder().decode([Case].self, from: Data(contentsOf: URL(fileURLWithPath: Self.fixture("cases.json"))))
        #expect(cases.count == 28)
        let format = ChatFormat()
        for item in cases {
            let messages = try item.messages.map { message in
                let role = try #require(ChatMessage.Role(rawValue: message.role))
                return ChatMessage(role: role, content: message.content, reasoning: message.reasoning_content)
            }
            let thinking = item.enable_thinking ?? true
            let label = "\(item.name) prompt=\(item.add_generation_prompt) thinking=\(String(describing: item.enable_thinking))"
            #expect(format.render(messages, addGenerationPrompt: item.add_generation_prompt, enableThinking: thinking) == item.text, "\(label)")
            let ids = format.tokens(messages, addGenerationPrompt: item.add_generation_prompt, enableThinking: thinking, tokenizer: tokenizer)
            #expect(ids == item.ids, "\(label)")
        }
    }

    @Test func reasoningOffClosesAnEmptyBlockAndOnOpensOne() {
        let messages = [ChatMessage(role: .user, content: "Hi")]
        let format = ChatFormat()
        #expect(
            format.render(messages, addGenerationPrompt: true, enableThinking: false)
                == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n")
        #expect(
            format.render(messages, addGenerationPrompt: true, enableThinking: true)
                == "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n")
        #expect(format.render(messages, addGenerationPrompt: false, enableThinking: false) == "<|im_start|>user\nHi<|im_end|>\n")
    }

    /// What a model writes after the reasoning-on prompt splits back into the turn's parts.
    @Test func aRenderedAssistantTurnSplitsBackIntoReasoningAndAnswer() {
        let format = ChatFormat()
        let prompt = format.render([ChatMessage(role: .user, content: "Q")], addGenerationPrompt: true, enableThinking: true)
        let full = format.render(
            [ChatMessage(role: .user, content: "Q"), ChatMessage(role: .assistant, content: "The answer.", reasoning: "Step 1.\nStep 2.")],
            addGenerationPrompt: false, enableThinking: true)
        #expect(full.hasPrefix(prompt))
        let generated = String(full.dropFirst(prompt.count).dropLast("<|im_end|>\n".count))
        var splitter = ReasoningSplitter(startsInReasoning: true)
        let fed = splitter.feed(generated)
        let rest = splitter.finish()
        #expect(fed.reasoning + rest.reasoning == "Step 1.\nStep 2." && fed.content + rest.content == "The answer.")
    }
}
