"""The offline diagnosis of a help request: what the learner's recent activity shows against what the step asks,
how to get back on track (the findings' recoveries, then the step's own guide), other ways, how sure, how hard.

In the language of the step's guide (Korean or English). The confidence grows with the evidence: the findings'
weights and how much activity there was; with no activity at all it stays low and the advice is the guide's.
"""

import re
from typing import Any

from llm_worker.classroom.activity import meaningful, parse_time, read_events
from llm_worker.classroom.help_rules import Finding, Situation, findings
from llm_worker.classroom.language import detect_language, say
from llm_worker.classroom.target import Target, read_target

RECENT = 30
MAX_SHOWN = 3
MAX_STEPS = 20
MAX_ALTERNATIVES = 10
MAX_ITEM = 500
MAX_DIAGNOSIS = 2000
GUIDE_BREAK = re.compile(r"\n+|(?:^|\s)(?:\d{1,2}[.)]|[-•·▶※])\s+|(?<=[.!?。])\s+")
HANDLING = {"CLICK": 0, "NAVIGATE": 0, "BACK": 0, "HOME": 0, "WAIT": 0}  # the rest need a gesture or typing: 1
ALTERNATIVES = {
    "CLICK": ("alt_search", "alt_zoom"),
    "NAVIGATE": ("alt_search", "alt_zoom"),
    "LONG_CLICK": ("alt_long_press", "alt_zoom"),
    "SCROLL": ("alt_scroll", "alt_search"),
    "SWIPE": ("alt_scroll",),
    "INPUT": ("alt_voice_input", "alt_zoom"),
}


def diagnose(step: Any, context: Any, requested_at: str = "") -> dict[str, Any]:
    """The help_analysis result for a learner on `step` with `context` (recent_activity, error_message)."""
    context = context if isinstance(context, dict) else {}
    step = step if isinstance(step, dict) else {}
    events = meaningful(read_events(context.get("recent_activity")))[-RECENT:]
    error = _line(context.get("error_message"))
    target = read_target(step)
    language = detect_language(" ".join(_texts(step, error, events)))
    label = target.label() or say("help", language, "target_unknown")
    action = say("action", language, target.action, target=label)
    situation = Situation(target, events, parse_time(requested_at), error, action, label)
    found = findings(situation)
    return {
        "problem_diagnosis": _diagnosis(found, events, language, action),
        "step_by_step_solution": _solution(found, step, target, language, label),
        "alternative_approaches": _alternatives(found, step, target, language, label),
        "confidence_score": _confidence(found, events, step),
        "estimated_difficulty": _difficulty(found, target),
    }


def _diagnosis(found: list[Finding], events: list, language: str, action: str) -> str:
    said = [say("help", language, f.key, **f.values) for f in found[:MAX_SHOWN]]
    if not events:
        said.insert(0, say("help", language, "no_activity"))
    if not any("action" in f.values for f in found[:MAX_SHOWN]):
        said.append(say("help", language, "asks", action=action))
    return " ".join(said)[:MAX_DIAGNOSIS]


def _solution(found: list[Finding], step: dict, target: Target, language: str, label: str) -> list[str]:
    values = {"target": label, "target_package": target.package or "", "screen": ""}
    steps = []
    for finding in found:
        if finding.recovery:
            steps.append(say("help", language, finding.recovery, **(values | finding.values | {"target": label})))
    guide = _guide_steps(step)
    steps += guide or [say("do", language, target.action, target=label)]
    steps.append(say("help", language, "check"))
    return _unique(steps)[:MAX_STEPS]


def _alternatives(found: list[Finding], step: dict, target: Target, language: str, label: str) -> list[str]:
    keys = list(ALTERNATIVES.get(target.action, ()))
    voice = _line(step.get("voice_guide_text"))
    if any(f.key in ("error", "backs", "ping_pong", "wrong_app") for f in found):
        keys.append("alt_restart")
    said = [say("help", language, key, target=label) for key in keys]
    if voice and voice != _line(step.get("guide_text")):
        said.append(say("help", language, "alt_voice_guide", voice=voice[:300]))
    said.append(say("help", language, "alt_instructor"))
    return _unique(said)[:MAX_ALTERNATIVES]


def _confidence(found: list[Finding], events: list, step: dict) -> int:
    """Low with nothing to go on, higher with each piece of evidence; never certain."""
    if not events and not found:
        return 30 if _line(step.get("guide_text")) else 20
    evidence = sum(f.weight for f in found[:MAX_SHOWN]) + min(len(events), 10)
    return max(25, min(95, 35 + evidence))


def _difficulty(found: list[Finding], target: Target) -> str:
    """EASY: a plain tap with nothing in the way; each gesture, typing or trouble in the way makes it harder."""
    points = HANDLING.get(target.action, 1) + sum(1 for f in found if f.harder)
    return "EASY" if points == 0 else "MEDIUM" if points == 1 else "HARD"


def _guide_steps(step: dict) -> list[str]:
    """The step's guide cut into the things to do, one per sentence or numbered line."""
    guide = _text(step.get("guide_text")) or _text(step.get("voice_guide_text")) or _text(step.get("description"))
    if not guide:
        return []
    parts = (part.strip(" -•·▶※") for part in GUIDE_BREAK.split(guide) if part)
    return [part[:MAX_ITEM] for part in parts if part and any(ch.isalnum() for ch in part)]


def _texts(step: dict, error: str | None, events: list) -> list[str]:
    fields = ("guide_text", "voice_guide_text", "title", "description", "target_element_hint", "target_text")
    texts = [value for name in fields if isinstance(value := step.get(name), str)]
    return texts or [error or "", *(e.where or "" for e in events)]


def _unique(items: list[str]) -> list[str]:
    seen, kept = set(), []
    for item in items:
        item = item.strip()[:MAX_ITEM]
        if item and item not in seen:
            seen.add(item)
            kept.append(item)
    return kept


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _line(value: Any) -> str | None:
    return " ".join(value.split())[:1000] or None if isinstance(value, str) else None
