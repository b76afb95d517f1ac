/// The factory's chat format as the Jinja `chat_template` of `tokenizer_config.json`, which
/// `transformers`' `apply_chat_template` renders (the Swift renderer in `Inference.ChatFormat`
/// writes the same text).
///
/// Each message is `<|im_start|>ROLE\nCONTENT<|im_end|>\n`. An assistant message with
/// `reasoning_content` (not `None`; an empty string counts) puts it first in a reasoning block:
/// `<think>\nREASONING\n</think>\n\n`; that applies to every assistant turn that has one, past
/// turns included: whoever builds the conversation decides what history keeps (OpenAI clients
/// send past turns back without it). The generation prompt (`add_generation_prompt`) is
/// `<|im_start|>assistant\n` followed, with reasoning on (`enable_thinking` true or not given),
/// by `<think>\n` (the model writes its reasoning, then `\n</think>\n\n` and the answer), or with
/// reasoning off (`enable_thinking=False`) by the closed empty block `<think>\n\n</think>\n\n`
/// (the model writes the answer at once), as Qwen3 does. No beginning-of-sequence token is added.
public enum ChatTemplate {
    /// The Jinja source.
    public static let jinja = [
        "{%- for message in messages -%}",
        "{{- '<|im_start|>' + message['role'] + '\\n' -}}",
        "{%- if message['role'] == 'assistant' and message['reasoning_content'] is defined"
            + " and message['reasoning_content'] is not none -%}",
        "{{- '<think>\\n' + message['reasoning_content'] + '\\n</think>\\n\\n' -}}",
        "{%- endif -%}",
        "{{- message['content'] + '<|im_end|>\\n' -}}",
        "{%- endfor -%}",
        "{%- if add_generation_prompt -%}",
        "{{- '<|im_start|>assistant\\n' -}}",
        "{%- if enable_thinking is defined and enable_thinking is false -%}",
        "{{- '<think>\\n\\n</think>\\n\\n' -}}",
        "{%- else -%}",
        "{{- '<think>\\n' -}}",
        "{%- endif -%}",
        "{%- endif -%}",
    ].joined(separator: "\n")
}
