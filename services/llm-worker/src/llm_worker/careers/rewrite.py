"""The offline rewrite: the same résumé, the same facts, made easier to act on.

Descriptions without a number get a prompt for one, weak phrases give way to what the person did, missing parts
become placeholders in [brackets] for the user to fill in, an unbroken self-introduction is split into
paragraphs, and skills the résumé already shows (of the posting's, or any it names) join the technology stack.
"""

import re
from datetime import date
from typing import Any

from llm_worker.careers.analysis import Analysis
from llm_worker.careers.language import say
from llm_worker.careers.points import clip
from llm_worker.careers.resume import Entry, Resume, parse_date, text_of
from llm_worker.careers.skills import find_skills, skill_named
from llm_worker.careers.writing import INTRO_LONG, INTRO_SHORT, THIN, is_quantified, sentences

STRONGER = {
    "en": {
        "responsible for": "owned",
        "worked on": "built",
        "participated in": "contributed to",
        "involved in": "contributed to",
        "helped": "supported",
        "assisted": "supported",
    },
    "ko": {"참여했": "기여했", "참여하였": "기여하였", "담당했": "맡아 수행했", "관련 업무를": "업무를"},
}
LIMITS = {"job_description": 1000, "description": 500, "self_introduction": 5000, "name": 100}
MAX_ITEMS = 50


def rewrite_result(analysis: Analysis) -> dict[str, Any]:
    """The REWRITE result (shared.messages.careers_results) of an analysis."""
    resume = analysis.resume
    projects = [_dated(e, resume, title="title", text="description") for e in resume.projects]
    experiences = [_experience(e, resume) for e in resume.experiences]
    if not experiences and not projects:
        projects = [_placeholder_project(resume)]
    return {
        "title": clip(say("rewrite", resume.language, "title", title=resume.title or "-"), 100),
        "self_introduction": _introduction(resume),
        "experiences": experiences[:MAX_ITEMS],
        "educations": [_education(e, resume) for e in resume.educations][:MAX_ITEMS],
        "projects": projects[:MAX_ITEMS],
        "activities": [_dated(e, resume, title="title", text="description") for e in resume.activities][:MAX_ITEMS],
        "qualifications": [q for item in resume.qualifications if (q := _qualification(item))][:MAX_ITEMS],
        "technology_stacks": [{"name": clip(name, LIMITS["name"])} for name in stack(analysis)][:MAX_ITEMS],
    }


def stack(analysis: Analysis) -> list[str]:
    """The résumé's stack, then the skills it shows elsewhere: the posting's it meets, or any it names."""
    names = list(analysis.resume.stacks)
    have = {skill.name for name in names if (skill := skill_named(name))} | {n.lower() for n in names}
    if analysis.posting is not None:
        shown = [r.shown(analysis.resume) for r in analysis.met]
    else:
        shown = [skill.name for skill in find_skills(analysis.resume.text)]
    return names + [name for name in dict.fromkeys(shown) if name not in have and name.lower() not in have]


def improved(text: str, resume: Resume, limit: int) -> str:
    """A description with stronger verbs, and a prompt for what it lacks (a number, or any substance)."""
    language = resume.language
    for weak, strong in STRONGER[language].items():
        text = re.sub(re.escape(weak), lambda m, s=strong: s.capitalize() if m[0][0].isupper() else s, text, flags=re.I)
    if len(text) < THIN[language]:
        prompt = say("rewrite", language, "describe")
    elif not any(is_quantified(s) for s in sentences(text)):
        prompt = say("rewrite", language, "add_number")
    else:
        return clip(text, limit)
    return _with(text, prompt, limit)


def _with(text: str, prompt: str, limit: int) -> str:
    """`text` followed by `prompt` on its own line, the text cut (never the prompt) to stay within `limit`."""
    room = limit - len(prompt) - 1
    return clip(text, room) + "\n" + prompt if text else prompt


def _dates(entry: Entry, resume: Resume) -> tuple[date, date | None, str | None]:
    """(start, end, a prompt about them): swapped when they are in the wrong order."""
    start, end = entry.start, entry.end
    if start is None:
        return end or resume.today, end, say("rewrite", resume.language, "check_start")
    if end is not None and end < start:
        return end, start, None
    return start, end, None


def _dated(entry: Entry, resume: Resume, title: str, text: str) -> dict[str, Any]:
    start, end, prompt = _dates(entry, resume)
    description = improved(entry.text, resume, LIMITS[text])
    return {
        title: clip(entry.title, LIMITS["name"]),
        text: _with(description, prompt, LIMITS[text]) if prompt else description,
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
    }


def _experience(entry: Entry, resume: Resume) -> dict[str, Any]:
    item = _dated(entry, resume, title="job_title", text="job_description")
    if entry.end is None and not entry.ongoing:
        item["job_description"] = _with(item["job_description"], say("rewrite", resume.language, "add_end"), 1000)
    return {
        **item,
        "department": _optional(entry.raw.get("department")),
        "position": _optional(entry.raw.get("position")),
        "employment_status": status
        if isinstance(status := entry.raw.get("employment_status"), bool)
        else entry.ongoing,
    }


def _education(entry: Entry, resume: Resume) -> dict[str, Any]:
    start, end, _ = _dates(entry, resume)
    degree = text_of(entry.raw.get("degree_level"))
    return {
        "organ": clip(entry.title, LIMITS["name"]),
        "department": _optional(entry.raw.get("department")),
        "degree_level": degree[:10] or None,
        "score": _optional(entry.raw.get("score"), 50),
        "start_date": start.isoformat(),
        "end_date": end.isoformat() if end else None,
    }


def _qualification(item: dict[str, Any]) -> dict[str, Any] | None:
    acquired, title = parse_date(item.get("acquisition_date")), text_of(item.get("title"))
    if acquired is None or not title:
        return None  # nothing to keep that the schema can hold
    return {
        "title": clip(title, LIMITS["name"]),
        "acquisition_date": acquired.isoformat(),
        "score": _optional(item.get("score"), 50),
        "organ": _optional(item.get("organ")),
    }


def _optional(value: Any, limit: int = 100) -> str | None:
    return clip(text_of(value), limit) or None


def _introduction(resume: Resume) -> str:
    intro, language = resume.self_introduction, resume.language
    if not intro:
        return say("rewrite", language, "introduction")
    if len(intro) > INTRO_LONG[language] and "\n" not in intro:
        parts = sentences(intro)
        intro = "\n\n".join(" ".join(parts[i : i + 3]) for i in range(0, len(parts), 3))
    elif len(intro) < INTRO_SHORT[language]:
        intro = _with(intro, say("rewrite", language, "expand_introduction"), LIMITS["self_introduction"])
    return clip(intro, LIMITS["self_introduction"])


def _placeholder_project(resume: Resume) -> dict[str, Any]:
    return {
        "title": say("rewrite", resume.language, "project_title"),
        "description": say("rewrite", resume.language, "project"),
        "start_date": resume.today.isoformat(),
        "end_date": None,
    }
