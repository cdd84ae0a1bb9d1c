"""make bench-classroom-ws's arithmetic: a round is its last learner's receipt; missing, twice, out of order."""

import argparse
import json

from bench.classroom_ws import TARGET_P99_MS, figures, summarise

OCCURRED = "2026-12-07T00:00:00+00:00"
T0 = 1796601600.0  # OCCURRED as epoch seconds


def step_changed(step: str, seq: int) -> str:
    return json.dumps({"type": "step_changed", "seq": seq, "occurred_at": OCCURRED, "data": {"step": {"id": step}}})


def test_a_round_is_timed_to_its_last_learner_and_each_fault_is_counted():
    posted = {"s1": (T0, T0 + 0.05), "s2": (T0 + 1, T0 + 1.05)}
    receipts = [
        [(T0 + 0.10, step_changed("s1", 1)), (T0 + 1.10, step_changed("s2", 2))],
        [(T0 + 0.30, step_changed("s1", 1)), (T0 + 1.20, step_changed("s2", 2)), (T0 + 1.3, step_changed("s2", 2))],
        [(T0 + 0.20, step_changed("s1", 1))],  # never got s2
    ]
    r = summarise(argparse.Namespace(learners=3), {"receipts": receipts}, posted)
    assert (r["rounds"], r["missing"], r["doubles"], r["disorder"]) == (2, 1, 1, 1)
    assert round(r["max"]) == 300 and round(r["p50"]) == 250  # rounds: 300 ms (s1), 200 ms (s2)
    assert round(r["post_p50"]) == 50 and r["expected"] == 6


def test_the_target_is_judged_on_p99_with_everyone_joined_and_every_step_once():
    result = {"p99": TARGET_P99_MS - 1, "p50": 80.0, "joined": 500, "failed": 0, "missing": 0, "doubles": 0,
              "disorder": 0, "kib_per_connection": 34.2}  # fmt: skip
    met = figures(argparse.Namespace(learners=500), result)
    late = figures(argparse.Namespace(learners=500), result | {"p99": TARGET_P99_MS, "missing": 2})
    assert [f.met for f in met] == [True, True, True, None]
    assert [f.met for f in late] == [False, True, False, None]
    assert met[3].today == "34.2 KiB"
