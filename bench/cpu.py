"""CPU time: per component of the stack, read from /proc, to say where each job's milliseconds go; and of one call
in this process, best of several rounds (steadier than wall time on a shared VM)."""

import os
import time
from pathlib import Path

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def best_cpu_ms(run, per_round: int, rounds: int = 5, warmup: int = 0) -> float:
    """Best-of-`rounds` CPU milliseconds per call of `run` (called `per_round` times a round, after `warmup` calls)."""
    for _ in range(warmup):
        run()
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(per_round):
            run()
        best = min(best, (time.process_time() - start) * 1000 / per_round)
    return best


COMPONENTS = {
    "gateway (gunicorn)": "gunicorn",
    "outbox relay": "gateway.relay",
    "activity consumer": "activity_consumer",
    "llm-worker": "llm_worker",
    "PostgreSQL": "postgres",
    "RabbitMQ": "beam.smp",
    "Redis": "redis-server",
    "wrk (load generator)": "wrk",
}


def _processes() -> dict[int, tuple[str, int, int]]:
    """pid -> (command line, its own user+system ticks so far, those of its children that exited)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[int(entry.name)] = (cmdline, sum(int(f) for f in fields[11:13]), sum(int(f) for f in fields[13:15]))
    return found


def _other_database(cmdline: str, database: str | None) -> bool:
    """A PostgreSQL backend serving another database than the benchmark's (another session's work, not ours)."""
    if database is None or not cmdline.startswith("postgres: "):
        return False
    parts = cmdline.split()  # postgres: 15/main: <user> <database> <client> <state>; helpers have fewer words
    if parts[2:4] == ["autovacuum", "worker"]:
        return parts[-1] != database
    return len(parts) >= 5 and parts[3] != database


class CpuMeter:
    """Snapshot before, snapshot after: CPU seconds spent by each component in between.

    With `database`, PostgreSQL counts its shared processes (WAL writer, checkpointer, ...)
    and the backends serving that database, not other databases' backends.
    """

    def __init__(self, database: str | None = None):
        self._database = database

    def __enter__(self) -> "CpuMeter":
        self._before = _processes()
        return self

    def __exit__(self, *exc) -> None:
        after = _processes()
        self.seconds: dict[str, float] = dict.fromkeys(COMPONENTS, 0.0)
        for pid, (cmdline, own, children) in after.items():
            if _other_database(cmdline, self._database):
                continue
            # The postmaster's children are every session's backends: with a database, only live ones count.
            live_only = self._database and "bin/postgres" in cmdline
            _, own_before, children_before = self._before.get(pid, ("", 0, 0))
            ticks = own - own_before + (0 if live_only else children - children_before)
            for name, marker in COMPONENTS.items():
                if marker in cmdline:
                    self.seconds[name] += ticks / CLOCK_TICKS
                    break

    def per_job_ms(self, jobs: int) -> dict[str, float]:
        return {name: seconds * 1000 / jobs for name, seconds in self.seconds.items()}
