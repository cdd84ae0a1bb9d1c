"""Careers rows for the dashboard and closure tests, made through the models (the endpoints that make them are
other modules' subject): a résumé with a section, a posting, a feedback with a point, a rewrite, an interview with
a turn, a study guide with an item, each at the time asked for."""

import uuid
from datetime import UTC, date, datetime, timedelta

from gateway.careers.models import (
    CareerProfile,
    Experience,
    FeedbackContent,
    Interview,
    InterviewTurn,
    JobPosting,
    Resume,
    ResumeFeedback,
    ResumeRewrite,
    StudyGuide,
    StudyItem,
)


def ago(**delta) -> datetime:
    return datetime.now(UTC) - timedelta(**delta)


def _work(at: datetime, status: str) -> dict:
    return {"id": uuid.uuid4(), "status": status, "created_at": at, "updated_at": at}


class Rows:
    """Adds rows for one owner in their own transactions; each method gives the row's id."""

    def __init__(self, db, owner_id):
        self.db, self.owner_id = db, uuid.UUID(str(owner_id))

    def _add(self, *rows):
        with self.db.uow() as session:
            session.add_all(rows)
            session.commit()
        return rows[0].id if hasattr(rows[0], "id") else None

    def resume(self, title="백엔드 이력서", at=None, updated=None, deleted=False) -> uuid.UUID:
        at = at or datetime.now(UTC)
        resume = Resume(
            id=uuid.uuid4(),
            owner_id=self.owner_id,
            title=title,
            resume_type="1",
            name="김하늘",
            phone="010-1234-5678",
            birth_date=date(1996, 4, 12),
            created_at=at,
            updated_at=updated or at,
            deleted_at=datetime.now(UTC) if deleted else None,
        )
        resume.experiences = [
            Experience(id=uuid.uuid4(), position=0, job_title="Backend engineer", start_date=date(2020, 1, 1))
        ]
        return self._add(resume)

    def posting(self, title="Backend", company="Kakao", at=None, deleted=False) -> uuid.UUID:
        at = at or datetime.now(UTC)
        posting = JobPosting(
            id=uuid.uuid4(),
            owner_id=self.owner_id,
            title=title,
            company=company,
            qualification="Python",
            prefer="Go",
            created_at=at,
            updated_at=at,
            deleted_at=datetime.now(UTC) if deleted else None,
        )
        return self._add(posting)

    def feedback(self, resume_id=None, title="백엔드 이력서", at=None, status="completed", deleted=False):
        at = at or datetime.now(UTC)
        feedback = ResumeFeedback(
            **_work(at, status),
            owner_id=self.owner_id,
            kind="posting",
            resume_id=resume_id,
            resume_title=title,
            company="Kakao",
            matching_rate=70,
            deleted_at=datetime.now(UTC) if deleted else None,
        )
        feedback.contents = [FeedbackContent(id=uuid.uuid4(), position=0, division="1", result="Clear impact.")]
        return self._add(feedback)

    def rewrite(self, feedback_id=None, at=None, status="queued") -> uuid.UUID:
        return self._add(
            ResumeRewrite(**_work(at or datetime.now(UTC), status), owner_id=self.owner_id, feedback_id=feedback_id)
        )

    def interview(self, title="백엔드 이력서", at=None, status="processing") -> uuid.UUID:
        at = at or datetime.now(UTC)
        interview = Interview(
            **_work(at, status), owner_id=self.owner_id, resume_title=title, company="Kakao", phase="answering"
        )
        interview.turns = [InterviewTurn(id=uuid.uuid4(), position=0, question="Why Go?", answer="Speed.", asked_at=at)]
        return self._add(interview)

    def guide(self, title="Go 공부", at=None, status="completed", deleted=False) -> uuid.UUID:
        at = at or datetime.now(UTC)
        guide = StudyGuide(
            **_work(at, status), owner_id=self.owner_id, title=title, deleted_at=datetime.now(UTC) if deleted else None
        )
        guide.items = [StudyItem(id=uuid.uuid4(), position=0, title="Go", content="Tour of Go", priority="1")]
        return self._add(guide)

    def profile(self, name="김하늘") -> None:
        self._add(CareerProfile(user_id=self.owner_id, name=name, gender="2", updated_at=datetime.now(UTC)))
