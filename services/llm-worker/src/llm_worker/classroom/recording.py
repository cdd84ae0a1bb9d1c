"""The offline analysis of a recording: the steps taken (taps, inputs, scrolls, screen changes, each with how long
until the next) and where the user hesitated (long pauses, repeated taps, back and forth between screens).

Consecutive inputs into one field are one step (its final text), consecutive scrolls on one screen one step.
A pause is long when it is at least PAUSE_MS and well above the recording's usual pace.
"""

import itertools
import statistics
from typing import Any

from llm_worker.classroom.activity import BACK, INPUT, SCREEN, SCROLL, TAP, Event, gap_ms, meaningful, read_events
from llm_worker.classroom.help_rules import quote
from llm_worker.classroom.language import detect_language, say

PAUSE_MS = 5_000
PACE_FACTOR = 3
MIN_PACE_GAPS = 5
REPEAT_WINDOW_MS = 5_000
MAX_STEPS = 1000
MAX_HESITATIONS = 200
EPOCH = "1970-01-01T00:00:00+00:00"


def analyse_recording(raw_events: Any) -> dict[str, Any]:
    """The recording_analysis result of a recording's events (in the order recorded)."""
    events = meaningful(read_events(raw_events))
    language = detect_language(" ".join(filter(None, (e.where or e.screen or "" for e in events))))
    steps = _steps(events)
    hesitations = sorted(_pauses(events, language) + _repeats(events, language), key=lambda h: h["at"])
    return {
        "summary": _summary(events, steps, hesitations, language),
        "steps": steps[:MAX_STEPS],
        "hesitations": hesitations[:MAX_HESITATIONS],
    }


def _steps(events: list[Event]) -> list[dict[str, Any]]:
    groups: list[list[Event]] = []
    for event in events:
        last = groups[-1][-1] if groups else None
        if last and event.kind == last.kind and event.kind in (INPUT, SCROLL) and _same_place(event, last):
            groups[-1].append(event)
        else:
            groups.append([event])
    steps = []
    for index, group in enumerate(groups):
        first = group[0]
        following = groups[index + 1][0] if index + 1 < len(groups) else group[-1]
        steps.append(
            {
                "action": first.action(),
                "screen": _cut(first.screen),
                "element": _cut(first.element if first.kind == INPUT else first.where),
                "started_at": _stamp(first),
                "duration_ms": gap_ms(first.at, following.at),
            }
        )
    return steps


def _pauses(events: list[Event], language: str) -> list[dict[str, Any]]:
    gaps = [gap_ms(a.at, b.at) for a, b in itertools.pairwise(events)]
    usual = statistics.median(gaps) if len(gaps) >= MIN_PACE_GAPS else 0  # a pace needs a few gaps to read
    threshold = max(PAUSE_MS, PACE_FACTOR * usual)
    found = []
    for event, waited in zip(events, gaps, strict=False):
        if waited >= threshold:
            reason = say("recording", language, "pause", seconds=round(waited / 1000, 1))
            found.append(_hesitation(event, waited, reason))
    return found


def _repeats(events: list[Event], language: str) -> list[dict[str, Any]]:
    """Runs of the same tap, of back presses, and screens visited back and forth."""
    found = []
    run: list[Event] = []
    for event in [*events, None]:
        if run and (event is None or not _repeats_run(run, event)):
            if len(run) >= (3 if run[0].kind == TAP else 2):
                key = "repeated_taps" if run[0].kind == TAP else "backs"
                reason = say("recording", language, key, element=quote(run[0].where), count=len(run))
                found.append(_hesitation(run[0], gap_ms(run[0].at, run[-1].at), reason))
            run = []
        if event is not None and event.kind in (TAP, BACK):
            run.append(event)
    return found + _back_and_forth(events, language)


def _back_and_forth(events: list[Event], language: str) -> list[dict[str, Any]]:
    visits = []
    for event in events:
        if event.kind == SCREEN and event.screen and (not visits or visits[-1].screen != event.screen):
            visits.append(event)
    found, i = [], 2
    while i < len(visits):
        if visits[i].screen == visits[i - 2].screen:
            start = i - 2
            while i + 1 < len(visits) and visits[i + 1].screen == visits[i - 1].screen:
                i += 1
            first, second = quote(visits[start].screen), quote(visits[start + 1].screen)
            values = {"first": first, "second": second, "count": i - start}
            reason = say("recording", language, "back_and_forth", **values)
            found.append(_hesitation(visits[start + 1], gap_ms(visits[start + 1].at, visits[i].at), reason))
        i += 1
    return found


def _repeats_run(run: list[Event], event: Event) -> bool:
    first = run[0]
    return (
        event.kind == first.kind
        and (event.kind == BACK or event.where == first.where)
        and gap_ms(run[-1].at, event.at) <= REPEAT_WINDOW_MS
    )


def _hesitation(event: Event, waited: int, reason: str) -> dict[str, Any]:
    return {"at": _stamp(event), "screen": _cut(event.screen), "waited_ms": waited, "reason": reason[:500]}


def _summary(events: list[Event], steps: list, hesitations: list, language: str) -> str:
    if not steps:
        return say("recording", language, "summary_empty")
    seconds = round(gap_ms(events[0].at, events[-1].at) / 1000)
    screens = len({e.screen for e in events if e.screen}) or 1
    said = [say("recording", language, "summary", steps=len(steps), seconds=seconds, screens=screens)]
    if hesitations:
        longest = max(hesitations, key=lambda h: h["waited_ms"])
        screen = quote(longest["screen"]) or say("recording", language, "unknown_screen")
        said.append(
            say(
                "recording",
                language,
                "summary_hesitations",
                count=len(hesitations),
                longest=round(longest["waited_ms"] / 1000, 1),
                screen=screen,
            )
        )
    else:
        said.append(say("recording", language, "summary_smooth"))
    return " ".join(said)[:2000]


def _same_place(a: Event, b: Event) -> bool:
    return a.screen == b.screen and (a.kind == SCROLL or a.element == b.element)


def _stamp(event: Event) -> str:
    return event.at.isoformat() if event.at else EPOCH


def _cut(value: str | None) -> str | None:
    return value[:255] if value else None
