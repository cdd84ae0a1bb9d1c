"""CPU of one offline job on a 1,000-word text per language, in a process of its own as a worker has it.

Run by `make eval` as `python -m eval.speed`: a fresh process holds only the provider (and its one Korean
analyser, loaded before timing), so the figure is not moved by the harness's own analyser and data.
"""

import json
import sys
import time

from eval.dataset import LANGUAGES, Document, load

SPEED_WORDS = 1000


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


def job_cpu_ms(provider, text: str, rounds: int = 15) -> float:
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


def main() -> int:
    from llm_worker.providers.local import LocalProvider

    provider = LocalProvider()
    start = time.perf_counter()
    provider.prepare()
    loaded = time.perf_counter() - start
    documents = load(sys.argv[1] if len(sys.argv) > 1 else "guidelines")
    speed = {language: job_cpu_ms(provider, long_text(documents, language)) for language in LANGUAGES}
    print(json.dumps({"speed": speed, "analyser_load_s": loaded}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
