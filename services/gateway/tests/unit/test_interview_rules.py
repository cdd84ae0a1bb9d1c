"""Mock interviews through a fake unit of work: the current question, the 409s, stale steps, verdicts, replays."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fake_feedback import FakeResumeStore
from fake_interviews import FakeInterviewStore, FakePostingStore
from fake_reports import FakeReceiptStore
from fake_uow import FakeUnitOfWork

from gateway.careers import interviews_service as interviews
from gateway.careers.interviews_rules import current_question
from gateway.careers.reports import record_careers_events
from gateway.careers.work_rules import CareersEventIn
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from shared.messages.careers import RunInterviewStep

OWNER, OTHER = uuid.uuid4(), uuid.uuid4()
PERSONAL = dict.fromkeys(("name", "email", "phone", "address", "gender", "military_service", "birth_date"))
SECTIONS = {name: [] for name in ("experiences", "educations", "projects", "activities", "qualifications")}
RESUME = {"id": uuid.uuid4(), "owner_id": OWNER, "title": "Backend engineer", "resume_type": "1", **PERSONAL,
          "self_introduction": "I build.", **SECTIONS, "technology_stacks": [{"id": 1, "name": "Go"}]}  # fmt: skip
POSTING = SimpleNamespace(id=uuid.uuid4(), owner_id=OWNER, deleted=False, url=None, title="Platform", company="Acme",
                          qualification="Kubernetes", prefer="Go", end_date=None)  # fmt: skip
T0 = datetime(2026, 12, 1, tzinfo=UTC)


def question(text: str, competence: str = "ownership") -> dict:
    return {"competence": competence, "question": text}


def event(interview, kind: str, data: dict | None = None, step: int | None = None, minutes: int = 1):
    return CareersEventIn(
        id=str(uuid.uuid4()),
        type=f"careers.{kind}",
        task="interview",
        task_id=interview.id,
        step=interview.step if step is None else step,
        occurred_at=T0 + timedelta(minutes=minutes),
        attempt=1,
        data=data or {},
    )


def done(interview, result: dict, **options):
    return event(interview, "completed", {"result": result, "provider": "offline", "model": "m1"}, **options)


@pytest.fixture
def store():
    return FakeInterviewStore()


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store, FakeResumeStore([RESUME]), FakePostingStore([POSTING]), FakeReceiptStore())


def report(uow, *events, webhook_id: str | None = None) -> list[str]:
    answer = record_careers_events(uow, webhook_id or str(uuid.uuid4()), list(events))
    return [result["result"] for result in answer["results"]]


def started(uow, store):
    """An interview whose first question has arrived."""
    interview = interviews.start_interview(uow, OWNER, RESUME["id"], POSTING.id)
    assert report(uow, done(interview, {"question": question("Tell me about an outage.")})) == ["applied"]
    return store.interviews[interview.id]


def test_starting_queues_the_opening_step_with_the_resume_and_posting(uow, store):
    interview = interviews.start_interview(uow, OWNER, RESUME["id"], POSTING.id)
    assert (interview.phase, interview.step, interview.status, interview.company) == ("opening", 1, "queued", "Acme")
    [command] = store.messages
    assert isinstance(command, RunInterviewStep) and (command.action, command.step, command.turns) == ("open", 1, [])
    assert command.resume["technology_stacks"] == [{"name": "Go"}] and command.posting["company"] == "Acme"
    assert current_question(interview) is None


@pytest.mark.parametrize("resume_id, posting_id", [(uuid.uuid4(), None), (RESUME["id"], uuid.uuid4())])
def test_an_unknown_resume_or_posting_is_a_404_and_nothing_is_recorded(uow, store, resume_id, posting_id):
    with pytest.raises(NotFound):
        interviews.start_interview(uow, OWNER, resume_id, posting_id)
    assert store.interviews == {} and store.messages == []


def test_another_users_resume_is_a_404(uow, store):
    with pytest.raises(NotFound):
        interviews.start_interview(uow, OTHER, RESUME["id"], None)
    assert store.interviews == {}


def test_the_first_question_arrives_as_the_first_turn_and_is_current(uow, store):
    interview = started(uow, store)
    assert (interview.phase, interview.status) == ("answering", "completed")
    assert current_question(interview) is interview.turns[0] and interview.turns[0].question.startswith("Tell")
    assert [kind for _, kind, _, _ in store.told] == ["interview.completed"]


def test_an_answer_queues_its_evaluation_with_the_turns_in_order(uow, store):
    interview = started(uow, store)
    first = interview.turns[0]
    interviews.answer_question(uow, OWNER, str(interview.id), first.id, "I wrote the postmortem.")
    interview = store.interviews[interview.id]
    assert (interview.step, interview.status, interview.turns[0].answer) == (2, "queued", "I wrote the postmortem.")
    command = store.messages[-1]
    assert (command.action, command.step) == ("answer", 2)
    assert [(t["question_id"], t["answer"]) for t in command.turns] == [(str(first.id), "I wrote the postmortem.")]
    assert current_question(interview) is None  # its evaluation is running


def test_the_evaluation_is_stored_on_its_turn_and_the_next_question_appended(uow, store):
    interview = started(uow, store)
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "I wrote the postmortem.")
    result = {"evaluation": "Clear.", "score": 81, "next_question": question("And then?", "communication")}
    assert report(uow, done(interview, result, minutes=2)) == ["applied"]
    interview = store.interviews[interview.id]
    assert [(t.position, t.evaluation, t.score) for t in interview.turns] == [(1, "Clear.", 81), (2, None, None)]
    assert current_question(interview) is interview.turns[1] and interview.turns[1].competence == "communication"


VERDICT = {"total_score": 60, "scores": [{"competence": "ownership", "score": 60}], "overall": "Fine."}


@pytest.mark.parametrize(
    "situation, detail",
    [
        ("running", "still running"),
        ("answered", "already answered"),
        ("not_current", "not the current question"),
        ("finishing", "finished"),
        ("finished", "finished"),
    ],
)
def test_an_answer_out_of_turn_is_a_conflict_that_changes_nothing(uow, store, situation, detail):
    interview = started(uow, store)
    question_id = interview.turns[0].id
    interviews.answer_question(uow, OWNER, str(interview.id), question_id, "One.")
    if situation != "running":
        result = {"evaluation": "Fine.", "score": 60, "next_question": question("Two?")}
        report(uow, done(store.interviews[interview.id], result, minutes=2))
    if situation == "not_current":  # no flow leaves an unanswered turn before the last: the rule holds anyway
        store.interviews[interview.id].turns[0].answer = None
    if situation in ("finishing", "finished"):
        interviews.finish_interview(uow, OWNER, str(interview.id))
        question_id = store.interviews[interview.id].turns[1].id  # asked, never answered
    if situation == "finished":
        report(uow, done(store.interviews[interview.id], VERDICT, minutes=3))
    before = (len(store.messages), store.interviews[interview.id].step)
    with pytest.raises(Conflict, match=detail):
        interviews.answer_question(uow, OWNER, str(interview.id), question_id, "Again.")
    assert (len(store.messages), store.interviews[interview.id].step) == before


def test_a_question_the_interview_never_asked_is_refused_as_bad_input(uow, store):
    interview = started(uow, store)
    with pytest.raises(InvalidInput) as refused:
        interviews.answer_question(uow, OWNER, str(interview.id), uuid.uuid4(), "An answer.")
    assert refused.value.field == "question_id" and store.interviews[interview.id].step == 1


def test_another_users_interview_is_a_404_for_every_use(uow, store):
    interview = started(uow, store)
    for use in (
        lambda: interviews.get_interview(uow, OTHER, str(interview.id)),
        lambda: interviews.answer_question(uow, OTHER, str(interview.id), interview.turns[0].id, "Mine now."),
        lambda: interviews.finish_interview(uow, OTHER, str(interview.id)),
        lambda: interviews.get_interview(uow, OWNER, "not-a-uuid"),
    ):
        with pytest.raises(NotFound):
            use()
    assert store.interviews[interview.id].turns[0].answer is None


def test_a_report_for_an_older_step_is_stale(uow, store):
    interview = started(uow, store)
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "One.")
    interview = store.interviews[interview.id]
    late_open = done(interview, {"question": question("A second first question?")}, step=1, minutes=5)
    late_failure = event(interview, "failed", {"reason": "timeout"}, step=1, minutes=6)
    assert report(uow, late_open, late_failure) == ["stale", "stale"]
    interview = store.interviews[interview.id]
    assert (len(interview.turns), interview.status, interview.step) == (1, "queued", 2)


def test_a_replayed_webhook_and_a_repeated_report_have_no_second_effect(uow, store):
    interview = started(uow, store)
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "One.")
    evaluated = done(store.interviews[interview.id], {"evaluation": "ok", "score": 50, "next_question": question("2?")})
    assert report(uow, evaluated, webhook_id="wh-1") == ["applied"]
    assert report(uow, evaluated, webhook_id="wh-1") == ["applied"]  # the first answer, replayed
    assert report(uow, evaluated, webhook_id="wh-2") == ["stale"]  # the same report again, new webhook id
    interview = store.interviews[interview.id]
    assert len(interview.turns) == 2 and [kind for _, kind, _, _ in store.told] == ["interview.completed"] * 2


def test_processing_after_the_step_finished_is_stale(uow, store):
    interview = started(uow, store)
    assert report(uow, event(interview, "processing", {"worker": "w1"}, minutes=9)) == ["stale"]
    assert store.interviews[interview.id].status == "completed"


def test_an_invalid_result_fails_the_step_and_keeps_nothing(uow, store):
    interview = interviews.start_interview(uow, OWNER, RESUME["id"], None)
    assert report(uow, done(interview, {"question": {"question": "no competence"}})) == ["invalid"]
    interview = store.interviews[interview.id]
    assert (interview.status, interview.error_code, interview.turns) == ("failed", "invalid_output", [])
    assert [kind for _, kind, _, _ in store.told] == ["interview.failed"]
    with pytest.raises(Conflict, match="never started"):
        interviews.finish_interview(uow, OWNER, str(interview.id))


def test_finishing_needs_an_answer_and_no_running_step(uow, store):
    interview = started(uow, store)
    with pytest.raises(Conflict, match="at least one"):
        interviews.finish_interview(uow, OWNER, str(interview.id))
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "One.")
    with pytest.raises(Conflict, match="still running"):
        interviews.finish_interview(uow, OWNER, str(interview.id))


def test_the_final_evaluation_stores_scores_per_competence_and_ends_the_interview(uow, store):
    interview = started(uow, store)
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "One.")
    report(uow, done(store.interviews[interview.id], {"evaluation": "ok", "score": 70, "next_question": None}))
    interview = store.interviews[interview.id]
    assert current_question(interview) is None and interview.phase == "answering"  # waits for finish
    interviews.finish_interview(uow, OWNER, str(interview.id))
    assert (store.messages[-1].action, store.messages[-1].step) == ("finish", 3)
    scores = [{"competence": "ownership", "score": 70}, {"competence": "communication", "score": 64}]
    verdict = {"total_score": 67, "scores": scores, "overall": "Solid."}
    assert report(uow, done(store.interviews[interview.id], verdict, minutes=4)) == ["applied"]
    interview = store.interviews[interview.id]
    assert (interview.phase, interview.total_score, interview.scores, interview.overall) == (
        "finished",
        67,
        scores,
        "Solid.",
    )
    with pytest.raises(Conflict, match="already finished"):
        interviews.finish_interview(uow, OWNER, str(interview.id))


def test_a_failed_final_evaluation_may_be_asked_for_again(uow, store):
    interview = started(uow, store)
    interviews.answer_question(uow, OWNER, str(interview.id), interview.turns[0].id, "One.")
    report(uow, event(store.interviews[interview.id], "failed", {"reason": "model down", "code": "provider"}))
    interviews.finish_interview(uow, OWNER, str(interview.id))  # a failed evaluation leaves the answer; finish
    report(uow, event(store.interviews[interview.id], "failed", {"reason": "model down"}, minutes=3))
    interview = interviews.finish_interview(uow, OWNER, str(interview.id))
    assert (interview.phase, interview.step, interview.status, interview.error) == ("finishing", 4, "queued", None)


def test_an_unknown_interview_is_not_found_in_a_report(uow):
    ghost = SimpleNamespace(id=uuid.uuid4(), step=1)
    assert report(uow, event(ghost, "processing")) == ["not_found"]
