"""Request and response shapes of live sessions: a session, its controls, the active lists."""

import marshmallow as ma

from gateway.classroom import sessions_rules as rules
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import Line, Text

SESSION_ID = "5b0f6a52-3c1e-4d7a-9a64-2f8e1c0b7d93"
STEP_ID = "8c3d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
CODE = "AC7KMX"


def not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be empty or only whitespace.")


class SessionCreateSchema(ma.Schema):
    title = Line(
        load_default=None,
        validate=ma.validate.Length(max=rules.TITLE_MAX),
        metadata={"description": "Default: the lecture's title", "example": "화요일 오전 반: 카카오톡 사진 보내기"},
    )
    scheduled_at = ma.fields.AwareDateTime(
        load_default=None,
        metadata={"description": "When it is planned (shown only)", "example": "2025-05-20T10:00:00Z"},
    )


class SessionControlSchema(ma.Schema):
    message = Text(
        load_default=None,
        validate=ma.validate.Length(max=rules.BROADCAST_MAX),
        metadata={"description": "A note for the record (and the status event)", "example": "잠시 쉬었다 갈게요"},
    )


class NextStepBodySchema(SessionControlSchema):
    subtask_id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "Jump to this step of the lecture; default: the step after the current one"},
    )


class BroadcastBodySchema(ma.Schema):
    message = Text(
        required=True,
        validate=[ma.validate.Length(min=1, max=rules.BROADCAST_MAX), not_blank],
        metadata={"description": "To every learner in the session", "example": "화면 아래 초록색 버튼을 눌러 보세요."},
    )


class SessionStepSchema(FastDumpSchema):
    """A step of the lecture (the original's subtask) and where it stands in it."""

    id = ma.fields.String(metadata={"example": STEP_ID})
    task_id = ma.fields.String()
    task_title = ma.fields.String(allow_none=True, metadata={"example": "사진 보내기"})
    position = ma.fields.Integer(metadata={"description": "1-based, across the lecture's tasks", "example": 2})
    total_steps = ma.fields.Integer(metadata={"example": 7})
    title = ma.fields.String(metadata={"example": "사진 버튼 누르기"})
    description = ma.fields.String()
    target_action = ma.fields.String(allow_none=True, metadata={"example": "CLICK"})
    target_element_hint = ma.fields.String(allow_none=True, metadata={"example": "입력창 왼쪽의 + 버튼"})
    guide_text = ma.fields.String(allow_none=True, metadata={"example": "입력창 왼쪽의 + 버튼을 누르세요."})
    voice_guide_text = ma.fields.String(allow_none=True)
    target_package = ma.fields.String(allow_none=True, metadata={"example": "com.kakao.talk"})
    target_view_id = ma.fields.String(allow_none=True)
    target_text = ma.fields.String(allow_none=True)


class LectureRefSchema(FastDumpSchema):
    id = ma.fields.UUID()
    title = ma.fields.String(allow_none=True)


class SessionInstructorSchema(FastDumpSchema):
    id = ma.fields.UUID()
    username = ma.fields.String(allow_none=True, metadata={"example": "teacher_kim"})


class SessionSchema(FastDumpSchema):
    """A live session: its code, status and current step."""

    id = ma.fields.UUID(metadata={"example": SESSION_ID})
    code = ma.fields.String(metadata={"description": f"{rules.CODE_LENGTH} of {rules.CODE_ALPHABET}", "example": CODE})
    title = ma.fields.String(metadata={"example": "화요일 오전 반"})
    status = ma.fields.String(metadata={"enum": list(rules.STATUSES), "example": "IN_PROGRESS"})
    lecture = ma.fields.Nested(LectureRefSchema)
    instructor = ma.fields.Nested(SessionInstructorSchema)
    current_step = ma.fields.Nested(SessionStepSchema, allow_none=True)
    total_steps = ma.fields.Integer(metadata={"example": 7})
    participant_count = ma.fields.Integer(metadata={"example": 12})
    event_seq = ma.fields.Integer(metadata={"description": "The number of the session's last event", "example": 31})
    scheduled_at = ma.fields.DateTime(allow_none=True)
    started_at = ma.fields.DateTime(allow_none=True)
    ended_at = ma.fields.DateTime(allow_none=True)
    created_at = ma.fields.DateTime()
    links = ma.fields.Function(
        lambda s: {
            "self": f"/api/sessions/{s['id']}/current",
            "by_code": f"/api/sessions/{s['code']}",
            "qr": f"/api/sessions/{s['code']}/qr.png",
            "join": f"/api/sessions/{s['id']}/join",
        }
    )


class JoinedSessionSchema(SessionSchema):
    """A session the learner joined, with where they are in it."""

    participant_id = ma.fields.UUID()
    my_status = ma.fields.String(metadata={"example": "ACTIVE"})
    joined_at = ma.fields.DateTime()


class SessionListSchema(FastDumpSchema):
    active_sessions = ma.fields.List(ma.fields.Nested(SessionSchema))
    count = ma.fields.Integer(metadata={"example": 1})


class MySessionListSchema(FastDumpSchema):
    active_sessions = ma.fields.List(ma.fields.Nested(JoinedSessionSchema))
    count = ma.fields.Integer(metadata={"example": 1})


class BroadcastResultSchema(FastDumpSchema):
    session_id = ma.fields.UUID(metadata={"example": SESSION_ID})
    message = ma.fields.String(metadata={"example": "화면 아래 초록색 버튼을 눌러 보세요."})
    sender = ma.fields.String(data_key="from", metadata={"example": "teacher_kim"})
    control_id = ma.fields.UUID()
    seq = ma.fields.Integer(metadata={"description": "The instructor_message event's number", "example": 32})
    broadcast_to = ma.fields.Integer(metadata={"description": "Participants in the session", "example": 12})
    sent_at = ma.fields.DateTime()
