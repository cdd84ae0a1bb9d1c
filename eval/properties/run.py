"""`make eval-careers`: the résumé feedback, interview, study guide and help analysis over their property sets.

Each case is a hand-written input with the properties its output must have (eval/careers/, eval/classroom/,
eval/properties/README.md). The offline providers always run; the `openai` ones too when OPENAI_API_KEY is set.
Prints, per task and language, properties held / total and time per case, and writes them to docs/benchmarks.md.
"""

import argparse
import os
import sys
from pathlib import Path

from eval.properties.cases import load
from eval.properties.results import Outcome, by_language, failures, outcome
from eval.properties.tasks import TASKS, Providers

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from bench.report import output_arguments, publish  # noqa: E402


def build(name: str) -> Providers:
    """The offline providers, or the openai ones from OPENAI_API_KEY (OPENAI_MODEL, OPENAI_BASE_URL)."""
    if name == "local":
        from llm_worker.careers.offline import OfflineCareersProvider
        from llm_worker.classroom.offline import OfflineClassroomProvider

        careers, classroom = OfflineCareersProvider(), OfflineClassroomProvider()
        return Providers(careers, classroom, "local", f"{careers.model}, {classroom.model}")
    from llm_worker.careers.openai_careers import OpenAICareersProvider
    from llm_worker.classroom.openai_classroom import OpenAIClassroomProvider

    key, model = os.environ["OPENAI_API_KEY"], os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
    base_url = os.environ.get("OPENAI_BASE_URL") or None
    return Providers(OpenAICareersProvider(key, model, base_url), OpenAIClassroomProvider(key, model, base_url),
                     "openai", model)  # fmt: skip


def evaluate(providers: Providers, tasks=TASKS) -> dict[str, list[Outcome]]:
    """Every case of every task through `providers`, judged."""
    return {
        task.name: [
            outcome(case, task.run(providers, case.input)) for case in load(task.folder, task.name, task.fields)
        ]
        for task in tasks
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--provider", choices=("local", "openai", "both"), default="both",
                        help="both: local, and openai when OPENAI_API_KEY is set")  # fmt: skip
    parser.add_argument("--task", action="append", choices=[t.name for t in TASKS], help="only these tasks")
    parser.add_argument("--show", action="store_true", help="print every property that did not hold")
    output_arguments(parser)
    args = parser.parse_args(argv)
    names = ["local", "openai"] if args.provider == "both" else [args.provider]
    if "openai" in names and not os.environ.get("OPENAI_API_KEY"):
        if args.provider == "openai":
            raise SystemExit("--provider openai needs OPENAI_API_KEY")
        names.remove("openai")
    tasks = [t for t in TASKS if not args.task or t.name in args.task]
    from eval.properties.report import figures, machine, section

    runs = []
    for name in names:
        providers = build(name)
        outcomes = evaluate(providers, tasks)
        sums = {task: by_language(task, found) for task, found in outcomes.items()}
        if args.show:
            print("\n".join(f"{name}: {line}" for found in outcomes.values() for line in failures(found)) or "all held")
        runs.append((providers, tasks, sums, outcomes))
    rows = [row for providers, tasks, sums, _ in runs for row in figures(providers, tasks, sums)]
    text = "\n\n".join(
        section(providers, tasks, sums, outcomes, machine()) for providers, tasks, sums, outcomes in runs
    )
    publish(args, "eval-careers", rows, text, machine(), write=not args.task)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
