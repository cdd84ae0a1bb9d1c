"""The `local` provider: an offline, deterministic extractive summariser and checklist builder (no model weights)."""

import re
from functools import lru_cache

from llm_worker.providers.base import Checklist, PermanentProviderError, Summary, Usage
from llm_worker.providers.checklist import actionable, build_checklist
from llm_worker.providers.extractive import pick, render
from llm_worker.providers.segment import Unit, split_units

_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")


def estimate_tokens(text: str) -> int:
    """Rough token count: 4/3 per ASCII word plus 1/2 per non-ASCII (e.g. Korean) character; at least 1 if any text."""
    # Korean syllables are 3 UTF-8 bytes and other non-ASCII at least 2: the byte surplus counts them without a loop.
    non_ascii = (len(text.encode("utf-8", "surrogatepass")) - len(text) + 1) // 2
    estimate = (len(_ASCII_WORD.findall(text)) * 4 + 2) // 3 + (non_ascii + 1) // 2
    return max(estimate, 1) if text.strip() else 0


@lru_cache(maxsize=8)
def analyse(text: str) -> tuple[list[Unit], list[tuple[int, str]]]:
    """A text's units and its actionable clauses, kept for the checklist step of the same job (no second pass)."""
    units = split_units(text)
    return units, actionable(units)


def clear_caches() -> None:
    """Forget every cached analysis (the analyser stays loaded): how a measurement sees a text never met before."""
    from llm_worker.providers import extractive, korean

    for cached in (analyse, korean._analysed_kind, korean._nominal_tail, extractive._term):
        cached.cache_clear()


class LocalProvider:
    """Extractive summary (central, obligation-bearing sentences) and a rule-based checklist, both deterministic."""

    name = "local"
    model = "extractive-v1"
    billable = False  # free and deterministic: recomputing on redelivery has no effect

    def __init__(self, max_summary_sentences: int = 12, max_items: int = 40):
        if max_summary_sentences < 1 or max_items < 1:
            raise ValueError("max_summary_sentences and max_items must be at least 1")
        self.max_summary_sentences = max_summary_sentences
        self.max_items = max_items

    def prepare(self) -> None:
        """Load the Korean analyser now (about 4 s of CPU) rather than in the first Korean job."""
        from llm_worker.providers.korean import analyser

        analyser()

    def summarize(self, text: str) -> Summary:
        """Step 1: the sentences (or clauses) that carry the most, shortened, in under half the words, in text order."""
        units, found = analyse(text)
        if not units:
            raise PermanentProviderError("local: nothing to summarise", code="empty_input")
        summary = render(pick(units, self.max_summary_sentences, {index for index, _ in found}))
        return Summary(summary, Usage(estimate_tokens(text), estimate_tokens(summary)), self.name, self.model)

    def make_checklist(self, summary: str, text: str | None = None) -> Checklist:
        """Step 2: one item per actionable clause of the text (of the summary if no text), in order, capped."""
        if not summary.strip():
            raise PermanentProviderError("local: empty summary", code="empty_input")
        source = text if text and text.strip() else summary
        units, found = analyse(source)
        items = build_checklist(units, found, summary, self.max_items)
        usage = Usage(estimate_tokens(source) + estimate_tokens(summary), estimate_tokens("\n".join(items)))
        return Checklist(items, usage, self.name, self.model)
