"""Mock interviews, study guides and job postings in memory: the methods of InterviewStore, StudyGuideStore and
PostingStore (the résumés' fake is fake_feedback.FakeResumeStore)."""

import uuid

from gateway.careers.interviews_store import InterviewStore
from gateway.careers.models import InterviewTurn, StudyItem
from gateway.careers.postings_store import PostingStore
from gateway.careers.study_guides_store import StudyGuideStore


class _Told:
    def __init__(self):
        self.messages: list = []
        self.told: list[tuple] = []

    def add_message(self, message) -> None:
        self.messages.append(message)

    def tell(self, user_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((user_id, event_type, facts, subject_id))


class FakeInterviewStore(_Told):
    port = InterviewStore

    def __init__(self):
        super().__init__()
        self.interviews: dict = {}

    def add(self, interview) -> None:
        self.interviews[interview.id] = interview

    def interview(self, owner_id, interview_id):
        found = self.interviews.get(interview_id)
        return found if found is not None and found.owner_id == owner_id else None

    def locked(self, interview_id, owner_id=None):
        found = self.interviews.get(interview_id)
        return found if found is not None and owner_id in (None, found.owner_id) else None

    def page(self, owner_id, page: int, page_size: int):
        mine = sorted((i for i in self.interviews.values() if i.owner_id == owner_id), key=lambda i: i.created_at)
        mine.reverse()
        return mine[(page - 1) * page_size : page * page_size], len(mine)

    def add_turn(self, interview, **fields) -> None:
        interview.turns.append(InterviewTurn(id=uuid.uuid4(), interview_id=interview.id, **fields))


class FakeStudyGuideStore(_Told):
    port = StudyGuideStore

    def __init__(self, feedbacks=(), newest_resumes=None):
        super().__init__()
        self.guides: dict = {}
        self.feedbacks = {feedback.id: feedback for feedback in feedbacks}
        self.newest_resumes = newest_resumes or {}  # owner id -> résumé id

    def add(self, guide) -> None:
        self.guides[guide.id] = guide

    def guide(self, owner_id, guide_id, lock: bool = False):
        found = self.guides.get(guide_id)
        return found if found is not None and found.owner_id == owner_id and found.deleted_at is None else None

    def locked(self, guide_id):
        return self.guides.get(guide_id)

    def page(self, owner_id, page: int, page_size: int):
        mine = [g for g in self.guides.values() if g.owner_id == owner_id and g.deleted_at is None]
        mine.sort(key=lambda g: g.created_at, reverse=True)
        return mine[(page - 1) * page_size : page * page_size], len(mine)

    def add_item(self, guide, **fields) -> None:
        guide.items.append(StudyItem(id=uuid.uuid4(), guide_id=guide.id, **fields))

    def delete(self, guide, now) -> None:
        guide.deleted_at = guide.updated_at = now

    def feedback(self, owner_id, feedback_id):
        found = self.feedbacks.get(feedback_id)
        return found if found is not None and found.owner_id == owner_id and found.deleted_at is None else None

    def newest_resume_id(self, owner_id):
        return self.newest_resumes.get(owner_id)


class FakePostingStore:
    port = PostingStore

    def __init__(self, postings=()):
        self.postings = {posting.id: posting for posting in postings}

    def read(self, owner_id, posting_id):
        found = self.postings.get(posting_id)
        return found if found is not None and found.owner_id == owner_id and not found.deleted else None
