"""GPT jobs end to end: real processes, HTTP in, result out, and the faults they must survive."""

import json
import signal
import subprocess
import threading
import time
import uuid

import httpx
import pika
import pytest
from e2e_stack import wait_until

GUIDELINE = (
    "All visitors must sign in at the front desk and wear a visible badge at all times. "
    "Employees should escort guests in restricted areas. Never prop open fire doors. "
    "Report any security incident to the duty officer within one hour."
)
KOREAN = (
    "모든 방문객은 출입 시 안내 데스크에서 서명해야 합니다. "
    "보안 구역에서는 직원이 반드시 동행해야 합니다. 화재 비상문을 열어 두지 마십시오."
)


def queue_depth(amqp_url: str, name: str) -> int:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    depth = conn.channel().queue_declare(name, passive=True).method.message_count
    conn.close()
    return depth


def publish_raw(amqp_url: str, body: bytes, message_id: str) -> None:
    conn = pika.BlockingConnection(pika.URLParameters(amqp_url))
    channel = conn.channel()
    channel.confirm_delivery()
    props = pika.BasicProperties(message_id=message_id, type="RunJob", delivery_mode=2, content_type="application/json")
    channel.basic_publish("jobs", "job.run", body, props)
    conn.close()


def test_jobs_complete_with_summary_checklist_and_steps(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    stack.sign_in()  # the jobs are this user's: listed for them, 404 for anyone else
    ids = [stack.post_job(GUIDELINE) for _ in range(10)] + [stack.post_job(KOREAN)]
    for event_id in ids:
        job = stack.wait_for_status(event_id, {"completed", "failed"})
        assert job["status"] == "completed", job
        result = job["result"]
        assert result["summary"] and result["checklist"] and result["provider"] == "local"
        assert result["usage"]["total_tokens"] > 0
        assert [s["name"] for s in job["steps"]] == ["summary", "checklist"]
    korean = stack.job(ids[-1])["result"]
    assert any("서명" in item or "동행" in item for item in korean["checklist"])
    listing = stack.http.get("/api/jobs", params={"page_size": 100}).json()
    assert listing["total"] == 11 and listing["items"][0]["event_id"] == ids[-1]
    assert httpx.get(f"{stack.env['GATEWAY_URL']}/api/jobs/{ids[0]}").status_code == 404  # anonymous


def test_worker_killed_mid_job_still_completes_with_one_result(stack, openai_env, openai_standin, sql):
    stack.start("gateway")
    stack.start("relay")
    gate = openai_standin.gate = threading.Event()
    stack.start("llm-worker", openai_env)
    event_id = stack.post_job(GUIDELINE)
    assert openai_standin.wait_for_requests(1, timeout=30), stack.logs("llm-worker")
    stack.wait_for_status(event_id, {"processing"}, timeout=10)  # reported while the call hangs
    stack.kill("llm-worker", signal.SIGKILL)
    gate.set()
    stack.start("llm-worker", openai_env)
    job = stack.wait_for_status(event_id, {"completed", "failed"})
    assert job["status"] == "completed"
    assert sql("SELECT count(*) FROM job_steps WHERE job_id = %s", event_id) == [(2,)]
    summaries = [r for r in openai_standin.chat_requests if "checklist" not in json.dumps(r.json).lower()]
    assert len(summaries) == 2, "the killed call is retried once, no more"
    assert len(openai_standin.chat_requests) == 3


def test_the_same_message_delivered_twice_has_one_effect(stack, stack_env, openai_env, openai_standin, sql):
    stack.start("gateway")
    event_id = stack.post_job(GUIDELINE)  # no relay: we deliver the message ourselves, twice
    [(payload,)] = sql("SELECT payload FROM outbox")
    body = json.dumps(payload).encode()
    publish_raw(stack_env["AMQP_URL"], body, "dup-1")
    publish_raw(stack_env["AMQP_URL"], body, "dup-1")
    stack.start("llm-worker", openai_env)
    stack.wait_for_status(event_id, {"completed", "failed"})
    assert wait_until(lambda: queue_depth(stack_env["AMQP_URL"], "llm-worker.jobs") == 0, 20)
    time.sleep(1)
    assert len(openai_standin.chat_requests) == 2, "one summary and one checklist call, not two of each"
    assert sql("SELECT count(*) FROM job_steps WHERE job_id = %s", event_id) == [(2,)]
    assert stack.job(event_id)["status"] == "completed"


def test_a_poison_message_is_dead_lettered(stack, stack_env):
    stack.start("gateway")
    stack.start("llm-worker")
    publish_raw(stack_env["AMQP_URL"], b"\x00 not json at all", "poison-1")
    publish_raw(stack_env["AMQP_URL"], json.dumps({"version": 99}).encode(), "poison-2")
    assert wait_until(lambda: queue_depth(stack_env["AMQP_URL"], "llm-worker.jobs.dead") == 2, 20)
    assert stack.http.get("/api/health/detailed").status_code == 401  # the details are for the operator
    health = stack.http.get("/api/health/detailed", headers=operator(stack)).json()
    dead = [q for q in health["checks"]["rabbitmq"]["queues"] if q["name"] == "llm-worker.jobs.dead"]
    assert dead[0]["messages"] == 2 and dead[0]["state"] == "degraded"


def test_a_failing_provider_retries_with_back_off_then_fails_and_dead_letters(
    stack, stack_env, openai_env, openai_standin
):
    openai_standin.default = ("status", 500, {"retry-after-ms": "1"})
    for name in ("gateway", "relay"):
        stack.start(name)
    stack.start("llm-worker", openai_env)
    event_id = stack.post_job(GUIDELINE)
    job = stack.wait_for_status(event_id, {"failed", "completed"})
    assert job["status"] == "failed"
    assert job["attempts"] == 3 and "provider_5xx" in job["error"]["reason"] and "gave up" in job["error"]["reason"]
    assert len(openai_standin.chat_requests) == 3
    assert wait_until(lambda: queue_depth(stack_env["AMQP_URL"], "llm-worker.jobs.dead") == 1, 20)


def test_a_transient_failure_shows_retrying_then_completes(stack, openai_env, openai_standin):
    openai_standin.script([("status", 503, {"retry-after-ms": "1"})])
    for name in ("gateway", "relay"):
        stack.start(name)
    stack.start("llm-worker", openai_env)
    event_id = stack.post_job(GUIDELINE)
    job = stack.wait_for_status(event_id, {"completed", "failed"})
    assert job["status"] == "completed" and job["attempts"] == 2


@pytest.mark.skipif(subprocess.run(["which", "rabbitmqctl"], capture_output=True).returncode, reason="no broker CLI")
def test_jobs_posted_while_rabbitmq_is_down_complete_when_it_returns(stack):
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=120)
    try:
        ids = [stack.post_job(f"{GUIDELINE} Rule {i}.") for i in range(10)]
        health = stack.http.get("/api/health/detailed", headers=operator(stack))
        assert health.status_code == 503 and health.json()["checks"]["rabbitmq"]["state"] == "down"
        assert health.json()["checks"]["outbox"]["pending"] >= 10
    finally:
        subprocess.run(["rabbitmqctl", "-q", "start_app"], check=True, timeout=120)
    for event_id in ids:
        assert stack.wait_for_status(event_id, {"completed", "failed"}, timeout=120)["status"] == "completed"


def test_unknown_job_messages_are_dead_lettered_not_looped(stack, stack_env):
    stack.start("gateway")
    stack.start("llm-worker")
    body = json.dumps({"version": 1, "job_id": str(uuid.uuid4()), "text": "Hi there.", "requested_at": "now"})
    publish_raw(stack_env["AMQP_URL"], body.encode(), "ghost-1")
    assert wait_until(lambda: queue_depth(stack_env["AMQP_URL"], "llm-worker.jobs.dead") == 1, 20)


def operator(stack) -> dict[str, str]:
    """The operator's credential for /api/health/detailed."""
    return {"Authorization": f"Bearer {stack.env['OPERATOR_TOKEN']}"}
