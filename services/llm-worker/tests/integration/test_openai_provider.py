"""The `openai` provider against a real local OpenAI-compatible HTTP stand-in (the SDK is not mocked)."""

import threading

import pytest
from support.openai_standin import FAST_RETRY

from llm_worker.providers.base import PermanentProviderError, TransientProviderError
from llm_worker.providers.openai_chat import (
    CHECKLIST_FROM_TEXT_PROMPT,
    CHECKLIST_PROMPT,
    SUMMARY_PROMPT,
    OpenAIProvider,
    parse_checklist,
)

API_KEY = "sk-test-standin-key"
GUIDELINE = "Wash your hands before every patient contact. Wear gloves when handling fluids. Dispose of sharps safely."


def make_provider(server, **overrides):
    """A provider aimed at the stand-in, with fast failure settings unless overridden."""
    options = {"model": "gpt-4o-mini", "base_url": server.base_url, "timeout": 5.0, "max_retries": 0}
    return OpenAIProvider(API_KEY, **(options | overrides))


def test_summary_and_checklist_round_trip(openai_standin):
    openai_standin.response_model = "gpt-4o-mini-2024-07-18"
    provider = make_provider(openai_standin)

    summary = provider.summarize(GUIDELINE)
    checklist = provider.make_checklist(GUIDELINE)

    assert summary.text.startswith("Summary: Wash your hands")
    assert summary.provider == "openai" and summary.model == "gpt-4o-mini-2024-07-18"
    assert summary.usage.prompt_tokens > 0 and summary.usage.completion_tokens > 0
    assert checklist.items == [
        "Wash your hands before every patient contact",
        "Wear gloves when handling fluids",
        "Dispose of sharps safely",
    ]
    assert checklist.usage.completion_tokens > 0 and checklist.model == "gpt-4o-mini-2024-07-18"
    first, second = openai_standin.chat_requests
    assert first.authorization == f"Bearer {API_KEY}"
    assert first.json["model"] == "gpt-4o-mini" and first.json["temperature"] == 0
    assert first.messages == [{"role": "system", "content": SUMMARY_PROMPT}, {"role": "user", "content": GUIDELINE}]
    assert second.messages[0] == {"role": "system", "content": CHECKLIST_PROMPT}


def test_model_falls_back_to_configured_and_usage_to_zero(openai_standin):
    openai_standin.script(
        [
            (
                "json",
                {
                    "id": "x",
                    "object": "chat.completion",
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": "Short."}, "finish_reason": "stop"}
                    ],
                },
            )
        ]
    )

    summary = make_provider(openai_standin, model="my-model").summarize(GUIDELINE)

    assert summary.text == "Short." and summary.model == "my-model"
    assert summary.usage.to_dict() == {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}


def test_rate_limited_then_success_is_retried_by_the_sdk(openai_standin):
    openai_standin.script([("status", 429, FAST_RETRY)])

    summary = make_provider(openai_standin, max_retries=2).summarize(GUIDELINE)

    assert summary.text.startswith("Summary:")
    assert len(openai_standin.chat_requests) == 2


def test_rate_limited_beyond_retries_is_transient(openai_standin):
    openai_standin.default = ("status", 429, FAST_RETRY)

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin, max_retries=1).summarize(GUIDELINE)

    assert caught.value.code == "rate_limited" and caught.value.retryable
    assert len(openai_standin.chat_requests) == 2


def test_server_error_every_time_is_transient_after_all_retries(openai_standin):
    openai_standin.default = ("status", 500, FAST_RETRY)

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin, max_retries=2).summarize(GUIDELINE)

    assert caught.value.code == "provider_5xx"
    assert len(openai_standin.chat_requests) == 3


def test_timeout_is_transient(openai_standin):
    openai_standin.script([("hang", 5.0)])

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin, timeout=0.5).summarize(GUIDELINE)

    assert caught.value.code == "timeout"


def test_dropped_connection_is_transient(openai_standin):
    openai_standin.script([("drop",)])

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin).summarize(GUIDELINE)

    assert caught.value.code == "connection_error"


@pytest.mark.parametrize(
    "behaviour",
    [
        ("malformed",),
        ("no_choices",),
        ("empty",),
        ("json", {"object": "chat.completion", "choices": "garbage"}),
        ("raw", 200, "<html>gateway says hi</html>", "text/html"),
    ],
    ids=["not-json", "no-choices", "empty-content", "garbled-choices", "html"],
)
def test_malformed_answer_is_transient(openai_standin, behaviour):
    openai_standin.script([behaviour])

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin).summarize(GUIDELINE)

    assert caught.value.code == "malformed_response"


def test_checklist_without_items_is_malformed(openai_standin):
    openai_standin.script([("ok", "I cannot help with that.")])

    with pytest.raises(TransientProviderError) as caught:
        make_provider(openai_standin).make_checklist("summary")

    assert caught.value.code == "malformed_response"


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "auth_failed"), (403, "forbidden"), (400, "bad_request"), (404, "not_found")],
)
def test_client_errors_are_permanent_and_not_retried(openai_standin, status, code):
    openai_standin.default = ("status", status)

    with pytest.raises(PermanentProviderError) as caught:
        make_provider(openai_standin, max_retries=2).summarize(GUIDELINE)

    assert caught.value.code == code and not caught.value.retryable
    assert len(openai_standin.chat_requests) == 1


def test_the_checklist_step_sends_the_whole_guideline_with_its_summary(openai_standin):
    openai_standin.script([("ok", "- Wash your hands before every patient contact\n- Dispose of sharps safely")])

    checklist = make_provider(openai_standin).make_checklist("Hand hygiene matters.", GUIDELINE)

    assert checklist.items == ["Wash your hands before every patient contact", "Dispose of sharps safely"]
    (request,) = openai_standin.chat_requests
    assert request.messages == [
        {"role": "system", "content": CHECKLIST_FROM_TEXT_PROMPT},
        {"role": "user", "content": f"Guideline:\n{GUIDELINE}\n\nSummary:\nHand hygiene matters."},
    ]


def test_checklist_as_json_array(openai_standin):
    openai_standin.script([("ok", '```json\n["Wash hands", "Wear gloves", "Wash hands", ""]\n```')])

    checklist = make_provider(openai_standin).make_checklist("summary")

    assert checklist.items == ["Wash hands", "Wear gloves"]


def test_checklist_as_numbered_list(openai_standin):
    openai_standin.script([("ok", "Checklist:\n1. Wash hands\n2) Wear gloves\n\n3.   Dispose of sharps  \n")])

    checklist = make_provider(openai_standin).make_checklist("summary")

    assert checklist.items == ["Wash hands", "Wear gloves", "Dispose of sharps"]


def test_parse_checklist_mixed_markers():
    text = "Here you go:\n- Wash hands\n* wash hands\n• Wear gloves\n- [ ] Check labels\n-\n**Note** done"
    assert parse_checklist(text) == ["Wash hands", "Wear gloves", "Check labels"]


def test_gate_holds_the_call_until_released(openai_standin):
    openai_standin.gate = threading.Event()
    provider = make_provider(openai_standin)
    results = []
    caller = threading.Thread(target=lambda: results.append(provider.summarize(GUIDELINE)))
    caller.start()

    assert openai_standin.wait_for_requests(1)
    assert caller.is_alive() and results == []
    openai_standin.gate.set()
    caller.join(timeout=5)

    assert results and results[0].text.startswith("Summary:")
