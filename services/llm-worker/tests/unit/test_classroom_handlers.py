"""The classroom handlers with fakes at their ports: the shared task flow with classroom.* events, ClassroomEvents
without steps, invalid output retried then failed, poison messages reported, and never a second call."""

import json

import pytest
from support.careers_fakes import FakeReporter, delivery, settled
from support.classroom_fakes import ScriptedClassroomProvider
from support.classroom_samples import KOREAN_STEP, NOW, event

from llm_worker.bootstrap import CLASSROOM_HANDLERS
from llm_worker.handlers.analyze_help_request import AnalyzeHelpRequestHandler
from llm_worker.handlers.analyze_recording import AnalyzeRecordingHandler
from llm_worker.task_dispatch import TaskDispatcher
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.messages import AnalyzeHelpRequest, AnalyzeRecording
from shared.messages.classroom import ClassroomEvent
from shared.messages.classroom_results import result_problems

pytestmark = pytest.mark.unit
L, R = "\u2018", "\u2019"  # how the analyses quote an element or a screen
HELP_ID = "0b9d6c1e-2f3a-4b5c-8d7e-6f5a4b3c2d1e"
RECORDING_ID = "7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9"
BROKEN = {"problem_diagnosis": "x", "step_by_step_solution": [], "alternative_approaches": [],
          "confidence_score": 140, "estimated_difficulty": "TRIVIAL"}  # fmt: skip


class FakeMemo:
    def __init__(self):
        self.stored = {}

    def once(self, key, compute):
        if key in self.stored:
            return self.stored[key], False
        self.stored[key] = compute()
        return self.stored[key], True


def help_request(**overrides) -> AnalyzeHelpRequest:
    context = {"recent_activity": [event("CLICK", i, "홈", "검색") for i in range(3)], "error_message": None}
    values = {"help_request_id": HELP_ID, "step": KOREAN_STEP, "context": context, "requested_at": NOW}
    return AnalyzeHelpRequest(**(values | overrides))


def recording() -> AnalyzeRecording:
    events = [event("SCREEN_CHANGE", 0, "홈"), event("CLICK", 1, "홈", "설정"), event("SCREEN_CHANGE", 9, "설정")]
    return AnalyzeRecording(recording_id=RECORDING_ID, events=events, requested_at=NOW)


def handler_for(cls, provider, reporter, memo=None):
    return cls(provider, memo, reporter, "worker-test", delivery_limit=5)


def test_a_help_request_is_reported_processing_then_completed_with_a_valid_diagnosis():
    reporter, provider = FakeReporter(), ScriptedClassroomProvider()
    outcome = settled(handler_for(AnalyzeHelpRequestHandler, provider, reporter)(delivery(help_request())))
    assert outcome == Ack()
    assert reporter.types() == ["classroom.processing", "classroom.completed"]
    completed = reporter.events[-1]
    assert isinstance(completed, ClassroomEvent) and not hasattr(completed, "step")
    assert (completed.task, completed.task_id, completed.attempt) == ("help_analysis", HELP_ID, 1)
    assert completed.id == f"help_analysis:{HELP_ID}:0:1:classroom.completed"
    assert result_problems("help_analysis", completed.data["result"]) == []
    assert f"{L}검색{R}을 3번" in completed.data["result"]["problem_diagnosis"]
    assert ClassroomEvent.from_dict(json.loads(json.dumps(completed.to_dict()))) == completed


def test_a_recording_is_analysed():
    reporter, provider = FakeReporter(), ScriptedClassroomProvider()
    outcome = settled(handler_for(AnalyzeRecordingHandler, provider, reporter)(delivery(recording())))
    assert outcome == Ack()
    completed = reporter.events[-1]
    assert (completed.type, completed.task, completed.task_id) == ("classroom.completed", "recording_analysis",
                                                                  RECORDING_ID)  # fmt: skip
    result = completed.data["result"]
    assert [s["action"] for s in result["steps"]] == ["NAVIGATE", "CLICK", "NAVIGATE"]
    assert result["hesitations"][0]["waited_ms"] == 8000


def test_invalid_output_is_retried_then_fails_naming_what_was_wrong():
    reporter, provider = FakeReporter(), ScriptedClassroomProvider(BROKEN, BROKEN)
    handler = handler_for(AnalyzeHelpRequestHandler, provider, reporter)
    assert isinstance(settled(handler(delivery(help_request(), attempt=1))), Retry)
    assert reporter.events[-1].type == "classroom.retrying" and reporter.events[-1].data["code"] == "invalid_output"
    assert isinstance(settled(handler(delivery(help_request(), attempt=4))), DeadLetter)
    failed = reporter.events[-1]
    assert failed.type == "classroom.failed" and failed.data["code"] == "invalid_output"
    assert "confidence_score: 140 is greater than the maximum of 100" in failed.data["reason"]


def test_a_redelivery_reports_the_remembered_result_without_a_second_call():
    reporter, memo, provider = FakeReporter(), FakeMemo(), ScriptedClassroomProvider()
    handler = handler_for(AnalyzeHelpRequestHandler, provider, reporter, memo)
    settled(handler(delivery(help_request())))
    settled(handler(delivery(help_request(), delivery_count=1)))
    completed = [e for e in reporter.events if e.type == "classroom.completed"]
    assert len(provider.requests) == 1 and completed[0].data == completed[1].data
    assert all(key.startswith("step:classroom:help_analysis:") for key in memo.stored)


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ({"help_request_id": HELP_ID, "step": "tap it", "context": {}, "requested_at": NOW}, "step must be an object"),
        ({"help_request_id": HELP_ID, "step": None, "context": [], "requested_at": NOW}, "context must be an object"),
        ({"help_request_id": HELP_ID, "step": None, "requested_at": NOW}, "missing fields ['context']"),
    ],
)
def test_a_poison_message_that_names_its_request_is_reported_failed(body, fault):
    reporter = FakeReporter()
    handler = handler_for(AnalyzeHelpRequestHandler, ScriptedClassroomProvider(), reporter)
    raw = json.dumps({"version": 1, **body}).encode()
    outcome = settled(handler(delivery(help_request(), body=raw)))
    assert isinstance(outcome, DeadLetter) and fault in outcome.reason
    [failed] = reporter.events
    assert (failed.type, failed.task_id, failed.data["code"]) == ("classroom.failed", HELP_ID, "invalid_request")


def test_a_recording_whose_events_are_no_list_is_poison():
    reporter = FakeReporter()
    raw = json.dumps({"version": 1, "recording_id": RECORDING_ID, "events": {}, "requested_at": NOW}).encode()
    outcome = settled(handler_for(AnalyzeRecordingHandler, ScriptedClassroomProvider(), reporter)(
        delivery(recording(), body=raw)))  # fmt: skip
    assert isinstance(outcome, DeadLetter) and reporter.events[-1].data["code"] == "invalid_request"


def test_the_dispatcher_routes_by_type_then_by_the_id_the_body_carries():
    reporter, provider = FakeReporter(), ScriptedClassroomProvider()
    handlers = {kind: cls(provider, None, reporter, "w", 5) for kind, cls in CLASSROOM_HANDLERS.items()}
    dispatcher = TaskDispatcher(handlers, "classroom")
    assert settled(dispatcher(delivery(recording()))) == Ack()
    untyped = delivery(help_request())
    untyped = type(untyped)(**{**untyped.__dict__, "message_type": None})
    assert settled(dispatcher(untyped)) == Ack()
    assert [e.task for e in reporter.events if e.type == "classroom.completed"] == ["recording_analysis",
                                                                                    "help_analysis"]  # fmt: skip
    unknown = type(untyped)(**{**untyped.__dict__, "body": b'{"version": 1}', "message_type": "Other"})
    outcome = dispatcher(unknown)
    assert isinstance(outcome, DeadLetter) and "no classroom handler" in outcome.reason
