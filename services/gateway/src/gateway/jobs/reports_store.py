"""The SQL of job reports: a batch's jobs loaded and locked in one read, written back in one UPDATE and one INSERT."""

import dataclasses
import uuid
from datetime import datetime

import orjson

from gateway.notifications.events import publish_event
from gateway.platform.db import driver_connection

# Row-locked in id order, so concurrent batches cannot deadlock. The submitted text
# (up to 200 KiB a job) is never needed to apply a report.
LOCK_JOBS_SQL = """
SELECT j.id, j.owner_id, j.status, j.attempts, j.error, j.error_code, j.summary, j.checklist, j.provider,
       j.model, j.usage, j.started_at, j.completed_at, j.failed_at, j.last_event_at,
       ARRAY(SELECT s.name FROM job_steps s WHERE s.job_id = j.id ORDER BY s.position) AS step_names
FROM jobs j WHERE j.id = ANY(%(ids)s) ORDER BY j.id FOR UPDATE OF j
"""

UPDATE_JOBS_SQL = """
UPDATE jobs AS j SET status = v.status, attempts = v.attempts, error = v.error, error_code = v.error_code,
       summary = v.summary, checklist = v.checklist::jsonb, provider = v.provider, model = v.model,
       usage = v.usage::jsonb, updated_at = v.updated_at, started_at = v.started_at,
       completed_at = v.completed_at, failed_at = v.failed_at, last_event_at = v.last_event_at
FROM unnest(%(id)b::uuid[], %(status)b::text[], %(attempts)b::int[], %(error)b::text[], %(error_code)b::text[],
            %(summary)b::text[], %(checklist)b::text[], %(provider)b::text[], %(model)b::text[], %(usage)b::text[],
            %(updated_at)b::timestamptz[], %(started_at)b::timestamptz[], %(completed_at)b::timestamptz[],
            %(failed_at)b::timestamptz[], %(last_event_at)b::timestamptz[])
     AS v(id, status, attempts, error, error_code, summary, checklist, provider, model, usage, updated_at,
          started_at, completed_at, failed_at, last_event_at)
WHERE j.id = v.id
"""

INSERT_STEPS_SQL = """
INSERT INTO job_steps (job_id, name, position, status, provider, model, usage, started_at, completed_at)
SELECT v.job_id, v.name, v.position, v.status, v.provider, v.model, v.usage::jsonb, v.started_at, v.completed_at
FROM unnest(%(job_id)b::uuid[], %(name)b::text[], %(position)b::int[], %(status)b::text[], %(provider)b::text[],
            %(model)b::text[], %(usage)b::text[], %(started_at)b::timestamptz[], %(completed_at)b::timestamptz[])
     AS v(job_id, name, position, status, provider, model, usage, started_at, completed_at)
"""

JOB_COLUMNS = (
    "status",
    "attempts",
    "error",
    "error_code",
    "summary",
    "checklist",
    "provider",
    "model",
    "usage",
    "updated_at",
    "started_at",
    "completed_at",
    "failed_at",
    "last_event_at",
)
STEP_COLUMNS = ("name", "position", "status", "provider", "model", "usage", "started_at", "completed_at")
JSON_COLUMNS = frozenset({"checklist", "usage"})


@dataclasses.dataclass(slots=True)
class StepRow:
    """A step as the domain rules see it: a recorded one needs only its name."""

    name: str
    position: int | None = None
    status: str | None = None
    provider: str | None = None
    model: str | None = None
    usage: dict | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None


@dataclasses.dataclass(slots=True)
class JobRow:
    """The columns of a job that reports change, and its steps; `recorded` of them are in the table."""

    id: uuid.UUID
    owner_id: uuid.UUID | None
    status: str
    attempts: int
    error: str | None
    error_code: str | None
    summary: str | None
    checklist: list | None
    provider: str | None
    model: str | None
    usage: dict | None
    started_at: datetime | None
    completed_at: datetime | None
    failed_at: datetime | None
    last_event_at: datetime | None
    steps: list[StepRow]
    recorded: int = 0
    updated_at: datetime | None = None
    changed: bool = False


class JobReportStore:
    """Plain methods over jobs and job_steps for a batch of reports, on the unit of work's own connection."""

    def __init__(self, session):
        self._session = session

    def lock_jobs(self, ids: set) -> dict[uuid.UUID, JobRow]:
        """Load and row-lock the jobs, with the names of the steps each has recorded."""
        return _lock_jobs(self._connection(), ids)

    def write(self, jobs: list[JobRow]) -> None:
        """One UPDATE for the changed jobs, one INSERT for their new steps."""
        _write(self._connection(), jobs)

    def tell(self, owner_id: uuid.UUID, event_type: str, facts: dict, subject_id: str) -> None:
        publish_event(self._session, owner_id, event_type, facts, subject_id)

    def _connection(self):
        return driver_connection(self._session)


def _lock_jobs(conn, ids: set) -> dict[uuid.UUID, JobRow]:
    """Load and row-lock the jobs, with the names of the steps each has recorded."""
    ids.discard(None)
    if not ids:
        return {}
    jobs = {}
    for *columns, step_names in conn.execute(LOCK_JOBS_SQL, {"ids": list(ids)}, prepare=True):
        steps = [StepRow(name) for name in step_names]
        job = JobRow(*columns, steps=steps, recorded=len(steps))
        jobs[job.id] = job
    return jobs


def _write(conn, jobs: list[JobRow]) -> None:
    """One UPDATE for the changed jobs, one INSERT for their new steps."""
    if not jobs:
        return
    conn.execute(UPDATE_JOBS_SQL, _columns(jobs, "id", JOB_COLUMNS), prepare=True)
    new = [(job.id, step) for job in jobs for step in job.steps[job.recorded :]]
    if new:
        params = {"job_id": [job_id for job_id, _ in new], **_columns([step for _, step in new], None, STEP_COLUMNS)}
        conn.execute(INSERT_STEPS_SQL, params, prepare=True)


def _columns(rows: list, key: str | None, names: tuple[str, ...]) -> dict[str, list]:
    """Parameters for unnest(): one list per column; JSON columns as text, cast in SQL."""
    params = {key: [getattr(row, key) for row in rows]} if key else {}
    for name in names:
        values = [getattr(row, name) for row in rows]
        if name in JSON_COLUMNS:
            values = [None if v is None else orjson.dumps(v).decode() for v in values]
        params[name] = values
    return params
