"""What a learner's recent activity says about why they are stuck: one rule per kind of trouble, each a Finding.

A rule looks only at the events and the step's target; its weight is how strongly the events show it (confidence
points), its recovery the first thing to do about it, `harder` whether it makes the step harder to get right.
"""

import dataclasses
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from llm_worker.classroom.activity import BACK, INPUT, LONG_TAP, SCREEN, SCROLL, TAP, Event, gap_ms
from llm_worker.classroom.target import Target, quoted

IDLE_MS = 20_000
MAX_QUOTE = 80


@dataclasses.dataclass(frozen=True)
class Finding:
    key: str  # the phrase that says it (phrases.toml, help)
    weight: int
    values: dict[str, Any] = dataclasses.field(default_factory=dict)
    recovery: str | None = None  # the phrase of the first thing to do about it
    harder: bool = False


@dataclasses.dataclass(frozen=True)
class Situation:
    """The step's target, the learner's recent events (oldest first), when they asked, what the app said."""

    target: Target
    events: list[Event]
    requested_at: datetime | None
    error: str | None
    action: str  # the step's action, said in the learner's language
    label: str  # the target, said in the learner's language

    def identified(self) -> bool:
        """Whether the step says what its target looks like (else no tap can be called wrong)."""
        return bool(self.target.view_id or self.target.text or self.target.hint)

    def on_target(self, event: Event) -> bool:
        return self.target.matches(event)


def wrong_taps(s: Situation) -> Finding | None:
    """Taps on the same element that is not the target, again and again."""
    taps = [e for e in s.events if e.kind in (TAP, LONG_TAP) and e.where and not s.on_target(e)]
    if not taps:
        return None
    element, count = Counter(quote(e.shown) for e in taps).most_common(1)[0]
    if s.identified() and count >= 2:
        return Finding("wrong_taps", 15 + 5 * min(count, 5), {"element": element, "count": count, "action": s.action})
    if count >= 3:
        return Finding("repeated_taps", 10 + 3 * min(count, 5), {"element": element, "count": count}, "recover_wait")
    return None


def press_length(s: Situation) -> Finding | None:
    """A short tap where the step needs a long press, or the other way round."""
    if s.target.action == "LONG_CLICK":
        short = [e for e in s.events if e.kind == TAP and (s.on_target(e) or not s.identified())]
        if short:
            return Finding("too_short", 30, {"target": s.label}, "recover_long")
    if s.target.action == "CLICK" and any(e.kind == LONG_TAP and s.on_target(e) for e in s.events):
        return Finding("too_long", 25, {"target": s.label}, "recover_short")
    return None


def scrolling(s: Situation) -> Finding | None:
    """Scrolled past the target after it showed, scrolled on without finding it, or did not scroll at all."""
    scrolls = [i for i, e in enumerate(s.events) if e.kind == SCROLL]
    values = {"target": s.label, "count": len(scrolls)}
    if s.target.action == "SCROLL" and not scrolls and s.events:
        return Finding("not_scrolled", 15, values, "recover_scroll")
    if len(scrolls) < 3 or any(e.kind in (TAP, LONG_TAP) and s.on_target(e) for e in s.events):
        return None
    seen = next((i for i, e in enumerate(s.events) if s.on_target(e)), None)
    if seen is not None and sum(1 for i in scrolls if i > seen) >= 2:
        return Finding("scrolled_past", 30, values, "recover_scroll_back", harder=True)
    return Finding("scrolled_lost", 20, values, "recover_scroll")


def typing(s: Situation) -> Finding | None:
    """Typed into another field than the step's, or tapped the field and typed nothing."""
    if s.target.action != "INPUT":
        return None
    inputs = [e for e in s.events if e.kind == INPUT]
    wrong = [e for e in inputs if e.where and s.identified() and not s.on_target(e)]
    if wrong and not any(s.on_target(e) for e in inputs):
        return Finding(
            "wrong_field", 30, {"element": quote(wrong[-1].shown), "target": s.label}, "recover_keyboard", True
        )
    if not inputs and any(e.kind == TAP and s.on_target(e) for e in s.events):
        return Finding("no_typing", 20, {"target": s.label}, "recover_keyboard")
    return None


def going_back(s: Situation) -> Finding | None:
    """Pressed back again and again, or went back and forth between two screens."""
    backs = sum(1 for e in s.events if e.kind == BACK)
    home = next((e.screen for e in s.events if e.screen), None)
    recovery = "recover_back" if home else "recover_back_plain"
    if backs >= 2:
        return Finding("backs", 15 + 5 * min(backs, 4), {"count": backs, "screen": quote(home)}, recovery, True)
    screens = [e.screen for e in s.events if e.kind == SCREEN and e.screen]
    visits = [name for i, name in enumerate(screens) if i == 0 or name != screens[i - 1]]
    returns = sum(1 for i in range(2, len(visits)) if visits[i] == visits[i - 2])
    if returns >= 2:
        values = {"first": quote(visits[0]), "second": quote(visits[1]), "count": returns + 1, "screen": quote(home)}
        return Finding("ping_pong", 20, values, recovery, True)
    return None


def other_app(s: Situation) -> Finding | None:
    """The learner's last events are in another app than the step's."""
    package = next((e.package for e in reversed(s.events) if e.package), None)
    if s.target.package and package and package != s.target.package:
        values = {"package": package, "target_package": s.target.package}
        return Finding("wrong_app", 25, values, "recover_app", True)
    return None


def idleness(s: Situation) -> Finding | None:
    """Nothing happened for a while before the learner asked."""
    last = s.events[-1] if s.events else None
    waited = gap_ms(last.at if last else None, s.requested_at)
    if waited < IDLE_MS:
        return None
    seconds = waited // 1000
    values = {"seconds": seconds, "screen": quote(last.screen)}
    return Finding("idle" if last.screen else "idle_nowhere", 10 + min(10, seconds // 6), values)


def app_error(s: Situation) -> Finding | None:
    if not s.error:
        return None
    return Finding("error", 15, {"error": s.error[:300]}, "recover_error", True)


RULES: tuple[Callable[[Situation], Finding | None], ...] = (
    wrong_taps, press_length, scrolling, typing, going_back, other_app, idleness, app_error,
)  # fmt: skip


def findings(s: Situation) -> list[Finding]:
    """What the activity shows, strongest first; that the learner already did the step when nothing else shows."""
    found = sorted(filter(None, (rule(s) for rule in RULES)), key=lambda f: -f.weight)
    if not found and _did_it(s):
        found = [Finding("done_already", 10, {"action": s.action})]
    return found


def _did_it(s: Situation) -> bool:
    kinds = {"CLICK": TAP, "LONG_CLICK": LONG_TAP, "INPUT": INPUT, "SCROLL": SCROLL}
    kind = kinds.get(s.target.action)
    return s.identified() and any(e.kind == kind and s.on_target(e) for e in s.events)


def quote(name: str | None) -> str:
    return quoted(name[:MAX_QUOTE]) if name else ""
