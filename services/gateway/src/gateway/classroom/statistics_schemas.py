"""Response shapes of the instructor's statistics (the original's dashboard app; its field names kept)."""

import marshmallow as ma

from gateway.classroom.sessions_schemas import SESSION_ID, STEP_ID
from gateway.fastpaths.dump import FastDumpSchema

LECTURE_ID = "3e9a7c10-2b4d-4f6e-8a1c-5d7e9f0b2c4a"
USER_ID = "7c1d9e2f-3a4b-4c5d-8e6f-0a1b2c3d4e5f"
SECONDS = "Seconds"


class CurrentStepSchema(FastDumpSchema):
    id = ma.fields.UUID(metadata={"example": STEP_ID})
    title = ma.fields.String(metadata={"example": "사진 버튼 누르기"})
    status = ma.fields.String(metadata={"description": "The learner's status in their latest session"})


class StudentSchema(FastDumpSchema):
    """A learner of the lecture: a user (enrolled, or who joined signed in) or a device that joined by code."""

    user_id = ma.fields.UUID(allow_none=True, metadata={"example": USER_ID})
    device_id = ma.fields.String(allow_none=True, metadata={"example": None})
    name = ma.fields.String(metadata={"example": "김영희"})
    email = ma.fields.String(allow_none=True, metadata={"example": "younghee@example.com"})
    enrolled_at = ma.fields.DateTime(allow_none=True, metadata={"description": "None: never enrolled"})
    progress_rate = ma.fields.Float(metadata={"description": "0 to 1: steps completed of all", "example": 0.4286})
    completed_subtasks = ma.fields.Integer(metadata={"example": 3})
    total_subtasks = ma.fields.Integer(metadata={"example": 7})
    current_subtask = ma.fields.Nested(CurrentStepSchema, allow_none=True)
    help_count = ma.fields.Integer(metadata={"example": 2})
    sessions_attended = ma.fields.Integer(metadata={"example": 1})
    last_activity = ma.fields.DateTime(allow_none=True)


class LectureStudentsSchema(FastDumpSchema):
    lecture_id = ma.fields.UUID(metadata={"example": LECTURE_ID})
    lecture_name = ma.fields.String(metadata={"example": "스마트폰 기초"})
    students = ma.fields.List(ma.fields.Nested(StudentSchema), metadata={"description": "Most recently active first"})


class StepAnalysisSchema(FastDumpSchema):
    """One step: how long it takes, who asks for help, who is stuck on it."""

    subtask_id = ma.fields.UUID(metadata={"example": STEP_ID})
    subtask_name = ma.fields.String(metadata={"example": "사진 버튼 누르기"})
    task_name = ma.fields.String(metadata={"example": "사진 보내기"})
    order_index = ma.fields.Integer(metadata={"description": "1-based, across the lecture's tasks", "example": 2})
    avg_time_spent = ma.fields.Integer(
        metadata={
            "description": "Seconds from the first sign of the step (started, or its first event) to its completion",
            "example": 95,
        }
    )
    median_time_spent = ma.fields.Integer(metadata={"description": SECONDS, "example": 70})
    delay_rate = ma.fields.Float(metadata={"description": "Of those who completed it: took twice the average"})
    help_request_count = ma.fields.Integer(metadata={"example": 4})
    open_help_requests = ma.fields.Integer(metadata={"description": "Not resolved yet", "example": 1})
    student_count = ma.fields.Integer(metadata={"description": "Learners who reached it", "example": 12})
    completed_count = ma.fields.Integer(metadata={"example": 9})
    completion_rate = ma.fields.Float(metadata={"example": 0.75})
    activity_events = ma.fields.Integer(metadata={"description": "Events the apps reported on it", "example": 310})
    on_step_now = ma.fields.Integer(metadata={"description": "Learners on it in a live session now", "example": 3})
    stalled_now = ma.fields.Integer(
        metadata={"description": "Of those, silent for 5 minutes or more: stuck", "example": 1}
    )
    bottleneck_score = ma.fields.Float(
        metadata={"description": "0 to 1: delay 40%, help requests 40%, not completing 20%", "example": 0.46}
    )


class StepSummarySchema(FastDumpSchema):
    most_delayed_step = ma.fields.String(allow_none=True)
    most_help_requested_step = ma.fields.String(allow_none=True, metadata={"example": "사진 버튼 누르기"})
    most_stalled_step = ma.fields.String(allow_none=True)
    highest_bottleneck_step = ma.fields.String(allow_none=True)
    avg_overall_delay_rate = ma.fields.Float(metadata={"example": 0.12})


class StepAnalysisPageSchema(FastDumpSchema):
    lecture_id = ma.fields.UUID(metadata={"example": LECTURE_ID})
    lecture_name = ma.fields.String(metadata={"example": "스마트폰 기초"})
    total_subtasks = ma.fields.Integer(metadata={"example": 7})
    step_analysis = ma.fields.List(ma.fields.Nested(StepAnalysisSchema), metadata={"description": "In lecture order"})
    summary = ma.fields.Nested(StepSummarySchema)
    last_updated = ma.fields.DateTime()


class LectureStatisticsSchema(FastDumpSchema):
    lecture_id = ma.fields.UUID(metadata={"example": LECTURE_ID})
    lecture_name = ma.fields.String(metadata={"example": "스마트폰 기초"})
    total_students = ma.fields.Integer(metadata={"example": 24})
    total_sessions = ma.fields.Integer(metadata={"example": 3})
    total_subtasks = ma.fields.Integer(metadata={"example": 7})
    total_help_requests = ma.fields.Integer(metadata={"example": 11})
    average_progress = ma.fields.Integer(metadata={"description": "Percent", "example": 68})
    completion_rate = ma.fields.Integer(metadata={"description": "Percent who completed every step", "example": 50})
    activity_events = ma.fields.Integer(metadata={"example": 5120})
    difficult_steps = ma.fields.List(
        ma.fields.Nested(StepAnalysisSchema),
        metadata={"description": "At most 10: the most help requested first, then the highest bottleneck"},
    )
    last_updated = ma.fields.DateTime()


class ProgressGroupSchema(FastDumpSchema):
    key = ma.fields.String(metadata={"enum": ["completed", "in_progress", "delayed", "not_started"]})
    name = ma.fields.String(metadata={"description": "The original's label", "example": "진행중"})
    count = ma.fields.Integer(metadata={"example": 8})
    percentage = ma.fields.Integer(metadata={"example": 66})


class LearnerStepSchema(FastDumpSchema):
    id = ma.fields.UUID(metadata={"example": STEP_ID})
    title = ma.fields.String(metadata={"example": "사진 버튼 누르기"})
    order_index = ma.fields.Integer(metadata={"example": 2})


class LearnerProgressSchema(FastDumpSchema):
    user_id = ma.fields.UUID(allow_none=True)
    device_id = ma.fields.String(allow_none=True, metadata={"example": "a3f9c2e1-android"})
    username = ma.fields.String(metadata={"example": "김영희"})
    current_subtask = ma.fields.Nested(LearnerStepSchema, allow_none=True)
    completed_subtasks = ma.fields.Integer(metadata={"example": 2})
    progress_percentage = ma.fields.Integer(metadata={"example": 28})
    status = ma.fields.String(
        metadata={
            "enum": ["completed", "in_progress", "delayed", "not_started"],
            "description": "delayed: silent for 5 minutes or more",
        }
    )
    last_active_at = ma.fields.DateTime(allow_none=True)


class SessionProgressStatsSchema(FastDumpSchema):
    session_id = ma.fields.UUID(metadata={"example": SESSION_ID})
    session_status = ma.fields.String(metadata={"example": "IN_PROGRESS"})
    total_students = ma.fields.Integer(metadata={"example": 12})
    total_subtasks = ma.fields.Integer(metadata={"example": 7})
    current_session_step = ma.fields.Integer(
        metadata={"description": "The session's step, 1-based (0: not started)", "example": 2}
    )
    groups = ma.fields.List(ma.fields.Nested(ProgressGroupSchema))
    progress_data = ma.fields.List(ma.fields.Nested(LearnerProgressSchema), metadata={"description": "By join order"})
    last_updated = ma.fields.DateTime()


TREND = {"enum": ["improving", "stable", "declining", "insufficient_data"]}


class SessionTrendSchema(FastDumpSchema):
    """One finished session of the lecture."""

    session_id = ma.fields.UUID(metadata={"example": SESSION_ID})
    session_title = ma.fields.String(metadata={"example": "화요일 오전 반"})
    session_date = ma.fields.Date(allow_none=True)
    started_at = ma.fields.DateTime(allow_none=True)
    ended_at = ma.fields.DateTime(allow_none=True)
    participant_count = ma.fields.Integer(metadata={"example": 12})
    completion_rate = ma.fields.Float(metadata={"description": "0 to 1: completed every step", "example": 0.75})
    avg_completion_time = ma.fields.Integer(metadata={"description": "Seconds from joining to the last step"})
    total_help_requests = ma.fields.Integer(metadata={"example": 5})
    help_request_rate = ma.fields.Float(metadata={"description": "Per learner", "example": 0.42})


class TrendSummarySchema(FastDumpSchema):
    completion_rate_trend = ma.fields.String(metadata=TREND)
    help_request_trend = ma.fields.String(metadata=TREND)
    avg_completion_time_trend = ma.fields.String(metadata=TREND)


class SessionTrendsSchema(FastDumpSchema):
    lecture_id = ma.fields.UUID(metadata={"example": LECTURE_ID})
    lecture_name = ma.fields.String(metadata={"example": "스마트폰 기초"})
    sessions = ma.fields.List(
        ma.fields.Nested(SessionTrendSchema), metadata={"description": "Ended (or in review) and joined, oldest first"}
    )
    trend_summary = ma.fields.Nested(TrendSummarySchema)
    last_updated = ma.fields.DateTime()
