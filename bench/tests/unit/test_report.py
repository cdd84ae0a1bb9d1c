"""docs/benchmarks.md's writer: a run replaces its own rows and section and leaves everything else alone."""

import argparse
import datetime

from bench.report import Figure, publish, replace_run, table_rows

DAY = datetime.date(2026, 12, 6)
MACHINE = "2 cores (AMD EPYC), 23 GiB RAM, Linux 6.18, Python 3.11.7"
PAGE = """# Benchmarks

Intro written by hand.

<!-- figures -->
| figure | target | today | met | measured by | date | machine |
| --- | --- | --- | --- | --- | --- | --- |
| POST req/s | >= 1,000 | **1,495** | yes | [`make bench`](#bench) | 2026-12-05 | 2 cores (AMD EPYC) |
| POST p99 | <= 25 ms | 23.5 ms | yes | [`make bench`](#bench) | 2026-12-05 | 2 cores (AMD EPYC) |
| search p95 | < 30 ms | 25.4 ms | yes | [`make bench-studio`](#bench-studio) | 2026-12-05 | 2 cores (AMD EPYC) |
| fan-out p99 | < 250 ms | 18.2 ms | yes | [`make bench-notifier`](#bench-notifier) | 2026-11-22 | 2 cores (AMD EPYC) |
<!-- /figures -->

## How to measure on this noisy machine

Back to back, by hand.

<!-- section: bench -->
<a id="bench"></a>

## GPT jobs, 2026-12-05

the old make bench run

<!-- /section: bench -->

<!-- section: bench-studio -->
<a id="bench-studio"></a>

## Style studio reads, 2026-12-05

the studio run

<!-- /section: bench-studio -->
"""


def rows_of(page: str, benchmark: str) -> list[str]:
    return [line for line in page.splitlines() if f"](#{benchmark})" in line]


def test_a_run_replaces_its_own_rows_in_place_and_leaves_the_others_alone():
    figures = [Figure("POST req/s", ">= 1,000", "**1,501**", True), Figure("POST p99", "<= 25 ms", "26.0 ms", False)]
    new_rows = table_rows("bench", figures, MACHINE, DAY)

    page = replace_run(PAGE, "bench", new_rows, "## GPT jobs, 2026-12-06\n\nthe new run")

    assert rows_of(page, "bench") == new_rows
    assert rows_of(page, "bench-studio") == rows_of(PAGE, "bench-studio")
    assert rows_of(page, "bench-notifier") == rows_of(PAGE, "bench-notifier")
    table = page.split("<!-- figures -->")[1].split("<!-- /figures -->")[0].strip().splitlines()
    assert table[2:4] == new_rows  # where the old rows stood, before the other benchmarks'
    assert "1,495" not in page and "23.5 ms" not in page


def test_a_run_replaces_its_own_section_and_nothing_else():
    page = replace_run(PAGE, "bench", [], "## GPT jobs, 2026-12-06\n\nthe new run")

    assert "the old make bench run" not in page
    assert page.count("the new run") == 1 and page.count('<a id="bench"></a>') == 1
    assert page.index("the new run") < page.index("<!-- /section: bench -->") < page.index("the studio run")
    for untouched in ("Intro written by hand.", "Back to back, by hand.", "the studio run"):
        assert page.count(untouched) == 1


def test_a_second_run_leaves_one_copy():
    rows = table_rows("bench", [Figure("POST req/s", ">= 1,000", "1,400", True)], MACHINE, DAY)
    once = replace_run(PAGE, "bench", rows, "## GPT jobs\n\nrun A")
    twice = replace_run(once, "bench", rows, "## GPT jobs\n\nrun A")

    assert twice == once
    assert len(rows_of(twice, "bench")) == 1


def test_a_benchmark_new_to_the_page_is_added_at_the_end():
    rows = table_rows("bench-micro", [Figure("CPU per POST", "", "0.26 ms")], MACHINE, DAY)

    page = replace_run(PAGE, "bench-micro", rows, "## In-process CPU\n\nmicro run")

    table = page.split("<!-- figures -->")[1].split("<!-- /figures -->")[0].strip().splitlines()
    assert table[-1] == rows[0]
    assert page.rstrip().endswith("<!-- /section: bench-micro -->")
    before, after = PAGE.split("<!-- /figures -->")
    assert page.startswith(before.rstrip("\n")) and after.rstrip("\n") in page


def test_a_row_names_its_benchmark_date_and_short_machine():
    (row,) = table_rows("bench-studio", [Figure("search p95", "< 30 ms", "31.0 ms", False)], MACHINE, DAY)

    assert row == (
        "| search p95 | < 30 ms | 31.0 ms | **no** | [`make bench-studio`](#bench-studio) "
        "| 2026-12-06 | 2 cores (AMD EPYC) |"
    )


def test_publish_writes_the_page_unless_told_not_to(tmp_path, capsys):
    output = tmp_path / "benchmarks.md"
    figures = [Figure("fan-out p99", "< 250 ms", "18.0 ms", True)]

    publish(argparse.Namespace(output=str(output), no_write=True), "bench-notifier", figures, "## Push", MACHINE)
    assert not output.exists() and "18.0 ms" in capsys.readouterr().out

    publish(argparse.Namespace(output=str(output), no_write=False), "bench-notifier", figures, "## Push", MACHINE)
    publish(argparse.Namespace(output=str(output), no_write=False), "bench-notifier", figures, "## Push", MACHINE)
    assert len(rows_of(output.read_text(), "bench-notifier")) == 1
    assert output.read_text().count("## Push") == 1


def test_the_machine_column_keeps_the_cores_and_processor_only():
    intel = "2 cores (Intel(R) Xeon(R) Processor), 23 GiB RAM, Linux 6.18.44, Python 3.11.7"
    (row,) = table_rows("bench", [Figure("x", "", "1")], intel, DAY)

    assert row.endswith("| 2026-12-06 | 2 cores (Intel(R) Xeon(R) Processor) |")
