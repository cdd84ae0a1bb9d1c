"""A help request as the API shows it: where it stands, what it is about, the AI's analysis, the requester's rating."""

from typing import Any

from gateway.classroom.models import HelpRequest


def help_view(
    help_request: HelpRequest, names: tuple[str | None, str | None], lecture_title: str | None = None
) -> dict[str, Any]:
    """`names`: the requester's name in the session and the step's title (HelpStore.names)."""
    display_name, subtask_title = names
    failed = help_request.analysis_status == "failed"
    rated = help_request.feedback_rating is not None
    return {
        "id": help_request.id,
        "status": help_request.status,
        "analysis_status": help_request.analysis_status,
        "request_type": help_request.request_type,
        "session_id": help_request.session_id,
        "lecture_id": help_request.lecture_id,
        "lecture_title": lecture_title,
        "subtask_id": help_request.step_id,
        "subtask_title": subtask_title,
        "participant_id": help_request.participant_id,
        "display_name": display_name,
        "context": help_request.context,
        "analysis": help_request.analysis if help_request.analysis_status == "completed" else None,
        "error": {"reason": help_request.error, "code": help_request.error_code} if failed else None,
        "attempts": help_request.attempts,
        "feedback": {
            "rating": help_request.feedback_rating,
            "text": help_request.feedback_text,
            "at": help_request.feedback_at,
        }
        if rated
        else None,
        "created_at": help_request.created_at,
        "updated_at": help_request.updated_at,
        "resolved_at": help_request.resolved_at,
    }
