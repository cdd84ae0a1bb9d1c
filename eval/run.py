"""`make eval`: a provider over the guideline set; checklist recall and precision, key-fact coverage, length, time.

Each document's text goes through the job chain as the worker runs it (summary, then a checklist from the text
with the summary beside it); the answers are scored against the hand-written references (eval/score.py). The
figures per language go to docs/benchmarks.md: `make eval` owns the rows and section of the offline provider,
`make eval-openai` those of the openai provider (it needs OPENAI_API_KEY).
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

from eval.dataset import Document, load
from eval.results import DocResult, by_language, worst
from eval.score import score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.report import output_arguments, publish  # noqa: E402

TARGETS = {"recall": 0.85, "precision": 0.85, "coverage": 0.8}
SPEED_TARGET_MS = 20.0


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


def measure_speed(set_name: str) -> tuple[dict[str, float], float]:
    """eval.speed in a process of its own: CPU ms per 1,000-word job per language, and the analyser's load time."""
    out = subprocess.run(
        [sys.executable, "-m", "eval.speed", set_name], cwd=ROOT, capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["speed"], data["analyser_load_s"]


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
    if args.provider == "local":
        provider.prepare()  # loaded once, as a worker does, so no document pays for it
    results = [run_document(provider, document) for document in documents]
    heldout = [run_document(provider, d) for d in load(args.heldout)] if args.heldout else []
    speed, load_s = measure_speed(args.set) if args.provider == "local" else ({}, 0.0)
    from eval.report import figures, section

    if args.show:
        print(worst(results, args.show))
    benchmark = "eval" if args.provider == "local" else "eval-openai"
    rows = figures(by_language(results), speed, TARGETS, SPEED_TARGET_MS, args.provider)
    text = section(args, provider, by_language(results), by_language(heldout), speed, machine(), load_s)
    publish(args, benchmark, rows, text, machine())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
