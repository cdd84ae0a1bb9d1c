"""`make eval`: a provider over the guideline set; checklist recall and precision, key-fact coverage, length, time.

Each document's text goes through the job chain as the worker runs it (summary, then a checklist from the text
with the summary beside it); the answers are scored against the hand-written references (eval/score.py). The
figures per language go to docs/benchmarks.md: `make eval` owns the rows and section of the offline provider,
`make eval-openai` those of the openai provider (it needs OPENAI_API_KEY).
"""

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

from eval.dataset import LANGUAGES, Document, load
from eval.results import DocResult, by_language, worst
from eval.score import score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.report import output_arguments, publish  # noqa: E402

TARGETS = {"recall": 0.85, "precision": 0.85, "coverage": 0.8}
SPEED_WORDS, SPEED_TARGET_MS = 1000, 20.0


def build_provider(name: str):
    """The offline provider, or openai from OPENAI_API_KEY (OPENAI_MODEL, OPENAI_BASE_URL as the worker reads them)."""
    if name == "local":
        from llm_worker.providers.local import LocalProvider

        return LocalProvider()
    key = os.environ.get("OPENAI_API_KEY")
    if not key:
        raise SystemExit("--provider openai needs OPENAI_API_KEY")
    from llm_worker.providers.openai_chat import OpenAIProvider

    model = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
    return OpenAIProvider(api_key=key, model=model, base_url=os.environ.get("OPENAI_BASE_URL") or None)


def run_document(provider, document: Document) -> DocResult:
    """One document through summary then checklist, timed (CPU and wall) and scored."""
    cpu, wall = time.process_time(), time.perf_counter()
    summary = provider.summarize(document.text).text
    items = provider.make_checklist(summary, document.text).items
    cpu_ms, wall_ms = (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000
    result = score(items, summary, list(document.checklist), list(document.facts))
    return DocResult(document, summary, items, result, cpu_ms, wall_ms)


def job_cpu_ms(provider, text: str, rounds: int = 7) -> float:
    """Best-of-`rounds` CPU milliseconds of one job's chain (summary step, then checklist step) on `text`, each round
    with every cache of the provider emptied first, as for a text it has never seen."""
    from llm_worker.chain import run_checklist, run_summary
    from llm_worker.providers.local import clear_caches

    best = float("inf")
    for _ in range(rounds):
        clear_caches()
        start = time.process_time()
        summary, _ = run_summary(provider, None, "eval", text)
        run_checklist(provider, None, "eval", summary.output["summary"], text)
        best = min(best, (time.process_time() - start) * 1000)
    return best


def long_text(documents: list[Document], language: str, words: int = SPEED_WORDS) -> str:
    """About `words` words of guideline text in one language: the set's texts one after another, cut at a paragraph."""
    paragraphs = [p for d in documents if d.language == language for p in d.text.split("\n\n")]
    chosen, count = [], 0
    for paragraph in paragraphs * 10:
        if count >= words:
            break
        chosen.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(chosen)


def machine() -> str:
    cpu = re.search(r"model name\s+:\s+(.*)", Path("/proc/cpuinfo").read_text())
    return f"{os.cpu_count()} cores ({cpu.group(1) if cpu else 'unknown CPU'}), Python {platform.python_version()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=("local", "openai"), default="local")
    parser.add_argument("--set", default="guidelines", help="the scored set (a folder of eval/)")
    parser.add_argument("--heldout", default="heldout", help="a second set reported beside it ('' for none)")
    parser.add_argument("--show", type=int, default=0, help="print the N worst documents with their answers")
    output_arguments(parser)
    args = parser.parse_args(argv)
    provider = build_provider(args.provider)
    documents = load(args.set)
    results = [run_document(provider, document) for document in documents]
    heldout = [run_document(provider, d) for d in load(args.heldout)] if args.heldout else []
    speed = {}
    if args.provider == "local":
        speed = {language: job_cpu_ms(provider, long_text(documents, language)) for language in LANGUAGES}
    from eval.report import figures, section

    if args.show:
        print(worst(results, args.show))
    benchmark = "eval" if args.provider == "local" else "eval-openai"
    rows = figures(by_language(results), speed, TARGETS, SPEED_TARGET_MS, args.provider)
    text = section(args, provider, by_language(results), by_language(heldout), speed, machine())
    publish(args, benchmark, rows, text, machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
