"""Rules of help requests, without I/O: who may see one, when it may be resolved or rated, what a report moves.

Statuses: PENDING (asked; the analysis is queued) -> ANALYZING (the AI has taken it up; `analysis_status` says
how far, in the platform's vocabulary) -> RESOLVED (the instructor resolved it, from either). Forward only: a
report never moves a request back, and a resolved one stays resolved while its analysis finishes.
"""

import uuid

ASKABLE = frozenset({"WAITING", "IN_PROGRESS", "PAUSED", "REVIEW_MODE"})  # a session's statuses that take requests
CONTEXT_ACTIVITY_MAX = 50  # events a request may carry
STORED_ACTIVITY = 20  # events taken from the activity log when the request carries none
ACTIVITY_WINDOW_SECONDS = 600
REQUEST_TYPES = ("MANUAL", "AUTO")
FEEDBACK_TEXT_MAX = 2000
ERROR_MESSAGE_MAX = 2000


def session_conflict(status: str) -> str | None:
    """Why a session in `status` takes no help request (a 409), or None."""
    if status in ASKABLE:
        return None
    return f"The session is {status}: help can be asked for while it is {' or '.join(sorted(ASKABLE))}."


def is_requester(help_request, user_id: uuid.UUID | None, participant_id: uuid.UUID | None) -> bool:
    """Whether the caller (a signed-in user, or a participant by token) is the one who asked."""
    by_user = user_id is not None and help_request.user_id == user_id
    return by_user or (participant_id is not None and help_request.participant_id == participant_id)


def status_after_report(status: str) -> str:
    """A report from the worker means the AI has taken the request up; a resolved one stays resolved."""
    return "ANALYZING" if status == "PENDING" else status


def resolve_conflict(status: str) -> str | None:
    if status == "RESOLVED":
        return "This help request is already resolved."
    return None


def feedback_conflict(help_request) -> str | None:
    """Why the request cannot be rated now (a 409): rated already, or nothing given yet to rate."""
    if help_request.feedback_rating is not None:
        return "You rated this help already."
    if help_request.analysis_status != "completed" and help_request.status != "RESOLVED":
        return "There is nothing to rate yet: wait for the analysis, or for the instructor to resolve the request."
    return None
