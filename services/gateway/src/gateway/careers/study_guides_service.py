"""Use cases of study guides: ask for one from a feedback or a posting, read, list and delete yours; apply reports."""

import uuid
from datetime import UTC, datetime

from gateway.careers import study_guides_rules as rules
from gateway.careers.documents import posting_document, resume_document
from gateway.careers.models import StudyGuide
from gateway.careers.study_guides_store import StudyGuideStore
from gateway.careers.work_rules import NOT_FOUND, CareersEventIn, just_finished
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound
from shared.messages.careers import BuildStudyGuide


def parse_guide_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a study guide id (study guide ids are UUIDs)") from None


def create_guide(
    uow: UnitOfWork,
    owner_id: uuid.UUID,
    feedback_id: uuid.UUID | None = None,
    posting_id: uuid.UUID | None = None,
    resume_id: uuid.UUID | None = None,
) -> StudyGuide:
    """Record a guide and its BuildStudyGuide: from a finished feedback (with its résumé and posting, if they are
    still there), or from a posting and a résumé (the given one, else your newest, else none)."""
    problem = rules.source_problem(feedback_id, posting_id, resume_id)
    if problem:
        raise InvalidInput(problem[1], problem[0])
    now = datetime.now(UTC)
    with uow:
        store = uow.store(StudyGuideStore)
        if feedback_id is not None:
            feedback, resume, posting = _from_feedback(uow, store, owner_id, feedback_id)
        else:
            feedback, resume, posting = None, *_from_posting(uow, store, owner_id, posting_id, resume_id)
        guide = StudyGuide(
            id=uuid.uuid4(),
            owner_id=owner_id,
            feedback_id=feedback_id,
            posting_id=posting_id,
            status="queued",
            attempts=0,
            created_at=now,
            updated_at=now,
            items=[],
        )
        store.add(guide)
        store.add_message(
            BuildStudyGuide(
                guide_id=str(guide.id), resume=resume, posting=posting, feedback=feedback, requested_at=now.isoformat()
            )
        )
        uow.commit()
        return guide


def _from_feedback(uow: UnitOfWork, store: StudyGuideStore, owner_id: uuid.UUID, feedback_id: uuid.UUID) -> tuple:
    feedback = store.feedback(owner_id, feedback_id)
    if feedback is None:
        raise NotFound(f"no feedback with id {feedback_id}")
    if feedback.status != "completed":
        raise Conflict(f"The feedback is not finished (it is {feedback.status}): a guide needs its contents.")
    contents = [{"division": content.division, "result": content.result} for content in feedback.contents]
    resume = feedback.resume_id and resume_document(uow, owner_id, feedback.resume_id)
    posting = feedback.posting_id and posting_document(uow, owner_id, feedback.posting_id)
    document = {"matching_rate": feedback.matching_rate, "feedback_contents": contents}
    return document, resume or None, posting or None


def _from_posting(
    uow: UnitOfWork, store: StudyGuideStore, owner_id: uuid.UUID, posting_id: uuid.UUID, resume_id
) -> tuple:
    posting = posting_document(uow, owner_id, posting_id)
    if posting is None:
        raise NotFound(f"no job posting with id {posting_id}")
    if resume_id is None:
        resume_id = store.newest_resume_id(owner_id)
        return (resume_id and resume_document(uow, owner_id, resume_id)) or None, posting
    resume = resume_document(uow, owner_id, resume_id)
    if resume is None:
        raise NotFound(f"no résumé with id {resume_id}")
    return resume, posting


def get_guide(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> StudyGuide:
    guide_id = parse_guide_id(raw_id)
    with uow:
        guide = uow.store(StudyGuideStore).guide(owner_id, guide_id)
        if guide is None:
            raise NotFound(f"no study guide with id {guide_id}")
        return guide


def list_guides(uow: UnitOfWork, owner_id: uuid.UUID, page: int, page_size: int) -> tuple[list[StudyGuide], int]:
    """One page of the owner's study guides, newest first, and their total count."""
    with uow:
        return uow.store(StudyGuideStore).page(owner_id, page, page_size)


def delete_guide(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> None:
    """Soft-delete: the guide leaves every read, and a late report on it changes nothing."""
    guide_id = parse_guide_id(raw_id)
    with uow:
        store = uow.store(StudyGuideStore)
        guide = store.guide(owner_id, guide_id, lock=True)
        if guide is None:
            raise NotFound(f"no study guide with id {guide_id}")
        store.delete(guide, datetime.now(UTC))
        uow.commit()


def apply_guide_report(uow: UnitOfWork, event: CareersEventIn, now: datetime) -> str:
    """Apply one CareersEvent about a study guide, inside the webhook's transaction (careers.reports.APPLIERS):
    applied, stale, invalid or not_found. Its owner hears once when it completes or fails."""
    store = uow.store(StudyGuideStore)
    guide = store.locked(event.task_id)
    if guide is None:
        return NOT_FOUND
    outcome = rules.apply_event(guide, event, now, lambda **fields: store.add_item(guide, **fields))
    if just_finished(outcome, guide):
        facts = {"title": guide.title} if guide.status == "completed" else {"reason": (guide.error or "")[:300]}
        store.tell(guide.owner_id, f"study_guide.{guide.status}", facts, str(guide.id))
    return outcome
