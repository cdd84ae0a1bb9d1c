"""The topology's names and arguments, its definitions export, and message contracts."""

import json

import pytest

from shared.amqp.topology import classroom_activity, definitions, format_delay, llm_worker_jobs, work_queues
from shared.messages import RunJob
from shared.messages.base import MessageError, decode


def test_work_queue_is_quorum_with_delivery_limit_and_dead_letter_path():
    queues = dict(llm_worker_jobs().queues())
    work = queues["llm-worker.jobs"]
    assert work["x-queue-type"] == "quorum" and work["x-delivery-limit"] == 5
    assert work["x-dead-letter-routing-key"] == "llm-worker.jobs.dead"
    assert "llm-worker.jobs.dead" in queues


def test_retry_ladder_has_readable_names_and_routes_back():
    wq = llm_worker_jobs((1000, 5000, 30_000))
    assert [wq.retry_name(a) for a in (1, 2, 3)] == [
        "llm-worker.jobs.retry.1s",
        "llm-worker.jobs.retry.5s",
        "llm-worker.jobs.retry.30s",
    ]
    retry = dict(wq.queues())["llm-worker.jobs.retry.5s"]
    assert retry["x-message-ttl"] == 5000 and retry["x-dead-letter-routing-key"] == "llm-worker.jobs"
    assert wq.max_attempts == 4


def test_classroom_activity_is_a_stream_with_a_bounded_retention_bound_to_activity_logged():
    stream = classroom_activity()
    assert (stream.name, stream.exchange, stream.routing_keys) == ("classroom.activity", "events", ("activity.logged",))
    args = stream.arguments()
    assert args["x-queue-type"] == "stream" and args["x-max-age"] == "7D"
    assert 0 < args["x-stream-max-segment-size-bytes"] < args["x-max-length-bytes"] <= 10 * 1024**3
    document = definitions(work_queues())
    assert {"name": "classroom.activity", "vhost": "/", "durable": True, "auto_delete": False, "arguments": args} in (
        document["queues"]
    )
    bound = [(b["source"], b["routing_key"]) for b in document["bindings"] if b["destination"] == "classroom.activity"]
    assert bound == [("events", "activity.logged")]


def test_delay_formatting():
    assert [format_delay(ms) for ms in (250, 1000, 1500, 60_000, 120_000)] == ["250ms", "1s", "1500ms", "1m", "2m"]


def test_definitions_document_matches_the_checked_in_export():
    from pathlib import Path

    exported = Path(__file__).parents[3] / "deploy/rabbitmq/definitions.json"
    assert json.loads(exported.read_text()) == definitions(work_queues()), "run `make definitions`"


def test_run_job_round_trips_with_its_version():
    message = RunJob(job_id="j1", text="안녕", requested_at="2026-01-01T00:00:00+00:00")
    assert decode(RunJob, message.to_json()) == message
    assert json.loads(message.to_json())["version"] == 1


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff",
        b"[]",
        b'{"version": 2, "job_id": "j", "text": "t", "requested_at": "x"}',
        b'{"version": 1, "job_id": "j"}',
    ],
)
def test_malformed_messages_raise_message_error(body):
    with pytest.raises(MessageError):
        decode(RunJob, body)
