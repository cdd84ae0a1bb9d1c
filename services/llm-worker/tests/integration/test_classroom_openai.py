"""The `openai` classroom provider against the OpenAI-compatible stand-in: structured output with the analysis'
schema, a prompt in the guide's language carrying the step and the activity, answers off the schema refused,
retried with a new call, then failed naming the fault."""

import pytest
from support.careers_fakes import FakeReporter, delivery, settled
from support.classroom_samples import ENGLISH_STEP, KOREAN_STEP, NOW, event

from llm_worker.classroom.openai_classroom import OpenAIClassroomProvider
from llm_worker.classroom.port import ClassroomRequest
from llm_worker.handlers.analyze_help_request import AnalyzeHelpRequestHandler
from llm_worker.providers.base import PermanentProviderError
from llm_worker.task_handling import InvalidOutput
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.messages import AnalyzeHelpRequest
from shared.messages.classroom_results import RESULTS, result_problems

BROKEN = {"problem_diagnosis": "x", "step_by_step_solution": [], "alternative_approaches": [],
          "confidence_score": 140, "estimated_difficulty": "EASY"}  # fmt: skip
ACTIVITY = [event("VIEW_CLICKED", i, "홈", "검색") for i in range(3)]


@pytest.fixture
def provider(openai_standin):
    return OpenAIClassroomProvider(api_key="sk-test", model="gpt-test", base_url=openai_standin.base_url, max_retries=0)


def help_request(step=KOREAN_STEP) -> ClassroomRequest:
    context = {"recent_activity": ACTIVITY, "error_message": "Wi-Fi를 켤 수 없습니다"}
    return ClassroomRequest("help_analysis", step=step, context=context, requested_at=NOW)


def keys_in(schema) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {k for value in schema.values() for k in keys_in(value)}
    if isinstance(schema, list):
        return {k for item in schema for k in keys_in(item)}
    return set()


@pytest.mark.parametrize("kind", ["help_analysis", "recording_analysis"])
def test_each_analysis_asks_for_structured_output_with_its_schema(provider, openai_standin, kind):
    request = help_request() if kind == "help_analysis" else ClassroomRequest(kind, events=tuple(ACTIVITY))
    answer = provider.answer(request)
    assert result_problems(kind, answer.result) == []
    assert (answer.provider, answer.model) == ("openai", "gpt-test") and answer.usage.total_tokens > 0
    [sent] = openai_standin.chat_requests
    schema = sent.json["response_format"]["json_schema"]
    assert (sent.json["response_format"]["type"], schema["name"], schema["strict"]) == ("json_schema", kind, True)
    assert schema["schema"]["required"] == RESULTS.schemas[kind]["required"]
    assert not keys_in(schema["schema"]) & {"minLength", "maxLength"}, "strict mode refuses length limits"
    assert sent.json["temperature"] == 0 and sent.authorization == "Bearer sk-test"


def test_the_prompt_is_in_the_guides_language_and_carries_the_step_and_the_activity(provider, openai_standin):
    provider.answer(help_request())
    provider.answer(help_request(ENGLISH_STEP))
    korean, english = openai_standin.chat_requests
    assert "in Korean" in korean.messages[0]["content"] and "in English" in english.messages[0]["content"]
    assert "tapped the wrong element" in korean.messages[0]["content"]
    user = korean.messages[1]["content"]
    assert "톱니바퀴" in user and '"recent_activity"' in user and "검색" in user and "Wi-Fi를 켤 수 없습니다" in user


def test_a_refusal_is_final(provider, openai_standin):
    openai_standin.script([("refusal", "I can't help with that.")])
    with pytest.raises(PermanentProviderError, match="can't help"):
        provider.answer(help_request())


@pytest.mark.parametrize(("behaviour", "fault"), [(("not_json",), "not JSON"), (("cut_off",), "cut off")])
def test_an_answer_that_is_no_json_object_is_invalid_output(provider, openai_standin, behaviour, fault):
    openai_standin.script([behaviour])
    with pytest.raises(InvalidOutput, match=fault):
        provider.answer(help_request())


def test_an_answer_off_the_schema_is_retried_with_a_new_call_then_fails_naming_the_fault(provider, openai_standin):
    openai_standin.script([("structured", BROKEN)] * 4)
    reporter = FakeReporter()
    handler = AnalyzeHelpRequestHandler(provider, None, reporter, "w")
    command = AnalyzeHelpRequest(help_request_id="hr-1", step=KOREAN_STEP, context={}, requested_at=NOW)
    outcomes = [settled(handler(delivery(command, attempt=n))) for n in (1, 2, 3, 4)]
    assert [type(o) for o in outcomes] == [Retry, Retry, Retry, DeadLetter]
    reports = [e for e in reporter.events if e.type != "classroom.processing"]
    assert [e.type for e in reports] == ["classroom.retrying"] * 3 + ["classroom.failed"]
    failed = reports[-1].data
    assert failed["code"] == "invalid_output" and failed["reason"].startswith("gave up after 4 attempts")
    assert "confidence_score: 140 is greater than the maximum of 100" in failed["reason"]
    assert "step_by_step_solution: [] should be non-empty" in failed["reason"]
    assert len(openai_standin.chat_requests) == 4


def test_a_valid_answer_after_an_invalid_one_completes(provider, openai_standin):
    openai_standin.script([("not_json",)])
    reporter = FakeReporter()
    handler = AnalyzeHelpRequestHandler(provider, None, reporter, "w")
    command = AnalyzeHelpRequest(help_request_id="hr-2", step=ENGLISH_STEP, context={}, requested_at=NOW)
    assert isinstance(settled(handler(delivery(command, attempt=1))), Retry)
    assert settled(handler(delivery(command, attempt=2))) == Ack()
    assert reporter.events[-1].data["provider"] == "openai" and len(openai_standin.chat_requests) == 2
