"""Use cases of AI résumé feedback and rewrites: ask for one, read them, delete a feedback.

Asking records the task and its command (ReviewResume, RewriteResume) in one transaction; the outbox relay
publishes the command later. The résumé and posting go in the command as they are now, so the worker never
reads the gateway's store; the feedback keeps their titles as they were, for when they are deleted.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from gateway.careers import documents
from gateway.careers.feedback_store import FeedbackStore, add_feedback
from gateway.careers.models import ResumeFeedback, ResumeRewrite
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, NotFound
from shared.messages.careers import ReviewResume, RewriteResume


def parse_id(raw: str, what: str) -> uuid.UUID:
    """The id in a URL, or NotFound saying it is none."""
    ident = documents.as_id(raw)
    if ident is None:
        raise NotFound(f"'{str(raw)[:64]}' is not a {what} id ({what} ids are UUIDs)")
    return ident


def request_feedback(
    uow: UnitOfWork, owner_id: uuid.UUID, raw_resume_id: str, raw_posting_id: str | None = None
) -> ResumeFeedback:
    """Feedback on the owner's live résumé, in general or against one of their live postings."""
    resume_id = parse_id(raw_resume_id, "résumé")
    posting_id = None if raw_posting_id is None else parse_id(raw_posting_id, "job posting")
    now = datetime.now(UTC)
    with uow.reading() as conn:  # plain reads: what is recorded with them is one statement of its own
        resume = documents.read_resume(conn, owner_id, resume_id)
        if resume is None:
            raise NotFound(f"no résumé with id {resume_id} among yours")
        posting = None if posting_id is None else documents.read_posting(conn, owner_id, posting_id)
        if posting_id is not None and posting is None:
            raise NotFound(f"no job posting with id {posting_id} among yours")
    feedback = ResumeFeedback(
        id=uuid.uuid4(),
        owner_id=owner_id,
        kind="standard" if posting is None else "posting",
        resume_id=resume_id,
        posting_id=posting_id,
        resume_title=resume["title"],
        company=posting and posting["company"],
        posting_title=posting and posting["title"],
        status="queued",
        attempts=0,
        created_at=now,
        updated_at=now,
    )
    command = ReviewResume(feedback_id=str(feedback.id), resume=resume, posting=posting, requested_at=now.isoformat())
    add_feedback(uow, feedback, command)
    return feedback


def get_feedback(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> ResumeFeedback:
    """The owner's feedback with its points in order; another's, a deleted or a missing one is a 404."""
    feedback_id = parse_id(raw_id, "feedback")
    with uow:
        feedback = uow.store(FeedbackStore).feedback(owner_id, feedback_id)
        if feedback is None:
            raise NotFound(f"no feedback with id {feedback_id} among yours")
        return feedback


def list_feedbacks(uow: UnitOfWork, owner_id: uuid.UUID, page: int, size: int) -> tuple[list[Any], int]:
    """One page of the owner's feedback, newest first, and how many there are."""
    with uow:
        return uow.store(FeedbackStore).page(owner_id, page, size)


def delete_feedback(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> None:
    """The feedback leaves every read (a report still finishing it changes nothing the owner sees)."""
    feedback_id = parse_id(raw_id, "feedback")
    with uow:
        if not uow.store(FeedbackStore).soft_delete(owner_id, feedback_id, datetime.now(UTC)):
            raise NotFound(f"no feedback with id {feedback_id} among yours")
        uow.commit()


def request_rewrite(uow: UnitOfWork, owner_id: uuid.UUID, raw_feedback_id: str, kind: str) -> ResumeRewrite:
    """A new résumé rewritten from the owner's completed `kind` feedback (standard or posting)."""
    feedback_id = parse_id(raw_feedback_id, "feedback")
    now = datetime.now(UTC)
    with uow:
        store = uow.store(FeedbackStore)
        feedback = store.feedback(owner_id, feedback_id)
        if feedback is None:
            raise NotFound(f"no feedback with id {feedback_id} among yours")
        resume = feedback.resume_id and documents.resume_document(uow, owner_id, feedback.resume_id)
        _check_rewritable(feedback, kind, resume)
        posting = feedback.posting_id and documents.posting_document(uow, owner_id, feedback.posting_id)
        rewrite = ResumeRewrite(
            id=uuid.uuid4(), owner_id=owner_id, feedback_id=feedback.id, status="queued", attempts=0,
            created_at=now, updated_at=now,
        )  # fmt: skip
        store.add(rewrite)
        points = [{"division": c.division, "result": c.result} for c in feedback.contents]
        findings = {"matching_rate": feedback.matching_rate, "feedback_contents": points}
        store.add_message(
            RewriteResume(
                rewrite_id=str(rewrite.id),
                resume=resume,
                feedback=findings,
                posting=posting or None,
                requested_at=now.isoformat(),
            )
        )
        uow.commit()
        return rewrite


def _check_rewritable(feedback: ResumeFeedback, kind: str, resume: dict | None) -> None:
    """Conflict unless the feedback is of `kind`, completed, and its résumé still exists."""
    if feedback.kind != kind:
        other = "posting_resume" if feedback.kind == "posting" else "standard_resume"
        raise Conflict(f"This is {feedback.kind} feedback: ask for its rewrite at /api/resume_feedbacks/{other}/.")
    if feedback.status != "completed":
        raise Conflict(f"The feedback is {feedback.status}: a résumé can be rewritten from completed feedback only.")
    if not resume:
        raise Conflict("The résumé this feedback is about was deleted: there is nothing to rewrite.")


def get_rewrite(uow: UnitOfWork, owner_id: uuid.UUID, raw_id: str) -> ResumeRewrite:
    """The owner's rewrite (with the new résumé's id once completed); another's or a missing one is a 404."""
    rewrite_id = parse_id(raw_id, "rewrite")
    with uow:
        rewrite = uow.store(FeedbackStore).rewrite(owner_id, rewrite_id)
        if rewrite is None:
            raise NotFound(f"no rewrite with id {rewrite_id} among yours")
        return rewrite
