"""The four tasks a case can be about: how its input goes to a provider, and the view of the output its checks read.

A provider here is a pair: the careers one (résumé feedback, interview, study guide) and the classroom one (help
analysis). Every result is also checked against its JSON Schema, as the worker checks it before reporting.
"""

import dataclasses
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from eval.properties.checks import View
from llm_worker.careers.port import CareersRequest
from llm_worker.classroom.port import ClassroomRequest
from shared.messages import careers_results, classroom_results

NOW = "2024-06-01T09:00:00+00:00"
DIVISIONS = {"1": "strengths", "2": "must_fix", "3": "suggestions", "4": "further"}


@dataclasses.dataclass
class Providers:
    careers: Any
    classroom: Any
    name: str
    model: str


@dataclasses.dataclass
class Run:
    """What one case gave: the view, the schema problems of its results, and the providers' time."""

    view: View
    problems: list[str] = dataclasses.field(default_factory=list)
    cpu_ms: float = 0.0
    wall_ms: float = 0.0

    def ask(self, provider: Any, request: Any, schemas: Any, kind: str) -> dict[str, Any]:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            result = provider.answer(request).result
        except Exception as err:  # noqa: BLE001 - a provider's failure is the case's, not the run's
            self.problems.append(f"{kind}: {type(err).__name__}: {err}")
            return {}
        finally:
            self.cpu_ms += (time.process_time() - cpu) * 1000
            self.wall_ms += (time.perf_counter() - wall) * 1000
        self.problems += [f"{kind}: {problem}" for problem in schemas.problems(kind, result)]
        return result if isinstance(result, dict) else {}


@dataclasses.dataclass(frozen=True)
class Task:
    name: str
    folder: str  # under eval/
    title: str  # as the report names it
    fields: frozenset[str]
    run: Callable[[Providers, dict[str, Any]], Run]


def _careers(kind: str, given: dict[str, Any], **more: Any) -> CareersRequest:
    return CareersRequest(kind, given.get("resume"), given.get("posting"), given.get("feedback"),
                          requested_at=given.get("requested_at", NOW), **more)  # fmt: skip


def run_feedback(providers: Providers, given: dict[str, Any]) -> Run:
    run = Run({})
    result = run.ask(providers.careers, _careers("feedback", given), careers_results.RESULTS, "feedback")
    contents = [item for item in result.get("feedback_contents") or [] if isinstance(item, dict)]
    view: View = {name: [] for name in DIVISIONS.values()}
    for item in contents:
        view.setdefault(DIVISIONS.get(str(item.get("division")), "other"), []).append(str(item.get("result")))
    view["feedback"] = [str(item.get("result")) for item in contents]
    view["rate"] = result.get("matching_rate")
    run.view = view
    return run


def run_interview(providers: Providers, given: dict[str, Any]) -> Run:
    """Open, answer each of `answers` in turn (the turns as the gateway keeps them), then finish."""
    run = Run({})
    schemas = careers_results.RESULTS
    question = run.ask(providers.careers, _careers("interview.open", given), schemas, "interview.open").get("question")
    turns: list[dict[str, Any]] = []
    questions, evaluations, scores = [], [], []
    for number, answer in enumerate(given.get("answers") or [], 1):
        if not isinstance(question, dict):
            break
        questions.append(str(question.get("question")))
        turns.append(
            {
                "question_id": str(number),
                "competence": question.get("competence"),
                "question": question.get("question"),
                "answer": answer,
                "evaluation": None,
                "score": None,
            }
        )
        asked = _careers("interview.answer", given, turns=tuple(turns))
        result = run.ask(providers.careers, asked, schemas, "interview.answer")
        turns[-1] |= {"evaluation": result.get("evaluation"), "score": result.get("score")}
        evaluations.append(str(result.get("evaluation")))
        scores.append(result.get("score"))
        question = result.get("next_question")
    finish = run.ask(providers.careers, _careers("interview.finish", given, turns=tuple(turns)), schemas,
                     "interview.finish")  # fmt: skip
    scored = [item for item in finish.get("scores") or [] if isinstance(item, dict)]
    competences = [f"{item.get('competence')}: {item.get('score')}" for item in scored]
    run.view = {
        "questions": questions,
        "evaluations": evaluations,
        "scores": scores,
        "total": finish.get("total_score"),
        "competences": competences,
        "overall": finish.get("overall"),
    }
    return run


def run_study_guide(providers: Providers, given: dict[str, Any]) -> Run:
    run = Run({})
    result = run.ask(providers.careers, _careers("study_guide", given), careers_results.RESULTS, "study_guide")
    items = [item for item in result.get("items") or [] if isinstance(item, dict)]

    def said(item: dict) -> str:
        return " ".join([str(item.get("title")), str(item.get("content")), *map(str, item.get("keywords") or [])])

    view: View = {"title": result.get("title"), "description": result.get("description")}
    view["items"] = [said(item) for item in items]
    view["titles"] = [str(item.get("title")) for item in items]
    for priority in careers_results.PRIORITIES:
        view[f"priority_{priority}"] = [said(item) for item in items if item.get("priority") == priority]
    view["hours"] = sum(item.get("estimated_hours") or 0 for item in items)
    run.view = view
    return run


def activity(given: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The case's events with their times (`at`: seconds after `start`) and when help was asked (`asked_at`)."""
    start = datetime.fromisoformat(given.get("start", "2026-03-01T09:00:00+00:00"))
    events = []
    for event in given.get("recent_activity") or []:
        event = dict(event)
        if "at" in event:
            event["occurred_at"] = (start + timedelta(seconds=event.pop("at"))).isoformat()
        events.append(event)
    asked = given.get("asked_at")
    requested_at = (start + timedelta(seconds=asked)).isoformat() if asked is not None else start.isoformat()
    return events, requested_at


def run_help(providers: Providers, given: dict[str, Any]) -> Run:
    run = Run({})
    events, requested_at = activity(given)
    context = {"recent_activity": events, "error_message": given.get("error_message")}
    request = ClassroomRequest("help_analysis", given.get("step"), context, requested_at=requested_at)
    result = run.ask(providers.classroom, request, classroom_results.RESULTS, "help_analysis")
    run.view = {
        "diagnosis": result.get("problem_diagnosis"),
        "solution": list(result.get("step_by_step_solution") or []),
        "alternatives": list(result.get("alternative_approaches") or []),
        "confidence": result.get("confidence_score"),
        "difficulty": result.get("estimated_difficulty"),
    }
    return run


def _fields(*names: str) -> frozenset[str]:
    return frozenset(names)


TASKS = (
    Task("feedback", "careers/feedback", "résumé feedback",
         _fields(*DIVISIONS.values(), "feedback", "rate"), run_feedback),
    Task("interview", "careers/interview", "mock interview",
         _fields("questions", "evaluations", "scores", "total", "competences", "overall"), run_interview),
    Task("study_guide", "careers/study_guide", "study guide",
         _fields("title", "description", "items", "titles", "priority_1", "priority_2", "priority_3", "hours"),
         run_study_guide),
    Task("help", "classroom/help", "classroom help analysis",
         _fields("diagnosis", "solution", "alternatives", "confidence", "difficulty"), run_help),
)  # fmt: skip
