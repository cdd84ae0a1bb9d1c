"""How a résumé is written: empty or thin sections, results with and without numbers, weak verbs, and a
self-introduction too short or one long unbroken block."""

import re

from llm_worker.careers.points import MUST_FIX, STRENGTH, SUGGESTION, Point, clip
from llm_worker.careers.resume import Entry, Resume

THIN = {"ko": 20, "en": 40}  # characters: less than a sentence that says what was done and how
INTRO_SHORT = {"ko": 80, "en": 150}
INTRO_LONG = {"ko": 600, "en": 1000}
MAX_PRAISED, MAX_NAMED = 3, 5
MAX_QUOTE = 300  # a whole sentence of a résumé, so the number it ends on is quoted too
WEAK = {
    "en": (
        "responsible for", "worked on", "helped", "assisted", "participated in", "involved in", "tasked with",
        "duties included", "various",
    ),
    "ko": (
        "참여했", "참여하였", "보조", "도왔", "도움을", "노력했", "노력하였", "열심히", "다양한 업무", "관련 업무",
        "담당했",
    ),
}  # fmt: skip
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_NUMBER = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"(?:19|20)\d\d")
_STRUCTURE = re.compile(r"\n\s*\n|^\s*(?:[-*•]|\d+[.)]|#|\[|【)", re.MULTILINE)


def sentences(text: str) -> list[str]:
    return [part.strip(" -*•\t") for part in _SENTENCES.split(text) if part.strip(" -*•\t")]


def is_quantified(sentence: str) -> bool:
    """A sentence with a number that is not just a year: a result, a size, a share, a duration."""
    return any(not _YEAR.fullmatch(number.rstrip(".,")) for number in _NUMBER.findall(sentence))


def section_points(resume: Resume) -> list[Point]:
    """Sections that are missing, and items whose description is missing or thin."""
    points = []
    if not resume.experiences and not resume.projects:
        points.append(Point(MUST_FIX, "no_experience"))
    if not resume.stacks:
        points.append(Point(MUST_FIX, "no_stack"))
    if not resume.self_introduction:
        points.append(Point(MUST_FIX, "no_introduction"))
    if not (resume.raw.get("email") or resume.raw.get("phone")):
        points.append(Point(MUST_FIX, "no_contact"))
    if not resume.educations:
        points.append(Point(SUGGESTION, "no_education"))
    for entry in resume.described:
        if not entry.text:
            points.append(Point(MUST_FIX, "no_description", {"item": entry.name}))
        elif len(entry.text) < THIN[resume.language]:
            points.append(Point(MUST_FIX, "thin_description", {"item": entry.name, "length": len(entry.text)}))
    return points


def result_points(resume: Resume) -> list[Point]:
    """Quantified results praised (a few), and the items that give none."""
    praised, unquantified = [], []
    for entry in resume.described:
        if len(entry.text) < THIN[resume.language]:
            continue  # already a must-fix
        quantified = [s for s in sentences(entry.text) if is_quantified(s)]
        if quantified and len(praised) < MAX_PRAISED:
            praised.append(Point(STRENGTH, "quantified", {"item": entry.name, "quote": clip(quantified[0], MAX_QUOTE)}))
        elif not quantified and len(unquantified) < MAX_NAMED:
            unquantified.append(Point(SUGGESTION, "unquantified", {"item": entry.name}))
    return praised + unquantified


def weak_verb_points(resume: Resume) -> list[Point]:
    """The first weak phrase of each item that has one."""
    points = []
    for entry in resume.described:
        phrase = first_weak_phrase(entry, resume.language)
        if phrase and len(points) < MAX_NAMED:
            points.append(Point(SUGGESTION, "weak_verb", {"item": entry.name, "phrase": phrase}))
    return points


def first_weak_phrase(entry: Entry, language: str) -> str | None:
    lowered = entry.text.lower()
    found = [(lowered.find(phrase), phrase) for phrase in WEAK[language] if phrase in lowered]
    return min(found)[1] if found else None


def introduction_points(resume: Resume) -> list[Point]:
    """A self-introduction that says too little, or says a lot in one block."""
    intro, language = resume.self_introduction, resume.language
    if not intro:
        return []
    if len(intro) < INTRO_SHORT[language]:
        return [Point(SUGGESTION, "short_introduction", {"length": len(intro)})]
    if len(intro) > INTRO_LONG[language] and not _STRUCTURE.search(intro):
        return [Point(SUGGESTION, "unstructured_introduction", {"length": len(intro)})]
    return []
