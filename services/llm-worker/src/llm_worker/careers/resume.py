"""A résumé (and a posting) as the commands carry them, read once into typed, forgiving views."""

import dataclasses
import functools
import re
from datetime import date, datetime
from typing import Any

from llm_worker.careers.language import detect_language
from llm_worker.careers.skills import find_skills, skill_named, tokens

DATED_SECTIONS = ("experiences", "projects", "activities", "educations")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?")


def text_of(value: Any) -> str:
    """A field's text, stripped; "" for anything that is not a string."""
    return value.strip() if isinstance(value, str) else ""


def parse_date(value: Any) -> date | None:
    """YYYY-MM-DD (or YYYY-MM, or the date part of a timestamp); None for anything else."""
    match = _DATE.match(text_of(value))
    if not match:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def today_of(requested_at: str) -> date:
    """The day the work was asked for: "now" for the analysis, so the same request gives the same answer."""
    try:
        return datetime.fromisoformat(requested_at.replace("Z", "+00:00")).date()
    except (AttributeError, ValueError):
        return date(2000, 1, 1)


@dataclasses.dataclass(frozen=True)
class Entry:
    """One dated item of a section: an experience, a project, an activity or an education."""

    section: str
    title: str  # job title, project or activity title, school
    place: str  # department (and position) or field of study
    text: str  # the description
    start: date | None
    end: date | None
    ongoing: bool
    raw: dict[str, Any]

    @property
    def name(self) -> str:
        """How a feedback point names the item."""
        return f"{self.title} ({self.place})" if self.place else self.title


@dataclasses.dataclass(frozen=True)
class Resume:
    """What the analysis reads of a résumé; `raw` keeps every field for the rewrite and the Markdown."""

    raw: dict[str, Any]
    title: str
    self_introduction: str
    experiences: tuple[Entry, ...]
    projects: tuple[Entry, ...]
    activities: tuple[Entry, ...]
    educations: tuple[Entry, ...]
    qualifications: tuple[dict[str, Any], ...]
    stacks: tuple[str, ...]
    language: str
    today: date

    @property
    def described(self) -> tuple[Entry, ...]:
        """The items whose descriptions say what the person did."""
        return self.experiences + self.projects + self.activities

    @property
    def dated(self) -> tuple[Entry, ...]:
        return self.experiences + self.projects + self.activities + self.educations

    @functools.cached_property
    def text(self) -> str:
        """Everything the résumé says, lower-cased: where skills and keywords are looked for."""
        parts = [self.title, self.self_introduction, *self.stacks]
        for entry in self.dated:
            parts += [entry.title, entry.place, entry.text]
        parts += [text_of(q.get("title")) for q in self.qualifications]
        return "\n".join(part for part in parts if part).lower()

    @functools.cached_property
    def words(self) -> frozenset[str]:
        return frozenset(tokens(self.text))

    @functools.cached_property
    def skills(self) -> frozenset[str]:
        """The known skills the résumé shows: its stack, and what its text names."""
        named = {skill.name for name in self.stacks if (skill := skill_named(name))}
        return frozenset(named | {skill.name for skill in find_skills(self.text)})


def _items(raw: dict[str, Any], section: str) -> list[dict[str, Any]]:
    items = raw.get(section)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _entry(section: str, item: dict[str, Any]) -> Entry:
    if section == "experiences":
        title, place = text_of(item.get("job_title")), _joined(item.get("department"), item.get("position"))
        text = text_of(item.get("job_description"))
    elif section == "educations":
        title, place, text = text_of(item.get("organ")), text_of(item.get("department")), ""
    else:
        title, place, text = text_of(item.get("title")), "", text_of(item.get("description"))
    end = parse_date(item.get("end_date"))
    ongoing = end is None and (section != "experiences" or item.get("employment_status") is not False)
    return Entry(section, title or "?", place, text, parse_date(item.get("start_date")), end, ongoing, item)


def _joined(*values: Any) -> str:
    return ", ".join(text for value in values if (text := text_of(value)))


def stack_names(raw: dict[str, Any]) -> tuple[str, ...]:
    """The technology stack's names, as {name} items or plain strings."""
    items = raw.get("technology_stacks")
    names = []
    for item in items if isinstance(items, list) else []:
        name = text_of(item.get("name")) if isinstance(item, dict) else text_of(item)
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return tuple(names)


def read_resume(raw: Any, requested_at: str = "", context: str = "") -> Resume:
    """The résumé view of a command's `resume` (an empty one for anything that is not an object); its language
    is the résumé's, or the `context`'s (a posting, a feedback) when the résumé says nothing."""
    raw = raw if isinstance(raw, dict) else {}
    sections = {section: tuple(_entry(section, item) for item in _items(raw, section)) for section in DATED_SECTIONS}
    intro = text_of(raw.get("self_introduction"))
    sample = " ".join([intro, *(entry.title + " " + entry.text for entries in sections.values() for entry in entries)])
    return Resume(
        raw=raw,
        title=text_of(raw.get("title")),
        self_introduction=intro,
        qualifications=tuple(_items(raw, "qualifications")),
        stacks=stack_names(raw),
        language=detect_language(sample.strip() or text_of(raw.get("title")) or context),
        today=today_of(requested_at),
        **sections,
    )


@dataclasses.dataclass(frozen=True)
class Posting:
    """A job posting: what it requires (`qualification`) and prefers (`prefer`)."""

    title: str
    company: str
    qualification: str
    prefer: str


def read_posting(raw: Any) -> Posting | None:
    """The posting view of a command's `posting`, or None without one."""
    if not isinstance(raw, dict):
        return None
    fields = ("title", "company", "qualification", "prefer")
    return Posting(*(text_of(raw.get(name)) for name in fields))


def feedback_points(feedback: Any) -> list[tuple[str, str]]:
    """(division, text) of each point of a command's `feedback` ({feedback_contents: [{division, result}]})."""
    contents = feedback.get("feedback_contents") if isinstance(feedback, dict) else None
    items = [item for item in contents if isinstance(item, dict)] if isinstance(contents, list) else []
    points = [(str(item.get("division")), text_of(item.get("result"))) for item in items]
    return [(division, text) for division, text in points if text]
