"""Per-document results and their sums per language."""

import dataclasses

from eval.dataset import LANGUAGES, Document
from eval.score import Score, match


@dataclasses.dataclass(frozen=True)
class DocResult:
    """A provider's answer for one document, its score and its time."""

    document: Document
    summary: str
    items: list[str]
    score: Score
    cpu_ms: float
    wall_ms: float

    @property
    def summary_share(self) -> float:
        """The summary's length as a share of the text's, in words."""
        return len(self.summary.split()) / self.document.words


@dataclasses.dataclass(frozen=True)
class Group:
    """The sum of a group of documents (one language, or all)."""

    name: str
    documents: int
    score: Score
    words: float
    summary_share: float
    cpu_ms: float
    wall_ms: float


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def group(name: str, results: list[DocResult]) -> Group:
    total = sum((r.score for r in results), Score())
    return Group(
        name,
        len(results),
        total,
        _mean([r.document.words for r in results]),
        _mean([r.summary_share for r in results]),
        _mean([r.cpu_ms for r in results]),
        _mean([r.wall_ms for r in results]),
    )


def by_language(results: list[DocResult]) -> list[Group]:
    """One group per language that has documents, then all of them."""
    groups = [group(language, [r for r in results if r.document.language == language]) for language in LANGUAGES]
    return [g for g in groups if g.documents] + ([group("all", results)] if results else [])


def worst(results: list[DocResult], count: int) -> str:
    """The `count` documents with the lowest recall + precision + coverage, with what was missed and what was extra."""
    ranked = sorted(results, key=lambda r: r.score.recall + r.score.precision + r.score.coverage)[:count]
    lines = []
    for r in ranked:
        s = r.score
        pairs = match(r.items, list(r.document.checklist))
        matched_items, matched_refs = {i for i, _ in pairs}, {j for _, j in pairs}
        lines.append(
            f"\n== {r.document.id}: recall {s.recall:.2f} precision {s.precision:.2f} "
            f"coverage {s.coverage:.2f} summary {r.summary_share:.0%}"
        )
        lines += [f"  missed: {ref}" for j, ref in enumerate(r.document.checklist) if j not in matched_refs]
        lines += [f"  extra:  {item}" for i, item in enumerate(r.items) if i not in matched_items]
        lines.append(f"  summary: {r.summary}")
    return "\n".join(lines)
