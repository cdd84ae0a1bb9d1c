"""WORKER_NICE: the worker lowers its own CPU priority at start-up, and never tries to raise it back."""

import subprocess
import sys

import pytest

from llm_worker.settings import WorkerSettings

PROBE = """
import os, sys
from llm_worker.__main__ import lower_priority
os.setpriority(os.PRIO_PROCESS, 0, int(sys.argv[1]))
reported = lower_priority(int(sys.argv[2]))
print(reported, os.getpriority(os.PRIO_PROCESS, 0))
"""


def niceness_after(start: int, wanted: int) -> tuple[int, int]:
    """(what lower_priority reported, the niceness in force) in a child started at niceness `start`."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(start), str(wanted)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    reported, actual = map(int, out.stdout.split())
    return reported, actual


def test_the_worker_lowers_its_priority_to_the_configured_niceness():
    assert niceness_after(0, 10) == (10, 10)


def test_a_worker_started_lower_still_is_not_raised_back():
    # raising priority needs privileges a service should not have: a process already at 15 stays there
    assert niceness_after(15, 10) == (15, 15)


def test_zero_leaves_the_priority_alone():
    assert niceness_after(0, 0) == (0, 0)


def test_out_of_range_niceness_is_refused(monkeypatch):
    monkeypatch.setenv("JOBS_WEBHOOK_SECRET", "s")
    with pytest.raises(ValueError):
        WorkerSettings(_env_file=None, worker_nice=20)
    assert WorkerSettings(_env_file=None).worker_nice == 10
