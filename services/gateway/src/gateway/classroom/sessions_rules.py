"""Rules of live sessions, without I/O: the join code, the status machine, the next step.

Statuses: WAITING -> IN_PROGRESS <-> PAUSED -> ENDED, and REVIEW_MODE after the end. `end` is allowed from every
status but ENDED (a session that never started may be called off; a review closed). `review` opens an ended
session again for learners to go through its steps at their own pace: they may join and report completions,
the instructor moves nobody (next-step is for IN_PROGRESS only), and `end` closes it for good again.
"""

import secrets
from collections.abc import Iterator

# No look-alikes: no 0/O/Q/D, 1/I/L/J, 2/Z, 5/S, 8/B, U/V, G/6 (read aloud or from a projector by older learners).
CODE_ALPHABET = "3479ACEFHKMNPRTWXY"
CODE_LENGTH = 6
CODE_ATTEMPTS = 8  # 18^6 = 34 million codes: a collision is rare, eight in a row never happens

STATUSES = ("WAITING", "IN_PROGRESS", "PAUSED", "ENDED", "REVIEW_MODE")
# action -> (the statuses it may be taken from, the status it leaves); None keeps the status
MOVES: dict[str, tuple[frozenset[str], str | None]] = {
    "start": (frozenset({"WAITING"}), "IN_PROGRESS"),
    "next-step": (frozenset({"IN_PROGRESS"}), None),
    "pause": (frozenset({"IN_PROGRESS"}), "PAUSED"),
    "resume": (frozenset({"PAUSED"}), "IN_PROGRESS"),
    "end": (frozenset({"WAITING", "IN_PROGRESS", "PAUSED", "REVIEW_MODE"}), "ENDED"),
    "review": (frozenset({"ENDED"}), "REVIEW_MODE"),
    "broadcast": (frozenset({"WAITING", "IN_PROGRESS", "PAUSED", "REVIEW_MODE"}), None),
}
CONTROLS = tuple(MOVES)
JOINABLE = frozenset({"WAITING", "IN_PROGRESS", "PAUSED", "REVIEW_MODE"})
LEARNING = frozenset({"IN_PROGRESS", "PAUSED", "REVIEW_MODE"})  # completions and screenshots are taken
BROADCAST_MAX = 500
TITLE_MAX = 255
DISPLAY_NAME_MAX = 100
DEVICE_ID_MAX = 100


def new_code(choice=secrets.choice) -> str:
    return "".join(choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def codes(choice=secrets.choice, attempts: int = CODE_ATTEMPTS) -> Iterator[str]:
    """Fresh codes to try one after the other until one is free."""
    for _ in range(attempts):
        yield new_code(choice)


def normalise_code(raw: str) -> str | None:
    """The code as stored (upper case, without spaces or dashes), or None if it cannot be one."""
    code = "".join(raw.split()).replace("-", "").upper()
    return code if len(code) == CODE_LENGTH and all(c in CODE_ALPHABET for c in code) else None


def move_conflict(action: str, status: str) -> str | None:
    """Why `action` cannot be taken in `status` (a 409), or None when it can."""
    allowed, _ = MOVES[action]
    if status in allowed:
        return None
    return f"The session is {status}: '{action}' is allowed only when it is {' or '.join(sorted(allowed))}."


def status_after(action: str, status: str) -> str:
    """The status `action` leaves (move_conflict said it may be taken)."""
    return MOVES[action][1] or status


def step_after(step_ids: list[str], current: str | None) -> str | None:
    """The step after `current` in teaching order (the first one when none is current); None past the last."""
    if current is None or current not in step_ids:
        return step_ids[0] if step_ids else None
    index = step_ids.index(current)
    return step_ids[index + 1] if index + 1 < len(step_ids) else None


def completed_all(completed: set[str], step_ids: list[str]) -> bool:
    return bool(step_ids) and set(step_ids) <= completed
