"""Request and response shapes of /api/lectures (the fields the original's clients read: enrolled_count, ...)."""

import marshmallow as ma

from gateway.classroom import lectures_rules as rules
from gateway.classroom.tasks_schemas import TaskSchema
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Flag, Line, Text
from gateway.platform.http import PageArgs, PageSchema

TITLE = ma.validate.Length(min=1, max=rules.TITLE_MAX)
DESCRIPTION = ma.validate.Length(max=rules.DESCRIPTION_MAX)
URL = [ma.validate.Length(max=rules.URL_MAX), ma.validate.URL(schemes={"http", "https"}, require_tld=False)]


def _not_blank(data: dict) -> dict:
    if "title" in data:
        data["title"] = data["title"].strip()
        if not data["title"]:
            raise ma.ValidationError("Must not be blank.", "title")
    return data


class LectureBody(ma.Schema):
    title = Line(required=True, validate=TITLE, metadata={"example": "카카오톡으로 사진 보내기"})
    description = Text(
        load_default="",
        validate=DESCRIPTION,
        metadata={"example": "앨범에서 사진을 골라 가족 대화방에 보내는 법을 한 단계씩 배웁니다."},
    )
    thumbnail_url = Line(
        load_default=None, allow_none=True, validate=URL, metadata={"example": "https://cdn.example.com/kakao.png"}
    )
    is_active = Flag(load_default=True, metadata={"description": "Learners find and enroll in active lectures only"})

    @ma.post_load
    def _tidy(self, data, **_):
        return _not_blank(data)


class LecturePatch(ma.Schema):
    title = Line(validate=TITLE, metadata={"example": "카카오톡으로 사진과 동영상 보내기"})
    description = Text(validate=DESCRIPTION)
    thumbnail_url = Line(allow_none=True, validate=URL)
    is_active = Flag(metadata={"example": False})

    @ma.post_load
    def _tidy(self, data, **_):
        if not data:
            raise ma.ValidationError("Send at least one field to change.", "_schema")
        return _not_blank(data)


class LectureListArgs(PageArgs):
    view = Line(
        validate=ma.validate.OneOf(rules.VIEWS),
        metadata={
            "description": "`teaching`: your own lectures, active or not; `available`: every active lecture; "
            "`enrolled`: the ones you enrolled in, latest first. Default: `teaching` for an instructor, else "
            "`available`"
        },
    )


class LectureInstructorSchema(FastDumpSchema):
    id = ma.fields.UUID()
    username = ma.fields.String(metadata={"example": "teacher_kim"})


def _links(lecture) -> dict:
    ident = lecture["id"]
    return {
        "self": f"/api/lectures/{ident}",
        "tasks": f"/api/lectures/{ident}/tasks",
        "enroll": f"/api/lectures/{ident}/enroll",
    }


class LectureSchema(FastDumpSchema):
    id = ma.fields.UUID()
    title = ma.fields.String(metadata={"example": "카카오톡으로 사진 보내기"})
    description = ma.fields.String()
    thumbnail_url = ma.fields.String(allow_none=True)
    is_active = ma.fields.Boolean()
    instructor = ma.fields.Nested(LectureInstructorSchema)
    enrolled_count = ma.fields.Integer(metadata={"description": "Learners enrolled"})
    session_count = ma.fields.Integer(metadata={"description": "Live sessions opened, ended ones included"})
    task_count = ma.fields.Integer()
    subtask_count = ma.fields.Integer(metadata={"description": "Steps in all its tasks"})
    is_enrolled = ma.fields.Boolean(metadata={"description": "Whether you are enrolled"})
    created_at = ma.fields.DateTime()
    updated_at = ma.fields.DateTime()
    links = ma.fields.Function(_links)


class LectureDetailSchema(LectureSchema):
    tasks = ma.fields.List(ma.fields.Nested(TaskSchema), metadata={"description": "Its tasks in order, with steps"})


class LecturePageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(LectureSchema))


class EnrollmentSchema(FastDumpSchema):
    lecture_id = ma.fields.UUID()
    user_id = ma.fields.UUID()
    enrolled_at = ma.fields.DateTime()
    completed_at = ma.fields.DateTime(allow_none=True)
    lecture = ma.fields.Nested(LectureSchema)
