"""The writer of docs/benchmarks.md: a run replaces its own rows of the figures table and its own section.

The page opens with one table of today's figures, one row per measured figure,
each row naming the benchmark that measured it by a link to its section
(`[make bench-studio](#bench-studio)`). Each section sits between two markers
(`<!-- section: bench-studio -->` ... `<!-- /section: bench-studio -->`). A
new run of a benchmark takes out every row and the section of that benchmark
and puts its own in their place; everything else on the page is left as it
was. Earlier runs are in git.
"""

import argparse
import dataclasses
import datetime
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE_START, TABLE_END = "<!-- figures -->", "<!-- /figures -->"
TABLE_HEADER = (
    "| figure | target | today | met | measured by | date | machine |\n| --- | --- | --- | --- | --- | --- | --- |"
)
NEW_PAGE = f"""# Benchmarks

Today's figures against their targets; the sections below have each benchmark's latest run.

{TABLE_START}
{TABLE_HEADER}
{TABLE_END}
"""


@dataclasses.dataclass(frozen=True)
class Figure:
    """One measured figure: what, its target ("" if none), today's value, and whether the target is met."""

    what: str
    target: str
    today: str
    met: bool | None = None


def output_arguments(parser: argparse.ArgumentParser) -> None:
    """--output and --no-write, as every benchmark takes them."""
    parser.add_argument("--output", default=str(ROOT / "docs/benchmarks.md"))
    parser.add_argument("--no-write", action="store_true", help="print the figures only")


def publish(
    args: argparse.Namespace, benchmark: str, figures: list[Figure], section: str, machine: str, write: bool = True
) -> None:
    """Print a run's figures and section and, unless --no-write (or `write` is false), put them in --output."""
    rows = table_rows(benchmark, figures, machine, datetime.date.today())
    print("\n".join(rows) + "\n" + section)
    if write and not args.no_write:
        path = Path(args.output)
        page = path.read_text() if path.exists() else NEW_PAGE
        path.write_text(replace_run(page, benchmark, rows, section))


def table_rows(benchmark: str, figures: list[Figure], machine: str, day: datetime.date) -> list[str]:
    """The figures as rows of the page's table, each linking to the benchmark's section."""
    cores = re.match(r"(.*? cores \(.*?\))(?:, |$)", machine)  # "2 cores (Intel(R) Xeon(R) Processor), 23 GiB ..."
    short_machine = cores.group(1) if cores else machine.split(", ", 1)[0]
    met = {True: "yes", False: "**no**", None: ""}
    return [
        f"| {f.what} | {f.target} | {f.today} | {met[f.met]} | [`make {benchmark}`](#{benchmark}) "
        f"| {day.isoformat()} | {short_machine} |"
        for f in figures
    ]


def replace_run(page: str, benchmark: str, rows: list[str], section: str) -> str:
    """The page with `benchmark`'s rows and section replaced by these (added at the end where it had none)."""
    return _replace_section(_replace_rows(page, benchmark, rows), benchmark, section)


def _replace_rows(page: str, benchmark: str, rows: list[str]) -> str:
    if TABLE_START not in page:
        page = page.rstrip("\n") + f"\n\n{TABLE_START}\n{TABLE_HEADER}\n{TABLE_END}\n"
    head, rest = page.split(TABLE_START, 1)
    table, tail = rest.split(TABLE_END, 1)
    lines = table.strip("\n").split("\n")
    link = f"](#{benchmark})"
    owned = [i for i, line in enumerate(lines) if link in line]
    at = owned[0] if owned else len(lines)
    kept = [line for i, line in enumerate(lines) if i not in owned]
    lines = kept[:at] + rows + kept[at:]
    return head + TABLE_START + "\n" + "\n".join(lines) + "\n" + TABLE_END + tail


def _replace_section(page: str, benchmark: str, section: str) -> str:
    start, end = f"<!-- section: {benchmark} -->", f"<!-- /section: {benchmark} -->"
    block = f'{start}\n<a id="{benchmark}"></a>\n\n{section.strip()}\n\n{end}'
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(page):
        return pattern.sub(lambda _: block, page, count=1)
    return page.rstrip("\n") + "\n\n" + block + "\n"
