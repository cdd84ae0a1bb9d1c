"""Scores against hand-written references: checklist recall and precision, key-fact coverage of a summary.

An item matches a reference item when it carries the same action and object, judged on content terms
(eval/terms.py): the two share more than half of their terms (Dice coefficient 2|A∩B| / (|A|+|B|) > 0.5) and
the item keeps every number of the reference ("within 2 weeks" is not "within 4 weeks"). Items and references
are paired one to one, best pairs first, so one long item that merges two references counts once. A key fact
is kept by a summary when the summary holds at least 70% of the fact's terms and every number of the fact.
"""

import dataclasses

from eval.terms import numbers, terms

ITEM_MATCH = 0.5
FACT_KEPT = 0.7


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """2|A∩B| / (|A|+|B|): 1 for the same terms, 0 for none in common."""
    return 2 * len(a & b) / (len(a) + len(b)) if a or b else 0.0


def item_similarity(item: str, reference: str) -> float:
    """Dice of their terms, or 0 when the item lost a number of the reference."""
    if not numbers(reference) <= numbers(item):
        return 0.0
    return dice(terms(item), terms(reference))


def match(items: list[str], references: list[str]) -> list[tuple[int, int]]:
    """One-to-one (item, reference) pairs that match, the most similar first, as index pairs."""
    candidates = sorted(
        (
            (-similarity, i, j)
            for i, item in enumerate(items)
            for j, reference in enumerate(references)
            if (similarity := item_similarity(item, reference)) > ITEM_MATCH
        ),
    )
    used_items: set[int] = set()
    used_refs: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_items and j not in used_refs:
            used_items.add(i)
            used_refs.add(j)
            pairs.append((i, j))
    return sorted(pairs)


def in_order(pairs: list[tuple[int, int]]) -> int:
    """How many matched items are in the references' order (longest increasing run of reference indices)."""
    tails: list[int] = []
    for _, j in sorted(pairs):
        at = next((k for k, tail in enumerate(tails) if tail >= j), len(tails))
        tails[at : at + 1] = [j]
    return len(tails)


def fact_kept(fact: str, summary_terms: frozenset[str], summary_numbers: frozenset[str]) -> bool:
    """Whether a summary keeps a key fact: 70% of its terms and all of its numbers."""
    wanted = terms(fact)
    if not numbers(fact) <= summary_numbers or not wanted:
        return False
    return len(wanted & summary_terms) / len(wanted) >= FACT_KEPT


@dataclasses.dataclass
class Score:
    """Counts for one document or a sum of them; the rates are micro-averages over items and facts."""

    matched: int = 0
    items: int = 0
    references: int = 0
    ordered: int = 0
    facts_kept: int = 0
    facts: int = 0

    @property
    def recall(self) -> float:
        return self.matched / self.references if self.references else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.items if self.items else (1.0 if not self.references else 0.0)

    @property
    def coverage(self) -> float:
        return self.facts_kept / self.facts if self.facts else 1.0

    @property
    def order(self) -> float:
        return self.ordered / self.matched if self.matched else 1.0

    def __add__(self, other: "Score") -> "Score":
        return Score(*(a + b for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=True)))


def score(items: list[str], summary: str, references: list[str], facts: list[str]) -> Score:
    """One document's checklist and summary against its references."""
    pairs = match(items, references)
    summary_terms, summary_numbers = terms(summary), numbers(summary)
    kept = sum(fact_kept(fact, summary_terms, summary_numbers) for fact in facts)
    return Score(len(pairs), len(items), len(references), in_order(pairs), kept, len(facts))
