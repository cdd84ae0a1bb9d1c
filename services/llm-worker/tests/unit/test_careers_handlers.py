"""The careers handlers with fakes at their ports: report, validate, retry, fail, and never call twice."""

import json

import pytest
from support.careers_fakes import FakeReporter, ScriptedProvider, delivery, settled
from support.careers_samples import ENGLISH_POSTING, ENGLISH_RESUME, NOW

from llm_worker.bootstrap import CAREERS_HANDLERS
from llm_worker.careers.dispatch import CareersDispatcher
from llm_worker.handlers.build_study_guide import BuildStudyGuideHandler
from llm_worker.handlers.review_resume import ReviewResumeHandler
from llm_worker.handlers.rewrite_resume import RewriteResumeHandler
from llm_worker.handlers.run_interview_step import RunInterviewStepHandler
from llm_worker.providers.base import PermanentProviderError, TransientProviderError
from shared.amqp.outcomes import Ack, DeadLetter, Retry
from shared.messages import BuildStudyGuide, ReviewResume, RewriteResume, RunInterviewStep
from shared.messages.careers_results import result_problems
from shared.webhooks.sender import WebhookRejected

pytestmark = pytest.mark.unit
FEEDBACK_ID = "6f1c2d3e-4b5a-4c6d-8e9f-0a1b2c3d4e5f"
BROKEN = {"parent_content": "# R", "matching_rate": 150, "feedback_contents": []}


class FakeMemo:
    """StepMemo's contract in a dict: a stored result is returned, a failed computation stores nothing."""

    def __init__(self):
        self.stored = {}

    def once(self, key, compute):
        if key in self.stored:
            return self.stored[key], False
        self.stored[key] = compute()
        return self.stored[key], True


def review(**overrides) -> ReviewResume:
    values = {"feedback_id": FEEDBACK_ID, "resume": ENGLISH_RESUME, "posting": ENGLISH_POSTING, "requested_at": NOW}
    return ReviewResume(**(values | overrides))


def handler_for(provider, reporter, memo=None, cls=ReviewResumeHandler):
    return cls(provider, memo, reporter, "worker-test", delivery_limit=5)


def test_a_feedback_is_reported_processing_then_completed_with_a_valid_result():
    reporter, provider = FakeReporter(), ScriptedProvider()
    outcome = settled(handler_for(provider, reporter)(delivery(review())))
    assert outcome == Ack()
    assert reporter.types() == ["careers.processing", "careers.completed"]
    completed = reporter.events[-1]
    assert (completed.task, completed.task_id, completed.step, completed.attempt) == ("feedback", FEEDBACK_ID, 0, 1)
    assert completed.id == f"feedback:{FEEDBACK_ID}:0:1:careers.completed"
    assert result_problems("feedback", completed.data["result"]) == []
    assert completed.data["provider"] == "local" and completed.data["usage"]["total_tokens"] > 0
    assert reporter.events[0].data == {"worker": "worker-test"}


def test_invalid_output_is_retried_then_fails_naming_what_was_wrong():
    reporter, provider = FakeReporter(), ScriptedProvider(BROKEN, BROKEN)
    handler = handler_for(provider, reporter)
    assert isinstance(settled(handler(delivery(review(), attempt=1))), Retry)
    retrying = reporter.events[-1]
    assert retrying.type == "careers.retrying" and retrying.data["code"] == "invalid_output"
    assert retrying.data["next_attempt"] == 2
    outcome = settled(handler(delivery(review(), attempt=4)))
    assert isinstance(outcome, DeadLetter)
    failed = reporter.events[-1]
    assert failed.type == "careers.failed" and failed.data["code"] == "invalid_output"
    reason = failed.data["reason"]
    assert reason.startswith("gave up after 4 attempts: invalid_output:")
    assert "matching_rate: 150 is greater than the maximum of 100" in reason
    assert "feedback_contents: [] should be non-empty" in reason
    assert len(provider.requests) == 2, "one new model call per attempt"


def test_invalid_output_is_never_remembered_so_the_next_attempt_asks_again():
    reporter, memo = FakeReporter(), FakeMemo()
    provider = ScriptedProvider(BROKEN)
    handler = handler_for(provider, reporter, memo)
    assert isinstance(settled(handler(delivery(review(), attempt=1))), Retry)
    assert settled(handler(delivery(review(), attempt=2))) == Ack()
    assert len(provider.requests) == 2 and reporter.events[-1].type == "careers.completed"


def test_a_redelivery_reports_the_remembered_result_without_a_second_call():
    reporter, memo, provider = FakeReporter(), FakeMemo(), ScriptedProvider()
    handler = handler_for(provider, reporter, memo)
    settled(handler(delivery(review())))
    settled(handler(delivery(review(), delivery_count=1)))
    completed = [e for e in reporter.events if e.type == "careers.completed"]
    assert len(provider.requests) == 1
    assert completed[0].id == completed[1].id and completed[0].data == completed[1].data


def test_transient_and_permanent_provider_errors():
    reporter = FakeReporter()
    provider = ScriptedProvider(TransientProviderError("slow down", code="rate_limited"))
    assert isinstance(settled(handler_for(provider, reporter)(delivery(review()))), Retry)
    assert reporter.events[-1].data["code"] == "rate_limited"
    provider = ScriptedProvider(PermanentProviderError("bad key", code="auth_failed"))
    outcome = settled(handler_for(provider, reporter)(delivery(review())))
    assert isinstance(outcome, DeadLetter)
    assert reporter.events[-1].type == "careers.failed" and reporter.events[-1].data["reason"] == "auth_failed: bad key"


def test_a_provider_bug_ends_in_a_report_not_in_silence():
    reporter = FakeReporter()
    provider = ScriptedProvider(KeyError("oops"))
    outcome = settled(handler_for(provider, reporter)(delivery(review(), attempt=4)))
    assert isinstance(outcome, DeadLetter)
    assert reporter.events[-1].type == "careers.failed" and reporter.events[-1].data["code"] == "worker_error"


def test_a_message_the_worker_kept_dying_on_is_failed_without_a_call():
    reporter, provider = FakeReporter(), ScriptedProvider()
    outcome = settled(handler_for(provider, reporter)(delivery(review(), delivery_count=4)))
    assert isinstance(outcome, DeadLetter) and provider.requests == []
    assert reporter.types() == ["careers.failed"] and reporter.events[0].data["code"] == "worker_crashed"


def test_poison_messages_are_dead_lettered_and_reported_when_they_name_their_task():
    reporter, provider = FakeReporter(), ScriptedProvider()
    handler = handler_for(provider, reporter)
    assert isinstance(handler(delivery(review(), body=b"\x00 not json")), DeadLetter)
    assert reporter.events == []
    body = json.dumps({"version": 1, "feedback_id": FEEDBACK_ID, "requested_at": NOW}).encode()
    assert isinstance(settled(handler(delivery(review(), body=body))), DeadLetter)
    failed = reporter.events[-1]
    assert failed.type == "careers.failed" and failed.data["code"] == "invalid_request"
    assert "missing fields ['resume']" in failed.data["reason"]
    assert isinstance(settled(handler(delivery(review(posting="Acme")))), DeadLetter)
    assert reporter.events[-1].data["reason"] == "poison message: posting must be an object"
    assert isinstance(settled(handler(delivery(review(feedback_id="../../etc")))), DeadLetter)
    assert len(reporter.events) == 2 and provider.requests == []


def test_an_interview_step_is_reported_as_its_own_step():
    reporter = FakeReporter()
    handler = handler_for(ScriptedProvider(), reporter, cls=RunInterviewStepHandler)
    command = RunInterviewStep(interview_id="iv-1", step=3, action="open", resume=ENGLISH_RESUME, requested_at=NOW)
    assert settled(handler(delivery(command))) == Ack()
    completed = reporter.events[-1]
    assert (completed.task, completed.step) == ("interview", 3)
    assert result_problems("interview.open", completed.data["result"]) == []
    bad = RunInterviewStep(interview_id="iv-1", step=4, action="answer", resume=ENGLISH_RESUME, requested_at=NOW)
    assert isinstance(settled(handler(delivery(bad))), DeadLetter)
    assert reporter.events[-1].step == 4 and "needs the turn" in reporter.events[-1].data["reason"]
    wrong = RunInterviewStep(interview_id="iv-1", step=5, action="dance", resume=ENGLISH_RESUME, requested_at=NOW)
    assert isinstance(settled(handler(delivery(wrong))), DeadLetter)


def test_each_handler_asks_for_its_own_result():
    commands = [
        (RewriteResumeHandler, RewriteResume(rewrite_id="rw-1", resume=ENGLISH_RESUME, feedback={}, requested_at=NOW)),
        (BuildStudyGuideHandler, BuildStudyGuide(guide_id="sg-1", posting=ENGLISH_POSTING, requested_at=NOW)),
    ]
    for cls, command in commands:
        reporter, provider = FakeReporter(), ScriptedProvider()
        assert settled(cls(provider, None, reporter, "w")(delivery(command))) == Ack()
        assert provider.requests[0].kind == cls.TASK
        assert result_problems(cls.TASK, reporter.events[-1].data["result"]) == []
    empty = BuildStudyGuide(guide_id="sg-2", requested_at=NOW)
    assert isinstance(
        settled(BuildStudyGuideHandler(ScriptedProvider(), None, FakeReporter(), "w")(delivery(empty))), DeadLetter
    )


@pytest.mark.parametrize(("verdict", "outcome"), [("applied", Ack()), ("stale", Ack())])
def test_an_accepted_report_acks(verdict, outcome):
    assert settled(handler_for(ScriptedProvider(), FakeReporter(verdict))(delivery(review()))) == outcome


@pytest.mark.parametrize("verdict", ["not_found", "invalid"])
def test_a_report_the_gateway_cannot_apply_dead_letters(verdict):
    assert isinstance(settled(handler_for(ScriptedProvider(), FakeReporter(verdict))(delivery(review()))), DeadLetter)


def test_a_refused_report_dead_letters():
    reporter = FakeReporter()
    reporter.refusal = WebhookRejected(422, "bad body")
    assert isinstance(settled(handler_for(ScriptedProvider(), reporter)(delivery(review()))), DeadLetter)


def test_the_dispatcher_routes_by_type_then_by_the_id_in_the_body():
    reporter = FakeReporter()
    handlers = {kind: cls(ScriptedProvider(), None, reporter, "w") for kind, cls in CAREERS_HANDLERS.items()}
    dispatch = CareersDispatcher(handlers)
    guide = BuildStudyGuide(guide_id="sg-1", posting=ENGLISH_POSTING, requested_at=NOW)
    assert settled(dispatch(delivery(guide))) == Ack() and reporter.events[-1].task == "study_guide"
    untyped = delivery(review())
    untyped = untyped.__class__(**{**untyped.__dict__, "message_type": None})
    assert settled(dispatch(untyped)) == Ack() and reporter.events[-1].task == "feedback"
    stray = delivery(review(), body=b'{"version": 1, "job_id": "j"}')
    stray = stray.__class__(**{**stray.__dict__, "message_type": "RunJob"})
    assert isinstance(dispatch(stray), DeadLetter)
