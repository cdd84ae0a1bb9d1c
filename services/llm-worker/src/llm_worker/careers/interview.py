"""The offline mock interview: five questions planned from the résumé and posting, each answer evaluated and
scored, and a final verdict per competence.

The plan is the same for the same résumé and posting, so step n always asks question n, whoever asked the
earlier ones.
"""

from typing import Any

from llm_worker.careers.analysis import Analysis
from llm_worker.careers.answers import evaluate
from llm_worker.careers.language import say
from llm_worker.careers.points import clip
from llm_worker.careers.resume import Entry

COMPETENCES = ("technical", "problem_solving", "collaboration", "motivation", "growth")
MAX_QUESTIONS = len(COMPETENCES)


def plan(analysis: Analysis) -> list[dict[str, str]]:
    """The interview's questions, one per competence, in the order they are asked."""
    resume, language = analysis.resume, analysis.resume.language
    items = sorted(resume.described, key=lambda entry: -len(entry.text))
    main = items[0].name if items else resume.title or "-"
    other = items[1].name if len(items) > 1 else main
    team = resume.experiences[0].name if resume.experiences else main
    skill = next((r.label for r in analysis.met if r.skill), None) or next(iter(resume.stacks), None)
    gap = next((r.label for r in analysis.missing if r.required), None)
    company = analysis.posting.company if analysis.posting and analysis.posting.company else None
    questions = {
        "technical": _ask(language, "technical", skill=skill, item=_using(items, skill) or main),
        "problem_solving": _ask(language, "problem_solving", item=other),
        "collaboration": _ask(language, "collaboration", item=team),
        "motivation": _ask(language, "motivation", company=company),
        "growth": _ask(language, "growth", skill=gap),
    }
    return [{"competence": say("competences", language, key), "question": questions[key]} for key in COMPETENCES]


def _ask(language: str, key: str, **values: str | None) -> str:
    """The question `key`, or its general form when it would name something the résumé does not give."""
    if any(value is None for value in values.values()):
        return clip(say("questions", language, f"{key}_general", **values), 1000)
    return clip(say("questions", language, key, **values), 1000)


def _using(items: list[Entry], skill: str | None) -> str | None:
    """The item whose description names `skill`."""
    wanted = (skill or "").lower()
    return next((entry.name for entry in items if wanted and wanted in entry.text.lower()), None)


def open_result(analysis: Analysis) -> dict[str, Any]:
    """INTERVIEW_OPEN: the first question."""
    return {"question": plan(analysis)[0]}


def answer_result(analysis: Analysis, turns: list[dict[str, Any]]) -> dict[str, Any]:
    """INTERVIEW_ANSWER: the last turn's answer evaluated, and the next question (none after the last)."""
    last = turns[-1] if turns else {}
    evaluation, score = evaluate(analysis, str(last.get("question") or ""), str(last.get("answer") or ""))
    questions = plan(analysis)
    following = questions[len(turns)] if 0 < len(turns) < MAX_QUESTIONS else None
    return {"evaluation": evaluation, "score": score, "next_question": following}


def finish_result(analysis: Analysis, turns: list[dict[str, Any]]) -> dict[str, Any]:
    """INTERVIEW_FINISH: the average score per competence, the total, and what to take away."""
    language = analysis.resume.language
    by_competence: dict[str, list[int]] = {}
    for turn in turns:
        competence = clip(str(turn.get("competence") or say("competences", language, "technical")), 40)
        by_competence.setdefault(competence, []).append(_score(analysis, turn))
    answered = [turn for turn in turns if str(turn.get("answer") or "").strip()]
    if not by_competence:
        by_competence = {say("competences", language, "technical"): [0]}
    scores = [{"competence": name, "score": round(sum(s) / len(s))} for name, s in by_competence.items()]
    all_scores = [score for values in by_competence.values() for score in values]
    total = round(sum(all_scores) / len(all_scores)) if answered else 0
    return {"total_score": total, "scores": scores[:20], "overall": _overall(language, scores, total, turns, answered)}


def _score(analysis: Analysis, turn: dict[str, Any]) -> int:
    """A turn's score: as evaluated, or evaluated now (an unanswered question scores 0)."""
    score = turn.get("score")
    if isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= 100:
        return score
    return evaluate(analysis, str(turn.get("question") or ""), str(turn.get("answer") or ""))[1]


def _overall(language: str, scores: list[dict], total: int, turns: list, answered: list) -> str:
    if not answered:
        return say("overall", language, "unanswered")
    ranked = sorted(scores, key=lambda item: -item["score"])
    best, worst = ranked[0], ranked[-1]
    parts = [say("overall", language, "summary", answered=len(answered), asked=len(turns), total=total)]
    parts.append(say("overall", language, "strongest", **best))
    if worst is not best and worst["score"] < best["score"]:
        parts.append(say("overall", language, "weakest", **worst))
    advice = "advice_high" if total >= 75 else "advice_mid" if total >= 50 else "advice_low"
    parts.append(say("overall", language, advice))
    return clip(" ".join(parts), 4000)
