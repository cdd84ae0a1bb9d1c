"""Response shapes of /api/resume_feedbacks and /api/resume_rewrites (their requests have no body)."""

import marshmallow as ma

from gateway.careers import rules
from gateway.careers.models import CAREER_STATUSES
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.http import PageSchema

FEEDBACK_ID = "9b2f4c1e-6d3a-4e8b-a5f7-0c1d2e3f4a5b"
RESUME_ID = "3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b"
POSTING_ID = "5a6b7c8d-9e0f-4a1b-9c2d-3e4f5a6b7c8d"
REWRITE_ID = "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
STATUS = {"enum": list(CAREER_STATUSES), "example": "completed"}
KIND = {"enum": ["standard", "posting"], "example": "posting"}
WHEN = {"example": "2026-03-01T09:30:00+00:00"}


def _links(feedback) -> dict:
    return {"self": f"/api/resume_feedbacks/{feedback.id}"}


class ErrorInfoSchema(FastDumpSchema):
    reason = ma.fields.String(metadata={"example": "The AI's answer was not usable: matching_rate: 101 > 100"})
    code = ma.fields.String(allow_none=True, metadata={"example": "invalid_output"})


def _error(work):
    return None if work.status != "failed" else {"reason": work.error, "code": work.error_code}


class FeedbackAcceptedSchema(FastDumpSchema):
    """The answer to a request for feedback: where to follow it."""

    feedback_id = ma.fields.UUID(attribute="id", dump_only=True, metadata={"example": FEEDBACK_ID})
    id = ma.fields.UUID(metadata={"example": FEEDBACK_ID})
    kind = ma.fields.String(metadata=KIND)
    status = ma.fields.String(metadata={**STATUS, "example": "queued"})
    resume_id = ma.fields.UUID(metadata={"example": RESUME_ID})
    posting_id = ma.fields.UUID(allow_none=True, metadata={"example": POSTING_ID})
    created_at = ma.fields.DateTime(metadata=WHEN)
    links = ma.fields.Function(_links, metadata={"example": {"self": f"/api/resume_feedbacks/{FEEDBACK_ID}"}})


def _label(content) -> rules.Label:
    return rules.label("feedback_division", content.division)


class FeedbackContentSchema(FastDumpSchema):
    """One point of the feedback, in its division (GET /api/codes?division=feedback_division)."""

    id = ma.fields.UUID()
    division = ma.fields.String(metadata={"enum": list(rules.CODES["feedback_division"]), "example": "2"})
    label_ko = ma.fields.Function(
        lambda c: rules.label("feedback_division", c.division).ko, metadata={"example": "필수 수정사항"}
    )
    label_en = ma.fields.Function(
        lambda c: rules.label("feedback_division", c.division).en, metadata={"example": "Must fix"}
    )
    result = ma.fields.String(metadata={"example": "The posting requires Kubernetes; the résumé never names it."})


class FeedbackListItemSchema(FastDumpSchema):
    """A feedback in a list: what it was about and how it went."""

    feedback_id = ma.fields.UUID(attribute="id", dump_only=True, metadata={"example": FEEDBACK_ID})
    kind = ma.fields.String(metadata=KIND)
    company = ma.fields.String(allow_none=True, metadata={"example": "Toss", "description": "The posting's, as asked"})
    posting_title = ma.fields.String(allow_none=True, metadata={"example": "Backend engineer"})
    resume_title = ma.fields.String(metadata={"example": "백엔드 개발자 이력서", "description": "As it was when asked"})
    content_count = ma.fields.Integer(metadata={"example": 7})
    matching_rate = ma.fields.Integer(allow_none=True, metadata={"example": 72, "description": "0-100, once completed"})
    status = ma.fields.String(metadata=STATUS)
    created_at = ma.fields.DateTime(metadata=WHEN)


class FeedbackPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(FeedbackListItemSchema))


class FeedbackSchema(FastDumpSchema):
    """A feedback with its points, in their order, once completed."""

    feedback_id = ma.fields.UUID(attribute="id", dump_only=True, metadata={"example": FEEDBACK_ID})
    kind = ma.fields.String(metadata=KIND)
    status = ma.fields.String(metadata=STATUS)
    attempts = ma.fields.Integer(metadata={"example": 1})
    resume_id = ma.fields.UUID(allow_none=True, metadata={"example": RESUME_ID})
    posting_id = ma.fields.UUID(allow_none=True, metadata={"example": POSTING_ID})
    resume_title = ma.fields.String(metadata={"example": "백엔드 개발자 이력서"})
    company = ma.fields.String(allow_none=True, metadata={"example": "Toss"})
    posting_title = ma.fields.String(allow_none=True, metadata={"example": "Backend engineer"})
    matching_rate = ma.fields.Integer(allow_none=True, metadata={"example": 72})
    parent_content = ma.fields.String(
        allow_none=True, metadata={"description": "The résumé as Markdown", "example": "# 김하늘\n\n## 경력\n- ..."}
    )
    contents = ma.fields.List(ma.fields.Nested(FeedbackContentSchema))
    error = ma.fields.Function(_error, allow_none=True, metadata={"description": "Why it failed ({reason, code})"})
    provider = ma.fields.String(allow_none=True, metadata={"example": "offline"})
    model = ma.fields.String(allow_none=True, metadata={"example": "careers-rules-1"})
    created_at = ma.fields.DateTime(metadata=WHEN)
    updated_at = ma.fields.DateTime(metadata=WHEN)
    started_at = ma.fields.DateTime(allow_none=True, metadata=WHEN)
    completed_at = ma.fields.DateTime(allow_none=True, metadata=WHEN)
    failed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(_links, metadata={"example": {"self": f"/api/resume_feedbacks/{FEEDBACK_ID}"}})


def _rewrite_links(rewrite) -> dict:
    links = {"self": f"/api/resume_rewrites/{rewrite.id}"}
    if rewrite.feedback_id is not None:
        links["feedback"] = f"/api/resume_feedbacks/{rewrite.feedback_id}"
    if rewrite.resume_id is not None:
        links["resume"] = f"/api/resumes/{rewrite.resume_id}"
    return links


class RewriteSchema(FastDumpSchema):
    """A rewrite: once completed, `resume_id` is the new résumé, yours like any other."""

    id = ma.fields.UUID(metadata={"example": REWRITE_ID})
    rewrite_id = ma.fields.UUID(attribute="id", dump_only=True, metadata={"example": REWRITE_ID})
    status = ma.fields.String(metadata=STATUS)
    feedback_id = ma.fields.UUID(allow_none=True, metadata={"example": FEEDBACK_ID})
    resume_id = ma.fields.UUID(allow_none=True, metadata={"example": RESUME_ID, "description": "Once completed"})
    error = ma.fields.Function(_error, allow_none=True, metadata={"description": "Why it failed ({reason, code})"})
    created_at = ma.fields.DateTime(metadata=WHEN)
    updated_at = ma.fields.DateTime(metadata=WHEN)
    completed_at = ma.fields.DateTime(allow_none=True, metadata=WHEN)
    failed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(
        _rewrite_links,
        metadata={
            "example": {
                "self": f"/api/resume_rewrites/{REWRITE_ID}",
                "feedback": f"/api/resume_feedbacks/{FEEDBACK_ID}",
                "resume": f"/api/resumes/{RESUME_ID}",
            }
        },
    )
