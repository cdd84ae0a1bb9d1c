"""How a mock interview moves: which question is current, what may be asked of it now, how a report applies.

An interview is a run of steps, each one RunInterviewStep the worker answers: `open` (the first question),
`answer` (evaluate the last answer, ask the next), `finish` (the overall evaluation). `step` numbers them;
`status` is the current step's, in the platform's vocabulary and forward only. A report names its step: one for
an older step than the interview's current one is stale, as is any report once its step has finished. A
completed result that does not match its action's schema fails the step (`invalid`), as a feedback's does.

After a failed step: an interview that never opened is over; a failed evaluation leaves its answer unevaluated
and the interview may be finished; a failed final evaluation may be asked for again.
"""

from datetime import datetime
from typing import Any

from gateway.careers.work_rules import FINAL, RUNNING, STALE, begin_step
from gateway.careers.work_rules import apply_event as apply_careers_event
from gateway.platform.errors import InvalidInput

ACTIONS = {"opening": "open", "answering": "answer", "finishing": "finish"}  # the step a phase waits on
ANSWER_MAX = 5000


def current_question(interview) -> Any | None:
    """The turn waiting for an answer: the last one, unanswered, once the step that asked it is done."""
    if interview.phase != "answering" or interview.status != "completed" or not interview.turns:
        return None
    last = interview.turns[-1]
    return last if last.answer is None else None


def turn_of(interview, question_id) -> Any:
    """The turn that asked `question_id`; InvalidInput when this interview asked no such question."""
    turn = next((turn for turn in interview.turns if turn.id == question_id), None)
    if turn is None:
        raise InvalidInput(f"This interview asked no question {question_id}.", "question_id")
    return turn


def answer_conflict(interview, turn) -> str | None:
    """Why `turn` (one of the interview's) cannot be answered now (a 409), or None."""
    if interview.phase in ("finishing", "finished"):
        return "The interview is finished: it takes no more answers."
    if interview.status in RUNNING:
        return "A step of the interview is still running: wait for it to finish."
    if turn.answer is not None:
        return "This question was already answered."
    if current_question(interview) is not turn:
        return "This is not the current question."
    return None


def finish_conflict(interview) -> str | None:
    """Why the interview cannot be finished now (a 409), or None. A failed final evaluation may be asked again."""
    if interview.phase == "finished":
        return "The interview is already finished."
    if interview.status in RUNNING:
        return "A step of the interview is still running: wait for it to finish."
    if interview.phase == "opening":
        return "The interview never started: no question was asked."
    if not any(turn.answer is not None for turn in interview.turns):
        return "Answer at least one question before finishing."
    return None


def answer(interview, turn, text: str, now: datetime) -> None:
    """Record the answer to the current question and begin the step that evaluates it."""
    turn.answer, turn.answered_at = text, now
    begin_step(interview, now)


def finish(interview, now: datetime) -> None:
    """Begin the final evaluation."""
    interview.phase = "finishing"
    begin_step(interview, now)


def apply_event(interview, event, now: datetime, add_turn) -> str:
    """Apply a worker's report to `interview` in place: applied, stale or invalid (work_rules.apply_event).

    A report for another step than the current one is stale. `add_turn(**fields)` appends a turn.
    """
    if event.step != interview.step or interview.status in FINAL:
        return STALE
    kind = f"interview.{ACTIONS[interview.phase]}"

    def keep(result: dict) -> list[str]:
        _KEEP[kind](interview, result, event.occurred_at, add_turn)
        return []

    return apply_careers_event(interview, event, now, kind, keep)


def _opened(interview, result: dict, at: datetime, add_turn) -> None:
    _ask(interview, result["question"], at, add_turn)
    interview.phase = "answering"


def _evaluated(interview, result: dict, at: datetime, add_turn) -> None:
    turn = interview.turns[-1]  # the answer this step evaluates: a next question is appended only now
    turn.evaluation, turn.score = result["evaluation"], result["score"]
    if result["next_question"] is not None:
        _ask(interview, result["next_question"], at, add_turn)


def _finished(interview, result: dict, at: datetime, _add_turn) -> None:
    interview.total_score, interview.overall = result["total_score"], result["overall"]
    interview.scores = [{"competence": s["competence"], "score": s["score"]} for s in result["scores"]]
    interview.phase, interview.finished_at = "finished", at


def _ask(interview, question: dict, at: datetime, add_turn) -> None:
    add_turn(
        position=len(interview.turns) + 1, competence=question["competence"], question=question["question"], asked_at=at
    )


_KEEP = {"interview.open": _opened, "interview.answer": _evaluated, "interview.finish": _finished}
