"""The response of /api/dashboard."""

import marshmallow as ma

from gateway.careers.dashboard import ACTIVITY_KINDS
from gateway.careers.models import CAREER_STATUSES
from gateway.fastpaths.dump import FastDumpSchema

EXAMPLE_ID = "0b8f6c1e-6a43-4d8e-9a61-2f4f7f0e9d12"


class RecentResumeSchema(FastDumpSchema):
    id = ma.fields.UUID(metadata={"example": EXAMPLE_ID})
    title = ma.fields.String(metadata={"example": "백엔드 개발자 이력서"})
    resume_type = ma.fields.String(metadata={"description": "A resume_type code", "example": "1"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda resume: {"self": f"/api/resumes/{resume.id}"})


class ActivitySchema(FastDumpSchema):
    kind = ma.fields.String(metadata={"enum": list(ACTIVITY_KINDS), "example": "resume_feedback"})
    id = ma.fields.UUID(metadata={"example": EXAMPLE_ID})
    title = ma.fields.String(
        allow_none=True,
        metadata={"description": "The résumé's title (a study guide's own, null until written)", "example": "백엔드"},
    )
    status = ma.fields.String(
        metadata={
            "description": "The AI work's status; for a résumé, `created` or `updated`",
            "enum": [*CAREER_STATUSES, "created", "updated"],
            "example": "completed",
        }
    )
    company = ma.fields.String(allow_none=True, metadata={"description": "The posting's company, if any"})
    at = ma.fields.DateTime(metadata={"description": "When it last changed"})
    links = ma.fields.Function(lambda activity: {"self": activity.link})


class DashboardSchema(FastDumpSchema):
    """Counts of live résumés, AI feedback and postings, in all and in the last 7 days; the latest résumés and
    the recent activity."""

    total_resumes = ma.fields.Integer(metadata={"example": 4})
    this_week_resumes = ma.fields.Integer(metadata={"example": 1})
    total_ai_feedback = ma.fields.Integer(metadata={"example": 6})
    this_week_ai_feedback = ma.fields.Integer(metadata={"example": 2})
    total_job_postings = ma.fields.Integer(metadata={"example": 3})
    this_week_job_postings = ma.fields.Integer(metadata={"example": 0})
    week_started_at = ma.fields.DateTime(metadata={"description": "This week is from then (7 days ago) to now"})
    recent_resumes = ma.fields.List(
        ma.fields.Nested(RecentResumeSchema), metadata={"description": "The 5 résumés changed last"}
    )
    recent_activities = ma.fields.List(
        ma.fields.Nested(ActivitySchema), metadata={"description": "The 10 latest changes, newest first"}
    )
