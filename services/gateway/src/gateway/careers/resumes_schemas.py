"""Request and response shapes of /api/resumes.

`ResumeBody` is also the contract of a résumé in the careers commands (shared.messages.careers): the
documents module loads a rewritten résumé through it, so the API and the rewrite flow keep one set of rules.
"""

import marshmallow as ma

from gateway.careers import rules
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Email, Flag, Line, Text
from gateway.platform.http import PageArgs, PageSchema


def _length(maximum: int, minimum: int = 0) -> ma.validate.Length:
    return ma.validate.Length(min=minimum, max=maximum)


def _code(division: str, **options) -> Line:
    known = rules.codes(division)
    description = f"A `{division}` code (GET /api/codes?division={division}): " + ", ".join(
        f"{code} {rules.CODES[division][code].en}" for code in known
    )
    return Line(validate=ma.validate.OneOf(known), metadata={"description": description}, **options)


def _optional(field: type, maximum: int, example: str | None = None) -> ma.fields.Field:
    metadata = {"example": example} if example else {}
    return field(load_default=None, allow_none=True, validate=_length(maximum), metadata=metadata)


NAME = rules.ITEM_NAME_MAX


class _Item(ma.Schema):
    id = ma.fields.UUID(load_only=True, metadata={"description": "Ignored: a PUT gives every item a new id"})


class _Dated(_Item):
    """An item with a period: `end_date` (empty while it goes on) on or after `start_date`."""

    start_date = ma.fields.Date(required=True, metadata={"example": "2021-03-02"})
    end_date = ma.fields.Date(load_default=None, allow_none=True, metadata={"example": "2024-02-29"})

    @ma.validates_schema
    def _dates_in_order(self, data, **_):
        problem = rules.dates_problem(data.get("start_date"), data.get("end_date"))
        if problem:
            raise ma.ValidationError(problem, "end_date")


class ExperienceBody(_Dated):
    job_title = Line(required=True, validate=_length(NAME, 1), metadata={"example": "Backend engineer"})
    department = _optional(Line, NAME, "Platform")
    position = Line(
        load_default=None,
        allow_none=True,
        validate=_length(NAME),
        metadata={"description": "The rank held", "example": "Senior"},
    )
    job_description = _optional(Text, rules.JOB_DESCRIPTION_MAX, "Moved billing behind a queue; errors fell by 40%.")
    employment_status = Flag(load_default=False, metadata={"description": "Still employed there"})


class EducationBody(_Dated):
    organ = Line(required=True, validate=_length(NAME, 1), metadata={"example": "Seoul National University"})
    department = _optional(Line, NAME, "Computer science")
    degree_level = _code("degree", load_default=None, allow_none=True)
    score = _optional(Line, rules.SCORE_MAX, "3.9/4.5")


class ProjectBody(_Dated):
    title = Line(required=True, validate=_length(NAME, 1), metadata={"example": "Payments gateway"})
    description = _optional(Text, rules.DESCRIPTION_MAX, "Trigram search over 100,000 résumés")


class ActivityBody(ProjectBody):
    pass


class QualificationBody(_Item):
    title = Line(required=True, validate=_length(NAME, 1), metadata={"example": "정보처리기사"})
    acquisition_date = ma.fields.Date(required=True)
    score = _optional(Line, rules.SCORE_MAX)
    organ = _optional(Line, NAME)


class TechnologyStackBody(_Item):
    name = Line(required=True, validate=_length(NAME, 1), metadata={"example": "Python"})


def _section(item: type[ma.Schema]) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(item), load_default=list, validate=_length(rules.SECTION_ITEMS_MAX))


class ResumeBody(ma.Schema):
    """A whole résumé: its fields and its six sections (a PUT replaces them all)."""

    title = Line(required=True, validate=_length(rules.TITLE_MAX, 1), metadata={"example": "백엔드 개발자 이력서"})
    resume_type = _code("resume_type", load_default=rules.GENERAL_RESUME)
    name = Line(load_default=None, allow_none=True, validate=_length(rules.NAME_MAX), metadata={"example": "김하늘"})
    email = Email(load_default=None, allow_none=True, validate=_length(rules.EMAIL_MAX))
    phone = _optional(Line, rules.PHONE_MAX, "010-1234-5678")
    address = _optional(Line, rules.ADDRESS_MAX, "서울특별시 강남구")
    gender = _code("gender", load_default=None, allow_none=True)
    military_service = _code("military_service", load_default=None, allow_none=True)
    birth_date = ma.fields.Date(load_default=None, allow_none=True)
    self_introduction = _optional(Text, rules.SELF_INTRODUCTION_MAX, "5년차 백엔드 개발자입니다.")
    experiences = _section(ExperienceBody)
    educations = _section(EducationBody)
    projects = _section(ProjectBody)
    activities = _section(ActivityBody)
    qualifications = _section(QualificationBody)
    technology_stacks = _section(TechnologyStackBody)

    @ma.post_load
    def _tidy(self, data, **_):
        data["title"] = data["title"].strip()
        if not data["title"]:
            raise ma.ValidationError("Must not be blank.", "title")
        for section in rules.SECTIONS:
            for item in data[section]:
                item.pop("id", None)
        return data


class ResumeListArgs(PageArgs):
    title = Line(validate=_length(rules.TITLE_MAX, 1), metadata={"description": "Part of the title, any case"})


# Answers. A résumé's sections come from the database as JSON (one statement reads it all), so their dates
# are already ISO strings: documented as dates, shown as they came.
DATE = {"format": "date", "example": "2024-02-29"}


class _ItemOut(FastDumpSchema):
    id = ma.fields.UUID()


class _DatedOut(_ItemOut):
    start_date = ma.fields.String(metadata=DATE)
    end_date = ma.fields.String(allow_none=True, metadata=DATE)


class ExperienceSchema(_DatedOut):
    job_title = ma.fields.String()
    department = ma.fields.String(allow_none=True)
    position = ma.fields.String(allow_none=True)
    job_description = ma.fields.String(allow_none=True)
    employment_status = ma.fields.Boolean()


class EducationSchema(_DatedOut):
    organ = ma.fields.String()
    department = ma.fields.String(allow_none=True)
    degree_level = ma.fields.String(allow_none=True)
    score = ma.fields.String(allow_none=True)


class ProjectSchema(_DatedOut):
    title = ma.fields.String()
    description = ma.fields.String(allow_none=True)


class QualificationSchema(_ItemOut):
    title = ma.fields.String()
    acquisition_date = ma.fields.String(metadata=DATE)
    score = ma.fields.String(allow_none=True)
    organ = ma.fields.String(allow_none=True)


class TechnologyStackSchema(_ItemOut):
    name = ma.fields.String()


def _items(schema: type[FastDumpSchema]) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema))


class ResumeSchema(FastDumpSchema):
    """A résumé as its owner sees it."""

    id = ma.fields.UUID()
    title = ma.fields.String(metadata={"example": "백엔드 개발자 이력서"})
    resume_type = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    gender = ma.fields.String(allow_none=True)
    military_service = ma.fields.String(allow_none=True)
    birth_date = ma.fields.Date(allow_none=True)
    self_introduction = ma.fields.String(allow_none=True)
    photo_url = ma.fields.String(
        allow_none=True,
        metadata={"description": "A signed URL that works for an hour (read the résumé again for a fresh one)"},
    )
    source_feedback_id = ma.fields.UUID(
        allow_none=True, metadata={"description": "The AI feedback this résumé was rewritten from"}
    )
    experiences = _items(ExperienceSchema)
    educations = _items(EducationSchema)
    projects = _items(ProjectSchema)
    activities = _items(ProjectSchema)
    qualifications = _items(QualificationSchema)
    technology_stacks = _items(TechnologyStackSchema)
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda resume: {"self": f"/api/resumes/{resume['id']}"})


class ResumeListItemSchema(FastDumpSchema):
    """A résumé in a list: what tells it apart."""

    id = ma.fields.UUID()
    title = ma.fields.String()
    resume_type = ma.fields.String()
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(lambda resume: {"self": f"/api/resumes/{resume.id}"})


class ResumePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(ResumeListItemSchema))
