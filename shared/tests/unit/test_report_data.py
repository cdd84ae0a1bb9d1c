"""Report.check, which the senders' tests run on the reports they build: the data of each type against its contract."""

import re

import pytest

from shared.messages import JobEvent, NotifierReport, PaymentEvent
from shared.messages.base import MessageError
from shared.messages.jobs import CompletedData, StepData, TokenUsage
from shared.messages.reports import FieldShape, shape

NOW = "2026-12-05T07:00:00+00:00"
STEP = {"step": "summary", "provider": "local", "model": "m", "usage": {"prompt_tokens": 3}, "started_at": NOW}
COMPLETED = {"summary": "S", "checklist": ["a"], "provider": "local", "model": "m", "steps": [STEP]}


def job(kind: str, data: dict) -> None:
    JobEvent(id="j:1", type=kind, job_id="j", occurred_at=NOW, data=data).check()


def test_reports_as_the_workers_build_them():
    job("job.processing", {"worker": "llm-worker@host"})
    job("job.step_completed", {**STEP, "summary": "S"})
    job("job.completed", COMPLETED)
    job("job.failed", {"reason": "poison message", "code": "invalid_input"})
    PaymentEvent(
        id="p:failed", type="payment.failed", payment_id="p", occurred_at=NOW, data={"reason": "x", "code": "y"}
    ).check()
    attempt = {"delivery_id": "d", "attempt": 1, "status_code": None, "outcome": "retrying", "next_attempt_in_ms": 9}
    NotifierReport(id="d:1", type="webhook.attempted", endpoint_id="e", occurred_at=NOW, data=attempt).check()


@pytest.mark.parametrize(
    ("kind", "data", "says"),
    [
        ("job.completed", {**COMPLETED, "score": 1}, "unknown ['score']"),
        ("job.completed", {k: v for k, v in COMPLETED.items() if k != "summary"}, "missing ['summary']"),
        ("job.completed", {**COMPLETED, "steps": [{**STEP, "output": "S"}]}, "data.steps: not a StepData"),
        ("job.completed", {**COMPLETED, "usage": {"tokens": 3}}, "data.usage: not a TokenUsage"),
        ("job.failed", {"code": "x"}, "missing ['reason']"),
        ("job.failed", "gave up", "not an object"),
        ("job.exploded", {}, "unknown type 'job.exploded'"),
    ],
)
def test_a_report_off_its_contract_is_refused(kind, data, says):
    with pytest.raises(MessageError, match=re.escape(says)):
        job(kind, data)


def test_payment_and_notifier_reports_are_checked_too():
    with pytest.raises(MessageError, match="unknown"):
        PaymentEvent(id="p:paid", type="payment.paid", payment_id="p", occurred_at=NOW, data={"tip": 1}).check()
    with pytest.raises(MessageError, match="missing"):
        NotifierReport(
            id="d:1", type="webhook.attempted", endpoint_id="e", occurred_at=NOW, data={"attempt": 1}
        ).check()


def test_shape_names_required_fields_and_nested_contracts():
    assert shape(CompletedData)["steps"] == FieldShape(required=False, nested=StepData)
    assert shape(CompletedData)["usage"] == FieldShape(required=False, nested=TokenUsage)
    assert shape(CompletedData)["summary"] == FieldShape(required=True)
