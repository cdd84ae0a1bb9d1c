"""A résumé rendered as Markdown (a feedback's `parent_content`), headings in the résumé's language."""

from llm_worker.careers.language import say
from llm_worker.careers.points import clip
from llm_worker.careers.resume import Entry, Resume, text_of

MAX_MARKDOWN = 50_000
DEGREES = {
    "en": {
        "1": "High school",
        "2": "Associate degree",
        "3": "Bachelor's degree",
        "4": "Master's degree",
        "5": "Doctorate",
    },
    "ko": {"1": "고졸", "2": "전문학사", "3": "학사", "4": "석사", "5": "박사"},
}  # the gateway's `degree` codes


def resume_markdown(resume: Resume) -> str:
    """The whole résumé, section by section (empty sections left out)."""
    language = resume.language
    lines = [f"# {resume.title or '-'}"]
    contact = " · ".join(text_of(resume.raw.get(name)) for name in ("name", "email", "phone", "address"))
    if contact.strip(" ·"):
        lines.append(" · ".join(part for part in contact.split(" · ") if part))
    if resume.self_introduction:
        lines += ["", f"## {say('headings', language, 'introduction')}", "", resume.self_introduction]
    for section in ("experiences", "projects", "activities", "educations"):
        entries = getattr(resume, section)
        if entries:
            lines += ["", f"## {say('headings', language, section)}"]
            lines += [line for entry in entries for line in _entry(entry, language)]
    if resume.qualifications:
        lines += ["", f"## {say('headings', language, 'qualifications')}", ""]
        lines += [_qualification(item) for item in resume.qualifications]
    if resume.stacks:
        lines += ["", f"## {say('headings', language, 'stacks')}", "", ", ".join(resume.stacks)]
    return clip("\n".join(lines) + "\n", MAX_MARKDOWN)


def _entry(entry: Entry, language: str) -> list[str]:
    heading = f"### {entry.title}" + (f" — {entry.place}" if entry.place else "")
    start = entry.start.isoformat() if entry.start else "?"
    end = entry.end.isoformat() if entry.end else (say("headings", language, "current") if entry.ongoing else "?")
    lines = ["", heading, f"*{start} ~ {end}*"]
    degree = DEGREES[language].get(text_of(entry.raw.get("degree_level")))
    score = text_of(entry.raw.get("score"))
    details = ", ".join(part for part in (degree, score) if part)
    if details:
        lines.append(details)
    if entry.text:
        lines += ["", entry.text]
    return lines


def _qualification(item: dict) -> str:
    parts = [text_of(item.get(name)) for name in ("title", "organ", "score", "acquisition_date")]
    return "- " + " · ".join(part for part in parts if part)
