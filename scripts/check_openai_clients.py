#!/usr/bin/env python3
"""Drives a running `factory serve` with the official `openai` client: chat (reasoning on and
off), chat streaming, completions with logprobs and echo. Prints what came back; exits 1 on a
response of the wrong shape.

Usage: check_openai_clients.py BASE_URL MODEL   (BASE_URL like http://127.0.0.1:8000/v1)
"""
import sys

from openai import OpenAI


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        check.failed = True


check.failed = False


def main():
    base_url, model = sys.argv[1], sys.argv[2]
    client = OpenAI(base_url=base_url, api_key="unused")

    models = client.models.list()
    check([m.id for m in models.data] == [model], f"models.list -> {[m.id for m in models.data]}")

    messages = [{"role": "user", "content": "Write one short sentence about the sea."}]
    try:
        chat = client.chat.completions.create(model=model, messages=messages, max_tokens=48, temperature=0, seed=1)
    except Exception as error:  # openai.BadRequestError: a checkpoint without a chat format
        check(getattr(error, "status_code", None) == 400 and "no chat format" in str(error), f"chat refused: {error}")
        chat = None
    if chat is not None:
        check_chat(client, model, messages, chat)
    check_completions(client, model)
    return 1 if check.failed else 0


def check_chat(client, model, messages, chat):
    message = chat.choices[0].message
    reasoning = getattr(message, "reasoning_content", None) or (message.model_extra or {}).get("reasoning_content")
    print(f"     chat (reasoning on): reasoning={reasoning!r} content={message.content!r}")
    check(chat.object == "chat.completion" and chat.usage.completion_tokens > 0, "chat completion with usage")

    off = client.chat.completions.create(
        model=model, messages=messages, max_tokens=32, temperature=0, extra_body={"chat_template_kwargs": {"enable_thinking": False}})
    off_reasoning = (off.choices[0].message.model_extra or {}).get("reasoning_content")
    print(f"     chat (reasoning off): reasoning={off_reasoning!r} content={off.choices[0].message.content!r}")
    check(off_reasoning is None, "reasoning off returns no reasoning_content")

    effort = client.chat.completions.create(model=model, messages=messages, max_tokens=32, temperature=0, reasoning_effort="none")
    check(effort.choices[0].message.content == off.choices[0].message.content, "reasoning_effort none equals enable_thinking false")

    pieces, reasoning_pieces, finish = [], [], None
    stream = client.chat.completions.create(
        model=model, messages=messages, max_tokens=48, temperature=0, seed=1, stream=True, stream_options={"include_usage": True})
    usage = None
    for chunk in stream:
        if chunk.usage:
            usage = chunk.usage
        for choice in chunk.choices:
            delta = choice.delta
            if delta.content:
                pieces.append(delta.content)
            extra = (delta.model_extra or {}).get("reasoning_content")
            if extra:
                reasoning_pieces.append(extra)
            finish = choice.finish_reason or finish
    print(f"     chat stream: {len(pieces) + len(reasoning_pieces)} deltas, finish={finish}, usage={usage}")
    check("".join(pieces) == (message.content or "") and finish is not None, "streamed chat equals the non-streamed one")


def check_completions(client, model):
    completion = client.completions.create(model=model, prompt="Once upon a time", max_tokens=16, temperature=0, logprobs=3)
    logprobs = completion.choices[0].logprobs
    print(f"     completion: {completion.choices[0].text!r}")
    check(
        len(logprobs.tokens) == len(logprobs.token_logprobs) == len(logprobs.top_logprobs) == len(logprobs.text_offset) > 0,
        "completion logprobs: tokens, token_logprobs, top_logprobs, text_offset")
    check(all(len(top) >= 3 for top in logprobs.top_logprobs), "three alternatives per token")

    echo = client.completions.create(model=model, prompt="Once upon a time", max_tokens=0, echo=True, logprobs=1)
    echoed = echo.choices[0]
    check(echoed.text == "Once upon a time" and echoed.logprobs.token_logprobs[0] is None, "echo + logprobs + max_tokens 0 scores the prompt")
    print(f"     prompt log-likelihood: {sum(echoed.logprobs.token_logprobs[1:]):.3f}")

    streamed = "".join(
        chunk.choices[0].text
        for chunk in client.completions.create(model=model, prompt="Once upon a time", max_tokens=16, temperature=0, stream=True)
        if chunk.choices)
    check(streamed == completion.choices[0].text, "streamed completion equals the non-streamed one")

    try:
        client.completions.create(model=model, prompt="x", max_tokens=4, temperature=7)
        check(False, "temperature 7 refused")
    except Exception as error:  # openai.BadRequestError
        check(getattr(error, "status_code", None) == 400 and "temperature" in str(error), f"bad request -> 400: {error}")


if __name__ == "__main__":
    sys.exit(main())
