"""Rules of lectures, tasks and steps, without I/O: limits, who sees a lecture, and dense ordering.

Order: a lecture's tasks and a task's steps are numbered 0, 1, 2, ... with no gap and no repeat (`order_index` in
the API, `position` in the tables). Every change computes the whole new order from the current one (`inserted`,
`moved`, `without`, `replacement`) and writes only the positions that changed, under the lecture's row lock, so
two changes at once never leave a gap or a tie. A lecture's structure (tasks and steps added, moved or removed) is
frozen while one of its sessions is live; text edits are not.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gateway.platform.errors import Conflict, InvalidInput, NotFound

TITLE_MAX = 255
DESCRIPTION_MAX = 5000
URL_MAX = 500
HINT_MAX = 1000
GUIDE_MAX = 2000
NAME_MAX = 255  # a package name or a view id
MAX_TASKS = 100  # per lecture
MAX_STEPS = 100  # per task
LIVE_STATUSES = ("IN_PROGRESS", "PAUSED", "REVIEW_MODE")  # learners are going through its steps
OPEN_STATUSES = ("WAITING", *LIVE_STATUSES)  # every status but ENDED
VIEWS = ("teaching", "available", "enrolled")


def as_id(raw: str | uuid.UUID, what: str) -> uuid.UUID:
    """A path's id; anything but a UUID names nothing (404)."""
    try:
        return raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
    except ValueError:
        raise NotFound(f"'{str(raw)[:64]}' is not a {what} id ({what} ids are UUIDs)") from None


def visible(instructor_id: uuid.UUID, is_active: bool, enrolled: bool, viewer_id: uuid.UUID) -> bool:
    """Its instructor always sees a lecture; anyone else while it is active, or once enrolled in it."""
    return instructor_id == viewer_id or is_active or enrolled


def default_view(instructor: bool) -> str:
    """What GET /api/lectures lists without `view`: an instructor's own lectures, anyone else's choice of them."""
    return "teaching" if instructor else "available"


def check_structure_open(live_sessions: int) -> None:
    if live_sessions:
        raise Conflict(
            "A session of this lecture is in progress, paused or in review: tasks and steps can be added, moved or "
            "removed once it ends (their texts can be edited now)."
        )


def check_deletable(open_sessions: int) -> None:
    if open_sessions:
        raise Conflict("This lecture has a session that has not ended: end it first (POST /api/sessions/{id}/end).")


def check_room(count: int, limit: int, what: str, parent: str) -> None:
    if count >= limit:
        raise Conflict(f"A {parent} holds at most {limit} {what}.")


def inserted(order: Sequence[uuid.UUID], new_id: uuid.UUID, wanted: int | None) -> list[uuid.UUID]:
    """The order with `new_id` at `wanted` (None or past the end: last)."""
    at = len(order) if wanted is None else min(max(wanted, 0), len(order))
    return [*order[:at], new_id, *order[at:]]


def moved(order: Sequence[uuid.UUID], item: uuid.UUID, wanted: int) -> list[uuid.UUID]:
    """The order with `item` moved to `wanted` (past the end: last)."""
    rest = [other for other in order if other != item]
    return inserted(rest, item, wanted)


def without(order: Sequence[uuid.UUID], item: uuid.UUID) -> list[uuid.UUID]:
    return [other for other in order if other != item]


def changed_positions(current: dict[uuid.UUID, int], order: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """{id: new position} for every item of `order` whose position is not already its index."""
    return {item: index for index, item in enumerate(order) if current.get(item) != index}


@dataclass
class Replacement:
    """What a whole new ordered list of steps does to a task's current ones."""

    kept: list[tuple[uuid.UUID, int, dict[str, Any]]] = field(default_factory=list)  # (id, position, fields)
    added: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (position, fields)
    removed: list[uuid.UUID] = field(default_factory=list)

    def structural(self, current: dict[uuid.UUID, int]) -> bool:
        """Whether steps are added, removed or moved (not only edited)."""
        return bool(self.added or self.removed) or any(current[ident] != at for ident, at, _ in self.kept)


def replacement(current: dict[uuid.UUID, int], items: Sequence[dict[str, Any]]) -> Replacement:
    """The plan for `items` (in order) becoming the task's steps: an item with the `id` of one of its steps keeps
    that step (edited and moved), one without is new, and a step no item names is removed."""
    plan, seen = Replacement(), set()
    for position, item in enumerate(items):
        fields = {name: value for name, value in item.items() if name != "id"}
        ident = item.get("id")
        if ident is None:
            plan.added.append((position, fields))
            continue
        if ident not in current:
            raise InvalidInput(f"{ident} is not a step of this task.", f"subtasks/{position}/id")
        if ident in seen:
            raise InvalidInput(f"{ident} is named twice in the list.", f"subtasks/{position}/id")
        seen.add(ident)
        plan.kept.append((ident, position, fields))
    plan.removed = [ident for ident in current if ident not in seen]
    return plan
