"""The classroom consumer on the real broker, reporting to a signature-checking receiver: both analyses done and
reported once, a redelivered message one analysis (one model call, the second report stale), invalid model output
retried through the back-off ladder then failed and dead-lettered, a task the gateway does not know dead-lettered."""

import uuid

import pytest
from support.careers_broker import careers_settings
from support.classroom_broker import CLASSROOM, declare_fresh, start_classroom_receiver
from support.classroom_samples import ENGLISH_STEP, KOREAN_STEP, NOW, event
from support.studio_broker import depth, publish, running, take_dead

from llm_worker.bootstrap import Worker
from shared.messages import AnalyzeHelpRequest, AnalyzeRecording
from shared.messages.classroom_results import result_problems
from shared.testing import wait_until
from shared.webhooks import generate_secret

L, R = "\u2018", "\u2019"  # how the analyses quote an element or a screen
BROKEN = {"problem_diagnosis": "x", "step_by_step_solution": ["y"], "alternative_approaches": [],
          "confidence_score": 140, "estimated_difficulty": "EASY"}  # fmt: skip


@pytest.fixture(scope="module")
def secret():
    return generate_secret()


@pytest.fixture
def receiver(secret):
    with start_classroom_receiver(secret) as server:
        yield server


@pytest.fixture
def settings(amqp_url, receiver, secret, tmp_path):
    declare_fresh(amqp_url)
    return careers_settings(amqp_url, receiver.url, secret, str(tmp_path / "storage"))


@pytest.fixture
def openai_settings(settings, openai_standin, redis_prefix):
    values = {"llm_provider": "openai", "openai_api_key": "sk-test", "openai_base_url": openai_standin.base_url}
    return settings.model_copy(update=values | {"openai_max_retries": 0, "memo_prefix": redis_prefix})


def new_id() -> str:
    return str(uuid.uuid4())


def help_request(help_request_id: str, step=KOREAN_STEP) -> AnalyzeHelpRequest:
    activity = [event("VIEW_CLICKED", i, "홈", "검색") for i in range(3)]
    context = {"recent_activity": activity, "error_message": None}
    return AnalyzeHelpRequest(help_request_id=help_request_id, step=step, context=context, requested_at=NOW)


def test_both_analyses_are_consumed_and_reported_signed(settings, amqp_url, receiver):
    help_id, recording_id = new_id(), new_id()
    events = [event("SCREEN_CHANGE", 0, "Home"), event("CLICK", 1, "Home", "Settings"), event("BACK", 12)]
    with running(Worker(settings)):
        publish(amqp_url, help_request(help_id))
        publish(amqp_url, AnalyzeRecording(recording_id=recording_id, events=events, requested_at=NOW))
        [diagnosis] = receiver.wait_for(help_id, "classroom.completed")
        [analysis] = receiver.wait_for(recording_id, "classroom.completed")
        assert wait_until(lambda: depth(amqp_url, CLASSROOM.name) == 0, 10)

    assert (diagnosis.verdict, diagnosis.event.task) == ("applied", "help_analysis")
    assert result_problems("help_analysis", diagnosis.event.data["result"]) == []
    assert f"{L}검색{R}을 3번" in diagnosis.event.data["result"]["problem_diagnosis"]
    assert (analysis.verdict, analysis.event.task) == ("applied", "recording_analysis")
    assert [s["action"] for s in analysis.event.data["result"]["steps"]] == ["NAVIGATE", "CLICK", "BACK"]
    assert analysis.event.data["result"]["hesitations"][0]["waited_ms"] == 11000
    assert receiver.rejected_signatures == 0 and take_dead(amqp_url, CLASSROOM.dead_name) == []


def test_a_redelivered_message_gives_one_analysis(openai_settings, amqp_url, receiver, openai_standin):
    help_id = new_id()
    with running(Worker(openai_settings)):
        message_id = publish(amqp_url, help_request(help_id, ENGLISH_STEP))
        [first] = receiver.wait_for(help_id, "classroom.completed")
        publish(amqp_url, help_request(help_id, ENGLISH_STEP), message_id=message_id)
        first, second = receiver.wait_for(help_id, "classroom.completed", count=2)
        assert wait_until(lambda: depth(amqp_url, CLASSROOM.name) == 0, 10)

    assert len(openai_standin.chat_requests) == 1, "the result came from the memo, not from a second call"
    assert (first.verdict, second.verdict) == ("applied", "stale"), "one analysis"
    assert second.event.data == first.event.data and first.event.data["provider"] == "openai"


def test_invalid_model_output_is_retried_with_back_off_then_failed_and_dead_lettered(
    openai_settings, amqp_url, receiver, openai_standin
):
    openai_standin.default = ("structured", BROKEN)
    help_id = new_id()
    with running(Worker(openai_settings)):
        publish(amqp_url, help_request(help_id))
        [failed] = receiver.wait_for(help_id, "classroom.failed")
        dead = wait_until(lambda: take_dead(amqp_url, CLASSROOM.dead_name), 10)

    retrying = receiver.about(help_id, "classroom.retrying")
    assert [r.event.attempt for r in retrying] == [1, 2, 3] and failed.event.attempt == 4
    assert failed.event.data["code"] == "invalid_output"
    assert "confidence_score: 140 is greater than the maximum of 100" in failed.event.data["reason"]
    assert len(openai_standin.chat_requests) == 4 and len(dead) == 1
    assert receiver.about(help_id, "classroom.completed") == []


def test_a_task_the_gateway_does_not_know_is_dead_lettered(settings, amqp_url, receiver):
    recording_id = new_id()
    receiver.unknown_ids.add(recording_id)
    with running(Worker(settings)):
        publish(amqp_url, AnalyzeRecording(recording_id=recording_id, events=[], requested_at=NOW))
        dead = wait_until(lambda: take_dead(amqp_url, CLASSROOM.dead_name), 15)
    assert len(dead) == 1 and recording_id.encode() in dead[0]
