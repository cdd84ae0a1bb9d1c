"""Use cases of mock interviews: start one, answer its current question, finish it, read them; apply reports.

Each use case that asks the worker for a step records the change and its RunInterviewStep in one transaction,
with the interview row locked, so two answers at once cannot both pass the rules.
"""

import uuid
from datetime import UTC, datetime

from gateway.careers import interviews_rules as rules
from gateway.careers.documents import posting_document, resume_document
from gateway.careers.interviews_store import InterviewStore
from gateway.careers.models import Interview
from gateway.careers.work_rules import NOT_FOUND, CareersEventIn, just_finished
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, NotFound
from shared.messages.careers import RunInterviewStep


def parse_interview_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not an interview id (interview ids are UUIDs)") from None


def start_interview(
    uow: UnitOfWork, owner_id: uuid.UUID, resume_id: uuid.UUID, posting_id: uuid.UUID | None
) -> Interview:
    """Record an interview on the owner's résumé (and posting) and ask the worker for its first question."""
    now = datetime.now(UTC)
    with uow:
        store = uow.store(InterviewStore)
        resume = resume_document(uow, owner_id, resume_id)
        if resume is None:
            raise NotFound(f"no résumé with id {resume_id}")
        posting = None if posting_id is None else posting_document(uow, owner_id, posting_id)
        if posting_id is not None and posting is None:
            raise NotFound(f"no job posting with id {posting_id}")
        interview = Interview(
            id=uuid.uuid4(),
            owner_id=owner_id,
            resume_id=resume_id,
            posting_id=posting_id,
            resume_title=resume["title"],
            company=posting and posting["company"],
            phase="opening",
            step=1,
            status="queued",
            attempts=0,
            created_at=now,
            updated_at=now,
            turns=[],
        )
        store.add(interview)
        store.add_message(_command(interview, "open", resume, posting, now))
        uow.commit()
        return interview


def answer_question(
    uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str, question_id: uuid.UUID, answer: str
) -> Interview:
    """Record the answer to the current question and ask the worker to evaluate it (and ask the next)."""
    now = datetime.now(UTC)
    with uow:
        store, interview = _locked(uow, owner_id, raw_id)
        turn = rules.turn_of(interview, question_id)
        conflict = rules.answer_conflict(interview, turn)
        if conflict:
            raise Conflict(conflict)
        rules.answer(interview, turn, answer, now)
        _ask_worker(uow, store, interview, "answer", now)
        uow.commit()
        return interview


def finish_interview(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> Interview:
    """Ask the worker for the overall evaluation of the answers given so far."""
    now = datetime.now(UTC)
    with uow:
        store, interview = _locked(uow, owner_id, raw_id)
        conflict = rules.finish_conflict(interview)
        if conflict:
            raise Conflict(conflict)
        rules.finish(interview, now)
        _ask_worker(uow, store, interview, "finish", now)
        uow.commit()
        return interview


def get_interview(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> Interview:
    interview_id = parse_interview_id(raw_id)
    with uow:
        interview = uow.store(InterviewStore).interview(owner_id, interview_id)
        if interview is None:
            raise NotFound(f"no interview with id {interview_id}")
        return interview


def list_interviews(uow: UnitOfWork, owner_id: uuid.UUID, page: int, page_size: int) -> tuple[list[Interview], int]:
    """One page of the owner's interviews, newest first, and their total count."""
    with uow:
        return uow.store(InterviewStore).page(owner_id, page, page_size)


def apply_interview_report(uow: UnitOfWork, event: CareersEventIn, now: datetime) -> str:
    """Apply one CareersEvent about an interview, inside the webhook's transaction (careers.reports.APPLIERS):
    applied, stale, invalid or not_found. Its owner hears of each step that completes or fails."""
    store = uow.store(InterviewStore)
    interview = store.locked(event.task_id)
    if interview is None:
        return NOT_FOUND
    action = rules.ACTIONS.get(interview.phase)
    outcome = rules.apply_event(interview, event, now, lambda **fields: store.add_turn(interview, **fields))
    if just_finished(outcome, interview):
        facts = {"resume_title": interview.resume_title, "step": action, "phase": interview.phase}
        if interview.status == "failed":
            facts |= {"reason": (interview.error or "")[:300], "code": interview.error_code}
        store.tell(interview.owner_id, f"interview.{interview.status}", facts, str(interview.id))
    return outcome


def _locked(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> tuple[InterviewStore, Interview]:
    interview_id = parse_interview_id(raw_id)
    store = uow.store(InterviewStore)
    interview = store.locked(interview_id, owner_id)
    if interview is None:
        raise NotFound(f"no interview with id {interview_id}")
    return store, interview


def _ask_worker(uow: UnitOfWork, store: InterviewStore, interview: Interview, action: str, now: datetime) -> None:
    """Write the step's command; the résumé and posting as they are now (the title it began with if it is gone)."""
    resume = interview.resume_id and resume_document(uow, interview.owner_id, interview.resume_id)
    posting = interview.posting_id and posting_document(uow, interview.owner_id, interview.posting_id)
    store.add_message(_command(interview, action, resume or {"title": interview.resume_title}, posting, now))


def _command(interview: Interview, action: str, resume: dict, posting: dict | None, now: datetime) -> RunInterviewStep:
    turns = [
        {
            "question_id": str(turn.id),
            "competence": turn.competence,
            "question": turn.question,
            "answer": turn.answer,
            "evaluation": turn.evaluation,
            "score": turn.score,
        }
        for turn in interview.turns
    ]
    return RunInterviewStep(
        interview_id=str(interview.id),
        step=interview.step,
        action=action,
        resume=resume,
        posting=posting or None,
        turns=turns,
        requested_at=now.isoformat(),
    )
