"""Request and response shapes of /api/job-postings."""

import marshmallow as ma

from gateway.careers import rules
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import INT32, Line, Text
from gateway.platform.http import PageArgs, PageSchema


def _length(maximum: int, minimum: int = 0) -> ma.validate.Length:
    return ma.validate.Length(min=minimum, max=maximum)


class PostingBody(ma.Schema):
    """A job posting whole (a PUT replaces every field)."""

    url = Line(
        load_default=None,
        allow_none=True,
        validate=[_length(rules.URL_MAX), ma.validate.URL(schemes={"http", "https"}, require_tld=False)],
        metadata={"example": "https://careers.example.com/jobs/1234"},
    )
    title = Line(required=True, validate=_length(rules.POSTING_TITLE_MAX, 1), metadata={"example": "백엔드 개발자"})
    company = Line(required=True, validate=_length(rules.COMPANY_MAX, 1), metadata={"example": "Example Corp"})
    qualification = Text(
        required=True,
        validate=_length(rules.REQUIREMENTS_MAX),
        metadata={"description": "What it requires", "example": "Python, PostgreSQL, 3+ years of backend work"},
    )
    prefer = Text(
        required=True,
        validate=_length(rules.REQUIREMENTS_MAX),
        metadata={"description": "What it prefers", "example": "Kubernetes, RabbitMQ"},
    )
    end_date = ma.fields.Date(
        load_default=None, allow_none=True, metadata={"description": "When it closes", "example": "2027-01-31"}
    )

    @ma.post_load
    def _tidy(self, data, **_):
        for name in ("title", "company"):
            data[name] = data[name].strip()
            if not data[name]:
                raise ma.ValidationError("Must not be blank.", name)
        return data


class PostingListArgs(PageArgs):
    page_size = ma.fields.Integer(
        load_default=rules.POSTINGS_PAGE_SIZE,
        validate=INT32,
        metadata={"description": f"{rules.POSTINGS_PAGE_SIZE} unless given; at most 100 (MAX_PAGE_SIZE)."},
    )
    title = Line(validate=_length(rules.POSTING_TITLE_MAX, 1), metadata={"description": "Part of the title, any case"})


class PostingSchema(FastDumpSchema):
    """A job posting as its owner sees it."""

    id = ma.fields.UUID()
    url = ma.fields.String(allow_none=True, metadata={"example": "https://careers.example.com/jobs/1234"})
    title = ma.fields.String(metadata={"example": "백엔드 개발자"})
    company = ma.fields.String(metadata={"example": "Example Corp"})
    qualification = ma.fields.String()
    prefer = ma.fields.String()
    end_date = ma.fields.Date(allow_none=True)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda posting: {"self": f"/api/job-postings/{posting.id}"})


class PostingPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(PostingSchema))
