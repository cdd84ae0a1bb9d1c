"""A feedback's and a rewrite's reports, applied inside the webhook's transaction (careers.reports.APPLIERS).

A rewrite's completion stores the new résumé for the owner, linked to its feedback, in the same transaction;
a résumé the résumé API's rules refuse (checked before anything is written) fails the rewrite instead.
"""

from datetime import datetime

from gateway.careers import documents
from gateway.careers.feedback_rules import keep_feedback, rewritten_document
from gateway.careers.feedback_store import FeedbackStore
from gateway.careers.work_rules import APPLIED, INVALID, NOT_FOUND, apply_event, just_finished
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import InvalidInput

MAX_REASON_TOLD = 300


class FeedbackReports:
    """A batch's reports about feedbacks: the feedbacks read and locked at once, each report applied in memory in
    the batch's order, every change and the owners' notifications written by `finish` (FeedbackStore.lock_feedbacks,
    write_feedbacks, tell_all)."""

    def __init__(self, uow: UnitOfWork, events: list):
        self._store = uow.store(FeedbackStore)
        ids = {event.task_id for event in events if event.task == "feedback" and event.task_id is not None}
        self._feedbacks = self._store.lock_feedbacks(ids) if ids else {}
        self._told: list[tuple] = []

    def apply(self, event, now: datetime) -> str:
        """Apply one report about a feedback: applied, stale, invalid or not_found."""
        feedback = self._feedbacks.get(event.task_id)
        if feedback is None:
            return NOT_FOUND
        outcome = apply_event(feedback, event, now, "feedback", lambda result: keep_feedback(feedback, result))
        if outcome in (APPLIED, INVALID):
            feedback.changed = True
        if just_finished(outcome, feedback) and feedback.deleted_at is None:
            facts = {"resume_title": feedback.resume_title, "company": feedback.company}
            if feedback.status == "completed":
                facts |= {"matching_rate": feedback.matching_rate, "content_count": len(feedback.contents)}
            else:
                facts |= {"reason": (feedback.error or "")[:MAX_REASON_TOLD], "code": feedback.error_code}
            self._told.append((feedback.owner_id, f"resume_feedback.{feedback.status}", facts, str(feedback.id)))
        return outcome

    def finish(self) -> None:
        self._store.write_feedbacks([feedback for feedback in self._feedbacks.values() if feedback.changed])
        self._store.tell_all(self._told)


def apply_rewrite_report(uow: UnitOfWork, event, now: datetime) -> str:
    """Apply one report about a rewrite; its completion adds the new résumé: applied, stale, invalid or not_found."""
    store = uow.store(FeedbackStore)
    rewrite = store.locked_rewrite(event.task_id)
    if rewrite is None:
        return NOT_FOUND

    def keep(result: dict) -> list[str]:
        kind, resume_id = store.kind_of(rewrite.feedback_id) or ("standard", None)
        original = resume_id and documents.resume_document(uow, rewrite.owner_id, resume_id)
        document = rewritten_document(original, kind, result)
        try:
            rewrite.resume_id = documents.add_resume_document(uow, rewrite.owner_id, document, rewrite.feedback_id)
        except InvalidInput as error:
            return [error.detail]
        return []

    outcome = apply_event(rewrite, event, now, "rewrite", keep)
    if just_finished(outcome, rewrite):
        if rewrite.status == "completed":
            facts = {"title": event.data["result"]["title"], "resume_id": str(rewrite.resume_id)}
        else:
            facts = {"reason": (rewrite.error or "")[:MAX_REASON_TOLD], "code": rewrite.error_code}
        store.tell(rewrite.owner_id, f"resume_rewrite.{rewrite.status}", facts, str(rewrite.id))
    return outcome
