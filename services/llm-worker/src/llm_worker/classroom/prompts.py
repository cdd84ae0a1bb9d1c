"""What the `openai` provider asks for each classroom analysis; the response format (the result's JSON Schema) does
the rest. The answer is in the language of the step's guide (a recording's: of its screens and elements)."""

import json

from llm_worker.classroom.activity import meaningful, read_events
from llm_worker.classroom.language import detect_language
from llm_worker.classroom.port import ClassroomRequest

LANGUAGES = {"ko": "Korean", "en": "English"}
MAX_EVENTS_SENT = 400
COMMON = (
    "You help older adults who are learning to use a smartphone app, step by step in a class. Reply only with JSON "
    "matching the response schema, in {language}, in short, plain, encouraging sentences without jargon."
)
TASKS = {
    "help_analysis": (
        "A learner asked for help on the step below. From the step's target action and guide, and from what the "
        "learner just did (recent_activity, oldest first), find what went wrong: for example they tapped the "
        "wrong element several times, scrolled past the target, typed into the wrong field, pressed back "
        "repeatedly, stayed idle, or are in another app. problem_diagnosis: what happened and what the step "
        "needs, naming the elements and screens from the activity. step_by_step_solution: what to do now, one "
        "action per item, following the step's guide. alternative_approaches: other ways to the same result. "
        "confidence_score: 0-100, how much the activity supports the diagnosis (low when there is little). "
        "estimated_difficulty: EASY, MEDIUM or HARD for this learner."
    ),
    "recording_analysis": (
        "Below are the events of a recorded run of an app, in order. steps: what the user did, one item per "
        "action (CLICK, LONG_CLICK, INPUT, SCROLL, NAVIGATE for a screen change, BACK, HOME), consecutive inputs "
        "into one field or scrolls on one screen as one step, with its screen, element, started_at (the event's "
        "time) and duration_ms (until the next step). hesitations: where the user hesitated (pauses of five "
        "seconds or more, repeated taps on one element, back and forth between screens), with when, where, how "
        "long (waited_ms) and why. summary: the run in two or three sentences."
    ),
}


def messages(request: ClassroomRequest) -> list[dict[str, str]]:
    """The chat messages of one analysis."""
    system = COMMON.format(language=LANGUAGES[language_of(request)]) + " " + TASKS[request.kind]
    if request.kind == "help_analysis":
        facts = {"step": request.step, **request.context}
    else:
        facts = {"events": list(request.events)[:MAX_EVENTS_SENT]}
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(facts, ensure_ascii=False, default=str)},
    ]


def language_of(request: ClassroomRequest) -> str:
    """The step guide's language (for a recording: its screens' and elements')."""
    if request.kind == "help_analysis" and isinstance(request.step, dict):
        fields = ("guide_text", "title", "description", "target_element_hint")
        text = " ".join(value for name in fields if isinstance(value := request.step.get(name), str))
        if text.strip():
            return detect_language(text)
    events = meaningful(read_events(list(request.events) or request.context.get("recent_activity")))
    return detect_language(" ".join(e.where or e.screen or "" for e in events))
