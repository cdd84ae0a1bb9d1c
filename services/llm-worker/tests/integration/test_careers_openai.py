"""The `openai` careers provider against the OpenAI-compatible stand-in: structured output asked for, answers
that break the schema refused, retried with a new call, then failed naming the fault."""

import copy

import pytest
from support.careers_fakes import FakeReporter, delivery, settled
from support.careers_samples import ENGLISH_POSTING, ENGLISH_RESUME, KOREAN_POSTING, KOREAN_RESUME, NOW

from llm_worker.careers.openai_careers import OpenAICareersProvider
from llm_worker.careers.port import CareersRequest, InvalidOutput
from llm_worker.handlers.review_resume import ReviewResumeHandler
from llm_worker.providers.base import PermanentProviderError
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.messages import ReviewResume
from shared.messages.careers_results import RESULT_SCHEMAS, result_problems

BROKEN = {"parent_content": "# R", "matching_rate": 150, "feedback_contents": []}


@pytest.fixture
def provider(openai_standin):
    return OpenAICareersProvider(api_key="sk-test", model="gpt-test", base_url=openai_standin.base_url, max_retries=0)


def feedback_request(resume=KOREAN_RESUME, posting=KOREAN_POSTING) -> CareersRequest:
    return CareersRequest("feedback", resume=resume, posting=posting, requested_at=NOW)


def keys_in(schema) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {k for value in schema.values() for k in keys_in(value)}
    if isinstance(schema, list):
        return {k for item in schema for k in keys_in(item)}
    return set()


def test_a_feedback_asks_for_structured_output_with_the_tasks_schema(provider, openai_standin):
    answer = provider.answer(feedback_request())
    assert result_problems("feedback", answer.result) == []
    assert (answer.provider, answer.model) == ("openai", "gpt-test") and answer.usage.total_tokens > 0
    [request] = openai_standin.chat_requests
    response_format = request.json["response_format"]
    assert response_format["type"] == "json_schema"
    schema = response_format["json_schema"]
    assert (schema["name"], schema["strict"]) == ("feedback", True)
    assert schema["schema"]["required"] == RESULT_SCHEMAS["feedback"]["required"]
    assert schema["schema"]["additionalProperties"] is False
    assert not keys_in(schema["schema"]) & {"minLength", "maxLength"}, "strict mode refuses length limits"
    assert request.json["temperature"] == 0 and request.authorization == "Bearer sk-test"


def test_the_prompt_asks_for_the_resumes_language_and_carries_the_documents(provider, openai_standin):
    provider.answer(feedback_request())
    provider.answer(feedback_request(ENGLISH_RESUME, ENGLISH_POSTING))
    korean, english = openai_standin.chat_requests
    assert "Write every text in Korean" in korean.messages[0]["content"]
    assert "Write every text in English" in english.messages[0]["content"]
    assert "한빛커머스" in korean.messages[1]["content"] and "Alex Kim" in english.messages[1]["content"]


def test_each_interview_step_asks_for_its_own_result(provider, openai_standin):
    turns = ({"question_id": "q1", "competence": "c", "question": "Why?", "answer": "Because."},)
    for action in ("open", "answer", "finish"):
        kind = f"interview.{action}"
        answer = provider.answer(CareersRequest(kind, ENGLISH_RESUME, turns=turns, requested_at=NOW))
        assert result_problems(kind, answer.result) == []
    names = [r.json["response_format"]["json_schema"]["name"] for r in openai_standin.chat_requests]
    assert names == ["interview_open", "interview_answer", "interview_finish"]
    assert '"questions_asked": 1' in openai_standin.chat_requests[1].messages[1]["content"]


@pytest.mark.parametrize(
    ("behaviour", "fault"),
    [(("not_json",), "not JSON"), (("cut_off",), "cut off"), (("empty",), "empty")],
)
def test_an_answer_that_is_no_json_object_is_invalid_output(provider, openai_standin, behaviour, fault):
    openai_standin.script([behaviour])
    with pytest.raises(InvalidOutput, match=fault) as raised:
        provider.answer(feedback_request())
    assert raised.value.retryable and raised.value.code == "invalid_output"


def test_a_refusal_is_final(provider, openai_standin):
    openai_standin.script([("refusal", "I can't help with that.")])
    with pytest.raises(PermanentProviderError, match="can't help") as raised:
        provider.answer(feedback_request())
    assert raised.value.code == "refused"


def test_an_answer_off_the_schema_is_retried_with_a_new_call_then_fails_naming_the_fault(provider, openai_standin):
    openai_standin.script([("off_schema",), ("structured", BROKEN), ("structured", BROKEN), ("structured", BROKEN)])
    reporter = FakeReporter()
    handler = ReviewResumeHandler(provider, None, reporter, "w")
    command = ReviewResume(feedback_id="fb-1", resume=KOREAN_RESUME, posting=KOREAN_POSTING, requested_at=NOW)
    outcomes = [settled(handler(delivery(command, attempt=n))) for n in (1, 2, 3, 4)]
    assert [type(o) for o in outcomes] == [Retry, Retry, Retry, DeadLetter]
    reports = [e for e in reporter.events if e.type != "careers.processing"]
    assert [e.type for e in reports] == ["careers.retrying"] * 3 + ["careers.failed"]
    assert "(root): Additional properties are not allowed ('unexpected' was unexpected)" in reports[0].data["reason"]
    failed = reports[-1].data
    assert failed["code"] == "invalid_output" and failed["reason"].startswith("gave up after 4 attempts")
    assert "matching_rate: 150 is greater than the maximum of 100" in failed["reason"]
    assert len(openai_standin.chat_requests) == 4


def test_a_valid_answer_after_an_invalid_one_completes(provider, openai_standin):
    openai_standin.script([("not_json",)])
    reporter = FakeReporter()
    handler = ReviewResumeHandler(provider, None, reporter, "w")
    command = ReviewResume(feedback_id="fb-2", resume=copy.deepcopy(ENGLISH_RESUME), requested_at=NOW)
    assert isinstance(settled(handler(delivery(command, attempt=1))), Retry)
    assert settled(handler(delivery(command, attempt=2))) == Ack()
    assert reporter.events[-1].data["provider"] == "openai" and len(openai_standin.chat_requests) == 2
