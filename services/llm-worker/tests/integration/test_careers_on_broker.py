"""The careers consumer on the real broker, reporting to a signature-checking receiver: every command done and
reported once, invalid model output retried then failed, a redelivery or a killed worker never a second call."""

import signal
import threading
import uuid

import pytest
from support.careers_broker import CAREERS, careers_settings, declare_fresh, worker_processes
from support.careers_receiver import start_careers_receiver
from support.careers_samples import ENGLISH_POSTING, ENGLISH_RESUME, KOREAN_POSTING, KOREAN_RESUME, NOW
from support.studio_broker import depth, publish, running, take_dead

from llm_worker.bootstrap import Worker
from shared.messages import BuildStudyGuide, ReviewResume, RewriteResume, RunInterviewStep
from shared.messages.careers_results import result_problems
from shared.testing import wait_until
from shared.webhooks import generate_secret

BROKEN = {"parent_content": "# R", "matching_rate": 150, "feedback_contents": []}


@pytest.fixture(scope="module")
def secret():
    return generate_secret()


@pytest.fixture
def receiver(secret):
    with start_careers_receiver(secret) as server:
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


def review(feedback_id: str, resume=KOREAN_RESUME, posting=KOREAN_POSTING) -> ReviewResume:
    return ReviewResume(feedback_id=feedback_id, resume=resume, posting=posting, requested_at=NOW)


def test_every_careers_command_is_consumed_and_reported_signed(settings, amqp_url, receiver):
    ids = {task: new_id() for task in ("feedback", "rewrite", "interview", "study_guide")}
    feedback = {"matching_rate": 45, "feedback_contents": [{"division": "2", "result": "AWS is missing."}]}
    commands = [
        review(ids["feedback"]),
        RewriteResume(rewrite_id=ids["rewrite"], resume=ENGLISH_RESUME, feedback=feedback, requested_at=NOW),
        RunInterviewStep(
            interview_id=ids["interview"],
            step=1,
            action="open",
            resume=ENGLISH_RESUME,
            posting=ENGLISH_POSTING,
            requested_at=NOW,
        ),
        BuildStudyGuide(guide_id=ids["study_guide"], resume=KOREAN_RESUME, posting=KOREAN_POSTING, requested_at=NOW),
    ]
    with running(Worker(settings)):
        for command in commands:
            publish(amqp_url, command)
        reports = {task: receiver.wait_for(task_id, "careers.completed") for task, task_id in ids.items()}
        assert wait_until(lambda: depth(amqp_url, CAREERS.name) == 0, 10)

    kinds = {"feedback": "feedback", "rewrite": "rewrite", "interview": "interview.open", "study_guide": "study_guide"}
    for task, [completed] in reports.items():
        assert completed.verdict == "applied" and completed.event.task == task
        assert result_problems(kinds[task], completed.event.data["result"]) == []
        assert completed.event.data["provider"] == "local"
    assert reports["interview"][0].event.step == 1
    assert "AWS" in str(reports["feedback"][0].event.data["result"]["feedback_contents"])
    assert receiver.rejected_signatures == 0 and take_dead(amqp_url, CAREERS.dead_name) == []


def test_a_redelivered_message_makes_no_second_model_call_and_no_second_result(
    openai_settings, amqp_url, receiver, openai_standin
):
    feedback_id = new_id()
    with running(Worker(openai_settings)):
        message_id = publish(amqp_url, review(feedback_id))
        [first] = receiver.wait_for(feedback_id, "careers.completed")
        publish(amqp_url, review(feedback_id), message_id=message_id)
        first, second = receiver.wait_for(feedback_id, "careers.completed", count=2)
        assert wait_until(lambda: depth(amqp_url, CAREERS.name) == 0, 10)

    assert len(openai_standin.chat_requests) == 1, "the result came from the memo, not from a second call"
    assert (first.verdict, second.verdict) == ("applied", "stale"), "one result"
    assert second.event.data == first.event.data and first.event.data["provider"] == "openai"


def test_invalid_model_output_is_retried_with_back_off_then_failed_and_dead_lettered(
    openai_settings, amqp_url, receiver, openai_standin
):
    openai_standin.default = ("structured", BROKEN)
    feedback_id = new_id()
    with running(Worker(openai_settings)):
        publish(amqp_url, review(feedback_id))
        [failed] = receiver.wait_for(feedback_id, "careers.failed")
        dead = wait_until(lambda: take_dead(amqp_url, CAREERS.dead_name), 10)

    retrying = receiver.about(feedback_id, "careers.retrying")
    assert [r.event.attempt for r in retrying] == [1, 2, 3] and failed.event.attempt == 4
    assert failed.event.data["code"] == "invalid_output"
    assert "matching_rate: 150 is greater than the maximum of 100" in failed.event.data["reason"]
    assert len(openai_standin.chat_requests) == 4 and len(dead) == 1
    assert receiver.about(feedback_id, "careers.completed") == []


def test_a_result_after_an_invalid_one_completes(openai_settings, amqp_url, receiver, openai_standin):
    openai_standin.script([("not_json",)])
    feedback_id = new_id()
    with running(Worker(openai_settings)):
        publish(amqp_url, review(feedback_id, ENGLISH_RESUME, ENGLISH_POSTING))
        [completed] = receiver.wait_for(feedback_id, "careers.completed")

    [retrying] = receiver.about(feedback_id, "careers.retrying")
    assert "not JSON" in retrying.event.data["reason"] and completed.event.attempt == 2
    assert len(openai_standin.chat_requests) == 2


def test_the_message_waits_until_the_gateway_accepts_the_report(settings, amqp_url, receiver):
    receiver.unavailable = 3
    feedback_id = new_id()
    with running(Worker(settings)):
        publish(amqp_url, review(feedback_id))
        receiver.wait_for(feedback_id, "careers.completed")
        assert wait_until(lambda: depth(amqp_url, CAREERS.name) == 0, 10)
    assert receiver.unavailable == 0 and take_dead(amqp_url, CAREERS.dead_name) == []


def test_a_task_the_gateway_does_not_know_is_dead_lettered(settings, amqp_url, receiver):
    feedback_id = new_id()
    receiver.unknown_ids.add(feedback_id)
    with running(Worker(settings)):
        publish(amqp_url, review(feedback_id))
        dead = wait_until(lambda: take_dead(amqp_url, CAREERS.dead_name), 15)
    assert len(dead) == 1 and feedback_id.encode() in dead[0]


def test_a_worker_killed_mid_message_completes_once_with_one_more_call(
    settings, amqp_url, receiver, secret, openai_standin, redis_prefix, tmp_path
):
    gate = openai_standin.gate = threading.Event()
    env = {
        "APP_ENV": "test",
        "AMQP_URL": amqp_url,
        "GATEWAY_URL": receiver.url,
        "JOBS_WEBHOOK_SECRET": secret,
        "RETRY_DELAYS_MS": "200,400,800",
        "LLM_PROVIDER": "openai",
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_BASE_URL": openai_standin.base_url,
        "OPENAI_MAX_RETRIES": "0",
        "MEMO_PREFIX": redis_prefix,
        "MEMO_LOCK_SECONDS": "1",
        "STORAGE_DIR": str(tmp_path / "storage"),
        "WORKER_NICE": "0",
    }
    feedback_id = new_id()
    with worker_processes(tmp_path, env) as start:
        first = start()
        publish(amqp_url, review(feedback_id))
        assert openai_standin.wait_for_requests(1, timeout=30), (tmp_path / "llm-worker-0.log").read_text()
        receiver.wait_for(feedback_id, "careers.processing")
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        gate.set()
        start()
        [completed] = receiver.wait_for(feedback_id, "careers.completed", timeout=60)
        assert wait_until(lambda: depth(amqp_url, CAREERS.name) == 0, 20)

    assert completed.verdict == "applied" and result_problems("feedback", completed.event.data["result"]) == []
    assert len(openai_standin.chat_requests) == 2, "the killed call is made again once, no more"
    assert receiver.about(feedback_id, "careers.failed") == []
