"""The figures and section `make eval` writes to docs/benchmarks.md."""

import datetime

from bench.report import Figure
from eval.results import Group
from eval.score import FACT_KEPT, ITEM_MATCH


def _per_language(groups: list[Group], value) -> str:
    return " / ".join(f"{g.name} {value(g):.2f}" for g in groups if g.name != "all")


def figures(groups: list[Group], speed: dict[str, float], targets: dict, speed_target: float, provider: str):
    """The page's rows: each score per language against its target, and the job's CPU on a 1,000-word text."""
    languages = [g for g in groups if g.name != "all"]
    rows = []
    for key, what in (
        ("recall", "checklist recall"),
        ("precision", "checklist precision"),
        ("coverage", "summary coverage of key facts"),
    ):
        target = targets[key]
        met = all(getattr(g.score, key) >= target for g in languages)
        rows.append(
            Figure(
                f"GPT jobs, {provider} provider: {what} (per language)",
                f">= {target} each",
                _per_language(groups, lambda g, key=key: getattr(g.score, key)),
                met,
            )
        )
    if speed:
        today = " / ".join(f"{language} {ms:.1f} ms" for language, ms in speed.items())
        met = max(speed.values()) < speed_target
        rows.append(
            Figure("GPT jobs, local provider: CPU per job, 1,000-word text", f"< {speed_target:.0f} ms", today, met)
        )
    return rows


def _table(groups: list[Group]) -> str:
    head = (
        "| language | documents | words (mean) | checklist recall | precision | items in order | items / references "
        "| key facts kept | summary, share of text | CPU ms / document | wall ms / document |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    rows = [
        f"| {g.name} | {g.documents} | {g.words:.0f} | **{g.score.recall:.2f}** | **{g.score.precision:.2f}** "
        f"| {g.score.order:.2f} | {g.score.items} / {g.score.references} | **{g.score.coverage:.2f}** "
        f"| {g.summary_share:.0%} | {g.cpu_ms:.1f} | {g.wall_ms:.1f} |"
        for g in groups
    ]
    return "\n".join([head, *rows])


def section(
    args, provider, groups: list[Group], heldout: list[Group], speed: dict, machine: str, load_s: float = 0.0
) -> str:
    """The run's section: command, set, how items match, the per-language table, held-out texts, speed."""
    command = "make eval" if provider.name == "local" else "make eval-openai"
    parts = [
        f"## GPT jobs evaluation, `{provider.name}` provider ({provider.model}) (issue 21), "
        f"{datetime.date.today().isoformat()}",
        "",
        f"- Command: `{command}` (`python -m eval.run --provider {provider.name}`); "
        "`--show 5` prints the five weakest documents with what was missed and what was extra.",
        f"- Machine: {machine}",
        f"- Set: `eval/{args.set}/`, hand-written guidelines with reference checklists and key facts "
        "(eval/README.md). An item matches a reference when they share more than "
        f"{ITEM_MATCH:.0%} of their content terms (Dice) and it keeps the reference's numbers, paired one to one; "
        f"a key fact is kept when the summary holds {FACT_KEPT:.0%} of its terms and all its numbers.",
        "",
        _table(groups),
    ]
    if heldout:
        parts += [
            "",
            f"Held-out texts (`eval/{args.heldout}/`, written before the rules were tuned, never tuned on):",
            "",
            _table(heldout),
        ]
    if speed:
        parts += [
            "",
            "CPU of one job's chain (summary step, then checklist step) on a 1,000-word text made of the "
            "set's paragraphs, in a process of its own (`python -m eval.speed`), best of 15 rounds, each with "
            "the provider's caches emptied: "
            + ", ".join(f"{language} **{ms:.1f} ms**" for language, ms in speed.items())
            + f". The Korean analyser is loaded once per process before any timing ({load_s:.1f} s here). "
            "`make bench-micro` measures the whole worker path on the benchmark's short text.",
        ]
    return "\n".join(parts)
