"""A learner's app events as the analyses read them: one kind per event (tap, input, scroll, ...), its time, where.

Apps report Android accessibility types (VIEW_CLICKED, WINDOW_STATE_CHANGED, ...) or the platform's own (CLICK,
SCREEN_CHANGE, ...); both read the same here. Anything malformed is read as far as it goes, never refused: an
event without a usable time takes the one before it.
"""

import dataclasses
from datetime import UTC, datetime
from typing import Any

TAP, LONG_TAP, INPUT, SCROLL, SCREEN, BACK, HOME, FOCUS, OTHER = (
    "tap", "long_tap", "input", "scroll", "screen", "back", "home", "focus", "other",
)  # fmt: skip
KINDS = {
    TAP: ("CLICK", "VIEW_CLICKED", "TAP", "TOUCH", "BUTTON_CLICK", "SELECTION", "VIEW_SELECTED"),
    LONG_TAP: ("LONG_CLICK", "VIEW_LONG_CLICKED", "LONG_PRESS", "LONG_TAP"),
    INPUT: ("TEXT_INPUT", "INPUT", "VIEW_TEXT_CHANGED", "TYPE", "TEXT_CHANGED", "KEY_INPUT"),
    SCROLL: ("SCROLL", "VIEW_SCROLLED", "SWIPE", "FLING"),
    SCREEN: ("SCREEN_CHANGE", "WINDOW_CHANGE", "WINDOW_STATE_CHANGED", "NAVIGATE", "SCREEN_VIEW", "APP_OPEN"),
    BACK: ("BACK", "KEY_BACK", "BACK_PRESSED", "GLOBAL_ACTION_BACK", "NAVIGATE_BACK"),
    HOME: ("HOME", "KEY_HOME", "GLOBAL_ACTION_HOME"),
    FOCUS: ("FOCUS", "VIEW_FOCUSED", "VIEW_ACCESSIBILITY_FOCUSED"),
}
KIND_OF = {name: kind for kind, names in KINDS.items() for name in names}
ACTION_OF_KIND = {TAP: "CLICK", LONG_TAP: "LONG_CLICK", INPUT: "INPUT", SCROLL: "SCROLL", SCREEN: "NAVIGATE",
                  BACK: "BACK", HOME: "HOME", FOCUS: "FOCUS"}  # fmt: skip
MAX_FIELD = 200


@dataclasses.dataclass(frozen=True)
class Event:
    """One event, read: what kind, when (None if the app gave no usable time), on which screen and element."""

    kind: str
    event_type: str
    at: datetime | None
    screen: str | None
    element: str | None
    text: str | None
    package: str | None

    @property
    def where(self) -> str | None:
        return self.element or self.text

    @property
    def shown(self) -> str | None:
        """How to name the element to the learner: the text on it (what was typed, for an input, is not its name),
        else the last part of its view id ("com.kakao.talk:id/send" is "send")."""
        if self.text and self.kind != INPUT:
            return self.text
        return self.element.rsplit("/", 1)[-1] if self.element else self.text

    def action(self) -> str:
        return ACTION_OF_KIND.get(self.kind) or (self.event_type[:40] or "OTHER")


def read_events(raw: Any) -> list[Event]:
    """The events of a message, in the order given (the order they happened on the device)."""
    if not isinstance(raw, list):
        return []
    events, last_at = [], None
    for item in raw:
        if not isinstance(item, dict):
            continue
        event_type = _text(item.get("event_type")) or _text(item.get("type")) or ""
        at = parse_time(item.get("occurred_at") or item.get("timestamp") or item.get("time")) or last_at
        last_at = at or last_at
        data = item.get("data") if isinstance(item.get("data"), dict) else {}
        element = _text(item.get("element")) or _text(data.get("view_id")) or _text(data.get("content_description"))
        events.append(
            Event(
                kind=KIND_OF.get(event_type.upper(), OTHER),
                event_type=event_type.upper(),
                at=at,
                screen=_text(item.get("screen")) or _text(data.get("class_name")),
                element=element,
                text=_text(item.get("text")),
                package=_text(item.get("package")),
            )
        )
    return events


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time (naive ones taken as UTC) or epoch milliseconds; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def gap_ms(earlier: datetime | None, later: datetime | None) -> int:
    """Milliseconds from `earlier` to `later`; 0 when either is unknown or the clock went back."""
    if earlier is None or later is None:
        return 0
    return max(0, int((later - earlier).total_seconds() * 1000))


def meaningful(events: list[Event]) -> list[Event]:
    """The events a person did or saw (content redraws and unknown types left out)."""
    return [event for event in events if event.kind != OTHER]


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = " ".join(str(part) for part in value if isinstance(part, str | int | float))
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned[:MAX_FIELD] or None
