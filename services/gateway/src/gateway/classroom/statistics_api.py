"""/api/dashboard/...: the instructor's statistics of a lecture and of a live session (its owner only)."""

from datetime import UTC, datetime

from flask.views import MethodView

from gateway.accounts.guard import authenticated, principal
from gateway.classroom import statistics_service as statistics
from gateway.classroom import statistics_trends
from gateway.classroom.sessions_service import parse_id
from gateway.classroom.statistics_schemas import (
    LectureStatisticsSchema,
    LectureStudentsSchema,
    SessionProgressStatsSchema,
    SessionTrendsSchema,
    StepAnalysisPageSchema,
)
from gateway.platform.blueprint import Blueprint

blp = Blueprint(
    "classroom_statistics",
    __name__,
    url_prefix="/api/dashboard",
    description="Classroom: the instructor's statistics of a lecture (its learners, progress, help requests, where "
    "learners take longest and get stuck) and of a live session (who is done, on track, delayed or not started).",
)
NOT_YOURS = "No such lecture among yours (another instructor's is 404 too)"


@blp.route("/lectures/<id:lecture_id>/students")
class LectureStudents(MethodView):
    @authenticated(blp)
    @blp.response(200, LectureStudentsSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, lecture_id: str):
        """Your lecture's learners and how far each got

        Enrolled users and everyone who joined one of its sessions (signed in
        or by code), most recently active first.
        """
        lecture = parse_id(lecture_id, "lecture")
        return statistics.lecture_students(blp.deps.db.uow(), principal().user_id, lecture)


@blp.route("/statistics/lecture/<id:lecture_id>")
class LectureStatistics(MethodView):
    @authenticated(blp)
    @blp.response(200, LectureStatisticsSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, lecture_id: str):
        """Your lecture at a glance: learners, progress, completion, help requests, its most difficult steps"""
        lecture = parse_id(lecture_id, "lecture")
        return statistics.lecture_statistics(blp.deps.db.uow(), principal().user_id, lecture, datetime.now(UTC))


@blp.route("/statistics/lecture/<id:lecture_id>/step-analysis")
class StepAnalysis(MethodView):
    @authenticated(blp)
    @blp.response(200, StepAnalysisPageSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, lecture_id: str):
        """Where learners take longest, ask for help and get stuck, step by step

        Time on a step runs from its first sign (started, or the first
        activity event reported on it) to its completion; stalled learners
        are on it in a live session and silent for 5 minutes or more.
        """
        lecture = parse_id(lecture_id, "lecture")
        return statistics.step_analysis(blp.deps.db.uow(), principal().user_id, lecture, datetime.now(UTC))


@blp.route("/statistics/lecture/<id:lecture_id>/session-trends")
class SessionTrends(MethodView):
    @authenticated(blp)
    @blp.response(200, SessionTrendsSchema)
    @blp.alt_response(404, description=NOT_YOURS)
    def get(self, lecture_id: str):
        """How your lecture's finished sessions compare, and whether it is getting better

        Completion, time to complete and help requests per learner of each
        session that ended, oldest first; the latest three against the ones
        before.
        """
        lecture = parse_id(lecture_id, "lecture")
        return statistics_trends.session_trends(blp.deps.db.uow(), principal().user_id, lecture, datetime.now(UTC))


@blp.route("/sessions/<id:session_id>/progress-stats")
class SessionProgressStats(MethodView):
    @authenticated(blp)
    @blp.response(200, SessionProgressStatsSchema)
    @blp.alt_response(404, description="No such session in your lectures (another instructor's is 404 too)")
    def get(self, session_id: str):
        """A session's learners: completed, in progress, delayed (silent 5 minutes) or not started"""
        session = parse_id(session_id, "session")
        return statistics.session_progress(blp.deps.db.uow(), principal().user_id, session, datetime.now(UTC))
