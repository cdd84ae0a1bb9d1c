"""The evaluation sets: one YAML file per document (text, language, domain, reference checklist, key facts)."""

import dataclasses
from pathlib import Path

import yaml

SETS = Path(__file__).resolve().parent
LANGUAGES = ("en", "ko", "mixed")
MIN_WORDS, MAX_WORDS = 100, 2000


@dataclasses.dataclass(frozen=True)
class Document:
    """One guideline with what a good answer holds: its checklist items in order and the facts a summary keeps."""

    id: str
    language: str
    domain: str
    text: str
    checklist: tuple[str, ...]
    facts: tuple[str, ...]

    @property
    def words(self) -> int:
        return len(self.text.split())


def parse(data: dict, name: str) -> Document:
    """A document from one file's mapping; ValueError says what is wrong with it."""
    missing = {"id", "language", "domain", "text", "checklist", "facts"} - set(data)
    if missing:
        raise ValueError(f"{name}: missing {sorted(missing)}")
    document = Document(
        id=str(data["id"]),
        language=str(data["language"]),
        domain=str(data["domain"]),
        text=str(data["text"]).strip(),
        checklist=tuple(str(item) for item in data["checklist"]),
        facts=tuple(str(fact) for fact in data["facts"]),
    )
    if document.language not in LANGUAGES:
        raise ValueError(f"{name}: language must be one of {LANGUAGES}")
    if not MIN_WORDS <= document.words <= MAX_WORDS:
        raise ValueError(f"{name}: {document.words} words, not {MIN_WORDS} to {MAX_WORDS}")
    if not document.checklist or not document.facts:
        raise ValueError(f"{name}: a reference checklist and key facts are both needed")
    return document


def load(name: str) -> list[Document]:
    """Every document of a set (a folder beside this module), sorted by file name."""
    folder = SETS / name
    if not folder.is_dir():
        raise ValueError(f"no evaluation set {name!r} in {SETS}")
    return [
        parse(yaml.safe_load(path.read_text(encoding="utf-8")), path.name) for path in sorted(folder.glob("*.yaml"))
    ]
