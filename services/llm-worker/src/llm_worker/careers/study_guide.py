"""The offline study guide: what to learn, most urgent first.

Priority 1: what the posting requires and the résumé does not show (or a must-fix of the feedback names);
2: what it prefers (or a further recommendation names); 3: the rest (a suggestion of the feedback, deepening
a skill the posting asks for and the résumé has, telling results well).
"""

from typing import Any

from llm_worker.careers.analysis import Analysis
from llm_worker.careers.language import phrases, say
from llm_worker.careers.points import FURTHER, MUST_FIX, SUGGESTION, clip
from llm_worker.careers.posting import Requirement
from llm_worker.careers.resume import feedback_points
from llm_worker.careers.skills import Skill, find_skills

MAX_ITEMS, MAX_FEEDBACK_ITEMS, MAX_DEEPEN = 30, 3, 2
DIVISION_PRIORITY = {MUST_FIX: "1", FURTHER: "2", SUGGESTION: "3"}
DEFAULT_HOURS = 20


def study_guide_result(analysis: Analysis, feedback: dict[str, Any] | None) -> dict[str, Any]:
    """The STUDY_GUIDE result (shared.messages.careers_results)."""
    language = analysis.resume.language
    items = [_learn(analysis, r) for r in analysis.missing]
    covered = {r.label for r in analysis.missing}
    items += _from_feedback(language, feedback, covered)
    items += [_deepen(language, r) for r in analysis.met if r.required and r.skill][:MAX_DEEPEN]
    items.append(_item(say("study", language, "practice"), say("study", language, "practice_content"), [], "3", 6))
    items = sorted(items, key=lambda item: item["priority"])[:MAX_ITEMS]
    hours = sum(item["estimated_hours"] for item in items)
    return {
        "title": clip(_title(analysis), 100),
        "description": clip(say("study", language, "description", count=len(items), hours=hours), 1000),
        "items": items,
    }


def topics_of(skill: Skill, language: str) -> list[str]:
    """What to study first of `skill`, in `language` (phrases.toml's topics table; the English of skills.py else)."""
    translated = phrases().get("topics", {}).get(language, {}).get(skill.name)
    return [t.strip() for t in translated.split(";") if t.strip()] if translated else list(skill.topics)


def _title(analysis: Analysis) -> str:
    language, posting = analysis.resume.language, analysis.posting
    if posting and (posting.title or posting.company):
        return say("study", language, "title_posting", title=posting.title, company=posting.company).strip()
    return say("study", language, "title_general", name=analysis.resume.title or "-")


def _learn(analysis: Analysis, requirement: Requirement) -> dict[str, Any]:
    language, skill = analysis.resume.language, requirement.skill
    why = say("study", language, "why_required" if requirement.required else "why_preferred", skill=requirement.label)
    topics = topics_of(skill, language) if skill else list(requirement.terms)
    content = say("study", language, "learn_content", why=why, topics=", ".join(topics) or requirement.label)
    hours = skill.hours if skill else DEFAULT_HOURS
    priority = "1" if requirement.required else "2"
    return _item(
        say("study", language, "learn", skill=requirement.label), content, [requirement.label, *topics], priority, hours
    )


def _deepen(language: str, requirement: Requirement) -> dict[str, Any]:
    skill: Skill = requirement.skill
    topics = topics_of(skill, language)
    content = say("study", language, "deepen_content", skill=skill.name, topics=", ".join(topics))
    hours = max(1, skill.hours // 2)
    return _item(say("study", language, "deepen", skill=skill.name), content, [skill.name, *topics], "3", hours)


def _from_feedback(language: str, feedback: dict[str, Any] | None, covered: set[str]) -> list[dict[str, Any]]:
    """Items for the skills the feedback names (by its division's urgency), and a few of its other points."""
    items, other = [], []
    for division, text in feedback_points(feedback):
        if division not in DIVISION_PRIORITY:
            continue
        skills = [s for s in find_skills(text) if s.name not in covered]
        for skill in skills:
            covered.add(skill.name)
            items.append(_feedback_skill(language, skill, DIVISION_PRIORITY[division]))
        if not skills and len(other) < MAX_FEEDBACK_ITEMS:
            title = say("study", language, "fix", summary=clip(text, 60))
            other.append(_item(title, text, [], "3", 4))
    return items + other


def _feedback_skill(language: str, skill: Skill, priority: str) -> dict[str, Any]:
    why = say("study", language, "why_feedback")
    topics = topics_of(skill, language)
    content = say("study", language, "learn_content", why=why, topics=", ".join(topics) or skill.name)
    title = say("study", language, "learn", skill=skill.name)
    return _item(title, content, [skill.name, *topics], priority, skill.hours)


def _item(title: str, content: str, keywords: list[str], priority: str, hours: int) -> dict[str, Any]:
    unique = [clip(k, 50) for k in dict.fromkeys(k for k in keywords if k)][:10]
    return {
        "title": clip(title, 100),
        "content": clip(content, 1000),
        "keywords": unique,
        "priority": priority,
        "estimated_hours": max(1, min(500, hours)),
    }
