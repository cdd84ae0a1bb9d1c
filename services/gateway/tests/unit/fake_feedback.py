"""Résumé feedback, rewrites and the résumés they make, in memory: the methods of FeedbackStore and ResumeStore."""

import uuid

from gateway.careers.feedback_store import FeedbackStore
from gateway.careers.resumes_store import ResumeStore


class FakeFeedbackStore:
    port = FeedbackStore

    def __init__(self, feedbacks=(), rewrites=()):
        self.feedbacks = {feedback.id: feedback for feedback in feedbacks}
        self.rewrites = {rewrite.id: rewrite for rewrite in rewrites}
        self.messages: list = []
        self.told: list[tuple] = []

    def lock_feedbacks(self, ids):
        return {feedback_id: self.feedbacks[feedback_id] for feedback_id in ids if feedback_id in self.feedbacks}

    def write_feedbacks(self, feedbacks) -> None:
        self.written = [*getattr(self, "written", []), *(feedback.id for feedback in feedbacks)]

    def locked_rewrite(self, rewrite_id):
        return self.rewrites.get(rewrite_id)

    def kind_of(self, feedback_id):
        feedback = self.feedbacks.get(feedback_id)
        return feedback and (feedback.kind, feedback.resume_id)

    def add_message(self, message) -> None:
        self.messages.append(message)

    def tell(self, user_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((user_id, event_type, facts, subject_id))

    def tell_all(self, told) -> None:
        self.told.extend(told)


class FakeResumeStore:
    port = ResumeStore

    def __init__(self, resumes=()):
        self.resumes = {resume["id"]: resume for resume in resumes}

    def read(self, owner_id, resume_id):
        resume = self.resumes.get(resume_id)
        return resume if resume and resume["owner_id"] == owner_id and not resume.get("deleted") else None

    def add(self, owner_id, body: dict, now, source_feedback_id=None):
        resume_id = uuid.uuid4()
        self.resumes[resume_id] = {**body, "id": resume_id, "owner_id": owner_id, "source": source_feedback_id}
        return resume_id
