"""Request and response shapes of /api/study-guides."""

import marshmallow as ma

from gateway.careers.interviews_schemas import error_of
from gateway.careers.models import CAREER_STATUSES
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.http import PageSchema
from shared.messages.careers_results import PRIORITIES


class StudyGuideCreateSchema(ma.Schema):
    """Exactly one of feedback_id and posting_id; resume_id only with posting_id."""

    feedback_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "One of your finished résumé feedbacks: study what it found missing",
            "example": "5d1e9c3a-2f4b-4a6e-9c8d-7b0a1e2f3c45",
        },
    )
    posting_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "One of your job postings: study what it asks for and your résumé lacks"},
    )
    resume_id = ma.fields.UUID(
        load_default=None,
        allow_none=True,
        metadata={"description": "With posting_id: the résumé to compare (default: your newest, if any)"},
    )


class StudyItemSchema(FastDumpSchema):
    """One thing to study."""

    position = ma.fields.Integer(metadata={"example": 1})
    title = ma.fields.String(metadata={"example": "Kubernetes basics"})
    content = ma.fields.String(metadata={"example": "Deploy a service with a Deployment, a Service and an Ingress."})
    keywords = ma.fields.List(ma.fields.String(), metadata={"example": ["kubernetes", "helm"]})
    priority = ma.fields.String(
        metadata={
            "enum": list(PRIORITIES),
            "description": "A study_priority code (GET /api/codes?division=study_priority): 1 essential, "
            "2 important, 3 extra",
            "example": "1",
        }
    )
    estimated_hours = ma.fields.Integer(allow_none=True, metadata={"example": 12})


class StudyGuideSchema(FastDumpSchema):
    """A study guide as its owner sees it: once completed, its items in order."""

    id = ma.fields.UUID()
    status = ma.fields.String(metadata={"enum": list(CAREER_STATUSES)})
    feedback_id = ma.fields.UUID(allow_none=True, metadata={"description": "The feedback it was built from"})
    posting_id = ma.fields.UUID(allow_none=True, metadata={"description": "The posting it was built from"})
    title = ma.fields.String(allow_none=True, metadata={"example": "Closing the gaps for the platform team"})
    description = ma.fields.String(allow_none=True)
    item_count = ma.fields.Function(lambda guide: len(guide.items))
    items = ma.fields.List(ma.fields.Nested(StudyItemSchema))
    error = ma.fields.Function(error_of, allow_none=True, metadata={"description": "Why it failed"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime(allow_none=True)
    links = ma.fields.Function(lambda guide: {"self": f"/api/study-guides/{guide.id}"})


class StudyGuideListItemSchema(StudyGuideSchema):
    """A study guide in a list: everything but its items."""

    class Meta:
        exclude = ("items",)


class StudyGuidePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(StudyGuideListItemSchema))
