"""Request and response shapes of help requests: asking (with what the learner just did), the answer with the
AI's analysis, resolving, rating, and the instructor's pending list."""

import marshmallow as ma

from gateway.classroom import help_rules as rules
from gateway.classroom.models import HELP_STATUSES, WORK_STATUSES
from gateway.fastpaths.dump import FastDumpSchema
from gateway.platform.fields import INT32, Line, Text
from gateway.platform.http import PageArgs, PageSchema

HELP_ID = "0b9d6c1e-2f3a-4b5c-8d7e-6f5a4b3c2d1e"
SESSION_ID = "5b0e3c1a-7d2f-4e8b-9a6c-1f2e3d4c5b6a"
LECTURE_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
STEP_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f"
PARTICIPANT_ID = "2d7e9c40-6b1a-4f3e-8c5d-7a9b0e1f2c34"
WHEN = {"example": "2026-03-01T09:30:00+00:00"}
CONTEXT_EXAMPLE = {
    "recent_activity": [
        {
            "event_type": "VIEW_CLICKED",
            "occurred_at": f"2026-03-01T09:29:5{i}+00:00",
            "screen": "홈",
            "element": "검색",
        }
        for i in range(3)
    ],
    "error_message": None,
}
ANALYSIS_EXAMPLE = {
    "problem_diagnosis": "'검색'을 3번 누르셨지만, 이 단계에서 할 일은 '설정'을 누르기입니다.",
    "step_by_step_solution": ["화면 오른쪽 위의 톱니바퀴(설정)를 누르세요.", "'연결'을 누르세요."],
    "alternative_approaches": ["앱이나 설정의 검색창에서 '설정'을 이름으로 찾아보세요."],
    "confidence_score": 69,
    "estimated_difficulty": "EASY",
}


class ActivityEventIn(ma.Schema):
    """One thing the learner's app saw them do (as the activity log records it)."""

    event_type = Line(required=True, validate=ma.validate.Length(1, 40), metadata={"example": "VIEW_CLICKED"})
    occurred_at = ma.fields.AwareDateTime(load_default=None, allow_none=True, metadata=WHEN)
    package = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=255))
    screen = Line(load_default=None, allow_none=True, validate=ma.validate.Length(max=255), metadata={"example": "홈"})
    element = Line(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=255), metadata={"example": "검색"}
    )
    text = Text(load_default=None, allow_none=True, validate=ma.validate.Length(max=1000))
    x = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=INT32)
    y = ma.fields.Integer(load_default=None, allow_none=True, strict=True, validate=INT32)


class HelpContextIn(ma.Schema):
    recent_activity = ma.fields.List(
        ma.fields.Nested(ActivityEventIn),
        load_default=None,
        validate=ma.validate.Length(max=rules.CONTEXT_ACTIVITY_MAX),
        metadata={
            "description": f"What the learner just did, oldest first (at most {rules.CONTEXT_ACTIVITY_MAX}); left "
            f"out, the latest {rules.STORED_ACTIVITY} events of the activity log are taken"
        },
    )
    error_message = Text(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=rules.ERROR_MESSAGE_MAX),
        metadata={"description": "What the app showed, if anything", "example": "Wi-Fi를 켤 수 없습니다"},
    )
    screenshot_id = ma.fields.UUID(
        load_default=None, allow_none=True, metadata={"description": "One of your screenshots in this session"}
    )


class HelpRequestIn(ma.Schema):
    """A session (or, without one, a lecture you are enrolled in), the step, and what you just did."""

    session_id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "A session you joined (a participant token names its own)", "example": SESSION_ID},
    )
    lecture_id = ma.fields.UUID(load_default=None, metadata={"description": "Without a session: a lecture of yours"})
    subtask_id = ma.fields.UUID(
        load_default=None,
        metadata={"description": "The step (in a session, left out: the one you are on)", "example": STEP_ID},
    )
    request_type = ma.fields.String(load_default="MANUAL", validate=ma.validate.OneOf(rules.REQUEST_TYPES))
    context = ma.fields.Nested(HelpContextIn, load_default=dict, metadata={"example": CONTEXT_EXAMPLE})


class AnalysisSchema(FastDumpSchema):
    """The AI's diagnosis (shared.messages.classroom_results' help_analysis)."""

    problem_diagnosis = ma.fields.String(metadata={"example": ANALYSIS_EXAMPLE["problem_diagnosis"]})
    step_by_step_solution = ma.fields.List(
        ma.fields.String(), metadata={"example": ANALYSIS_EXAMPLE["step_by_step_solution"]}
    )
    alternative_approaches = ma.fields.List(
        ma.fields.String(), metadata={"example": ANALYSIS_EXAMPLE["alternative_approaches"]}
    )
    confidence_score = ma.fields.Integer(
        metadata={"description": "0-100: how much the activity supports it", "example": 69}
    )
    estimated_difficulty = ma.fields.String(metadata={"enum": ["EASY", "MEDIUM", "HARD"], "example": "EASY"})


class FailureSchema(FastDumpSchema):
    reason = ma.fields.String(metadata={"example": "The AI's answer was not usable: confidence_score: 140 > 100"})
    code = ma.fields.String(allow_none=True, metadata={"example": "invalid_output"})


class FeedbackGivenSchema(FastDumpSchema):
    rating = ma.fields.Integer(metadata={"example": 5})
    text = ma.fields.String(allow_none=True, metadata={"example": "덕분에 찾았어요"})
    at = ma.fields.DateTime(metadata=WHEN)


class HelpRequestSchema(FastDumpSchema):
    """A help request: where it stands, what it is about, and once analysed the AI's diagnosis."""

    id = ma.fields.UUID(metadata={"example": HELP_ID})
    status = ma.fields.String(metadata={"enum": list(HELP_STATUSES), "example": "ANALYZING"})
    analysis_status = ma.fields.String(metadata={"enum": list(WORK_STATUSES), "example": "completed"})
    request_type = ma.fields.String(metadata={"enum": list(rules.REQUEST_TYPES)})
    session_id = ma.fields.UUID(allow_none=True, metadata={"example": SESSION_ID})
    lecture_id = ma.fields.UUID(allow_none=True, metadata={"example": LECTURE_ID})
    lecture_title = ma.fields.String(allow_none=True, metadata={"description": "In the instructor's pending list"})
    subtask_id = ma.fields.UUID(allow_none=True, metadata={"example": STEP_ID})
    subtask_title = ma.fields.String(allow_none=True, metadata={"example": "와이파이 설정 열기"})
    participant_id = ma.fields.UUID(allow_none=True, metadata={"example": PARTICIPANT_ID})
    display_name = ma.fields.String(allow_none=True, metadata={"example": "김영희"})
    context = ma.fields.Dict(
        metadata={"description": "recent_activity, error_message, screenshot_id as sent", "example": CONTEXT_EXAMPLE}
    )
    analysis = ma.fields.Nested(AnalysisSchema, allow_none=True)
    error = ma.fields.Nested(FailureSchema, allow_none=True, metadata={"description": "When the analysis failed"})
    attempts = ma.fields.Integer()
    feedback = ma.fields.Nested(FeedbackGivenSchema, allow_none=True)
    created_at = ma.fields.DateTime(metadata=WHEN)
    updated_at = ma.fields.DateTime(metadata=WHEN)
    resolved_at = ma.fields.DateTime(allow_none=True)


class HelpFeedbackIn(ma.Schema):
    help_request_id = ma.fields.UUID(required=True, metadata={"example": HELP_ID})
    rating = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(1, 5), metadata={"example": 5})
    text = Text(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=rules.FEEDBACK_TEXT_MAX),
        metadata={"example": "덕분에 찾았어요"},
    )


class HelpFeedbackSchema(FastDumpSchema):
    help_request_id = ma.fields.UUID(metadata={"example": HELP_ID})
    rating = ma.fields.Integer(metadata={"example": 5})
    text = ma.fields.String(allow_none=True, metadata={"example": "덕분에 찾았어요"})
    feedback_at = ma.fields.DateTime(metadata=WHEN)


class PendingArgs(PageArgs):
    session_id = ma.fields.UUID(load_default=None, metadata={"description": "Only this session's"})


class PendingHelpPageSchema(PageSchema):
    items = ma.fields.List(ma.fields.Nested(HelpRequestSchema))
