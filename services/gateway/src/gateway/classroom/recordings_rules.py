"""Rules of recordings, without I/O: the status machine, the batch limits, what an analysis report leaves.

RECORDING (events are saved, in batches) -> COMPLETED (stopped) -> PROCESSING (an analysis was asked for) ->
ANALYZED | FAILED; a FAILED one may be analysed again. Anything else is a 409 that changes nothing. The analysis
itself moves through the platform's vocabulary (`analysis_status`, analysis_rules).
"""

STATUSES = ("RECORDING", "COMPLETED", "PROCESSING", "ANALYZED", "FAILED")
# action -> (the statuses it may be taken from, the status it leaves); None keeps the status
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "save events": (frozenset({"RECORDING"}), None),
    "stop": (frozenset({"RECORDING"}), "COMPLETED"),
    "analyze": (frozenset({"COMPLETED", "FAILED"}), "PROCESSING"),
}
BATCH_MAX = 500  # events in one save-events-batch
EVENTS_MAX = 5000  # events in one recording: an analysis carries them all in one message
PAGE_MAX = 500  # events in one page of GET .../events
TITLE_MAX = 255
DESCRIPTION_MAX = 5000


def move_conflict(action: str, status: str) -> str | None:
    """Why `action` cannot be taken in `status` (a 409), or None when it can."""
    allowed, _ = MOVES[action]
    if status in allowed:
        return None
    return f"The recording is {status}: '{action}' is allowed only when it is {' or '.join(sorted(allowed))}."


def status_after(action: str, status: str) -> str:
    return MOVES[action][1] or status


def room_conflict(stored: int, adding: int) -> str | None:
    """Why a batch does not fit in the recording (a 409), or None."""
    if stored + adding <= EVENTS_MAX:
        return None
    return f"The recording holds {stored} events and takes at most {EVENTS_MAX}: {adding} more do not fit."


def analysis_conflict(event_count: int) -> str | None:
    if event_count > 0:
        return None
    return "The recording has no events: there is nothing to analyse."


def status_after_analysis(analysis_status: str | None, status: str) -> str:
    """A finished analysis leaves the recording ANALYZED or FAILED; until then it stays as it is."""
    return {"completed": "ANALYZED", "failed": "FAILED"}.get(analysis_status or "", status)
