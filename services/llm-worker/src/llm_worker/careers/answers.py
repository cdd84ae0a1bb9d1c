"""An interview answer judged on what interviewers listen for: enough substance, a number in the result, the
STAR structure (situation, task, action, result), the question's own keywords, and what the candidate did."""

import re

from llm_worker.careers.analysis import Analysis
from llm_worker.careers.language import say
from llm_worker.careers.points import clip
from llm_worker.careers.skills import find_skills
from llm_worker.careers.writing import is_quantified

WORDS = {"en": (30, 350), "ko": (15, 250)}  # a short answer below, a rambling one above
WEIGHTS = {"length": 20, "numbers": 15, "star": 40, "keywords": 15, "first_person": 10}
OFF_TOPIC_MAX = 40  # an answer that names none of the skills the question asks about is weak however it is told
STAR = {
    "en": {
        "situation": r"\b(when|while|at my|in my (previous|last|current)|our team|the situation|we had|there was)\b",
        "task": r"\b(my (goal|job|task|role)|i (needed|had) to|the (goal|task|challenge)|we needed|responsible)\b",
        "action": r"\bi (\w+ed|built|led|wrote|ran|made|chose|set|took|did|found|began|drove|brought)\b",
        "result": r"(\bresult|\breduc|\bincreas|\bimprov|\bcut\b|\bsav|%|\bfaster\b|\bfewer\b|\bso that\b)",
    },
    "ko": {
        "situation": r"(당시|상황|때|프로젝트에서|팀에서|문제가)",
        "task": r"(목표|과제|해야|맡|요구)",
        "action": r"(제가|저는|직접|도입|구현|설계|분석|적용|제안|개발했)",
        "result": r"(결과|단축|감소|증가|개선|향상|줄였|늘렸|%)",
    },
}
FIRST_PERSON = {"en": r"\b(i|my|me)\b", "ko": r"(제가|저는|저의|직접)"}


def evaluate(analysis: Analysis, question: str, answer: str) -> tuple[str, int]:
    """(what the answer does well and what it lacks, in the résumé's language; a score out of 100)."""
    language = analysis.resume.language
    if not answer.strip():
        return say("evaluation", language, "empty"), 0
    lowered = answer.lower()
    words = len(answer.split())
    short, long = WORDS[language]
    found = [part for part, pattern in STAR[language].items() if re.search(pattern, lowered)]
    skills = _skills_asked(analysis, question)
    keywords = skills or _company_asked(analysis, question)
    hits = _hits(analysis, question, answer, keywords, bool(skills))
    first_person = bool(re.search(FIRST_PERSON[language], lowered))
    quantified = is_quantified(answer)
    score = (
        WEIGHTS["length"] * (min(words / short, 1.0) if words <= long else 0.75)
        + WEIGHTS["numbers"] * quantified
        + WEIGHTS["star"] * len(found) / len(STAR[language])
        + WEIGHTS["keywords"] * (bool(hits) if keywords else 1)
        + WEIGHTS["first_person"] * first_person
    )
    notes = [
        say(
            "evaluation", language, "short" if words < short else "long" if words > long else "good_length", words=words
        ),
        say("evaluation", language, "numbers" if quantified else "no_numbers"),
        _star_note(language, found),
        say("evaluation", language, "first_person" if first_person else "no_first_person"),
    ]
    if keywords:
        key = "keywords" if hits else "no_keywords"
        notes.insert(3, say("evaluation", language, key, keywords=", ".join(hits or keywords[:3])))
    if skills and not hits:
        score = min(score, OFF_TOPIC_MAX)
    score = max(0, min(100, round(score)))
    notes.append(say("evaluation", language, "score", score=score))
    return clip(" ".join(notes), 2000), score


def _skills_asked(analysis: Analysis, question: str) -> list[str]:
    """The skills the question names (the names of the résumé's items left out: the item a question is about is
    where to answer from, not what to answer about)."""
    names = {entry.name for entry in analysis.resume.dated} | {analysis.resume.title}
    for name in sorted(filter(None, names), key=len, reverse=True):
        question = question.replace(name, " ")
    return [skill.name for skill in find_skills(question)]


def _hits(analysis: Analysis, question: str, answer: str, keywords: list[str], about_skills: bool) -> list[str]:
    """What the answer says of what was asked: the keywords it names or, for a question about a skill, the skills
    it names that the item asked about also uses (Django for Python, Spring for Java)."""
    named = [skill.name for skill in find_skills(answer)]
    hits = [k for k in keywords if k.lower() in answer.lower() or k in named]
    if hits or not about_skills:
        return hits
    items = [entry for entry in analysis.resume.described if entry.name in question]
    used = {skill.name for entry in items for skill in find_skills(f"{entry.title} {entry.text}")}
    return [name for name in named if name in used]


def _company_asked(analysis: Analysis, question: str) -> list[str]:
    """The company, when the question asks about it (an answer may well say "you" instead)."""
    company = analysis.posting.company if analysis.posting else ""
    return [company] if company and company in question else []


def _star_note(language: str, found: list[str]) -> str:
    missing = [say("star", language, part) for part in STAR[language] if part not in found]
    if not missing:
        return say("evaluation", language, "star_full")
    return say("evaluation", language, "star_missing", parts=", ".join(missing))
