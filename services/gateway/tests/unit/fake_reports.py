"""Receipts and job reports in memory: the same methods as ReceiptStore and JobReportStore."""

import copy
import dataclasses

from gateway.jobs.reports_store import JobReportStore, JobRow
from gateway.platform.receipts_store import ReceiptStore


class FakeReceiptStore:
    port = ReceiptStore

    def __init__(self):
        self.answers: dict[str, dict | None] = {}

    def claim(self, webhook_id: str, source: str, now) -> bool:
        first = webhook_id not in self.answers
        self.answers.setdefault(webhook_id, None)
        return first

    def answer(self, webhook_id: str) -> dict:
        return self.answers[webhook_id] or {}

    def keep_answer(self, webhook_id: str, response: dict) -> None:
        self.answers[webhook_id] = response


class FakeJobReportStore:
    port = JobReportStore

    def __init__(self, jobs: list[JobRow] = ()):
        self.jobs = {job.id: job for job in jobs}
        self.told: list[tuple] = []
        self.writes = 0

    def lock_jobs(self, ids: set) -> dict:
        """Copies, as a read gives fresh rows: the rules change them in place, `write` keeps them."""
        found = {job_id: copy.deepcopy(self.jobs[job_id]) for job_id in ids if job_id in self.jobs}
        return {job_id: dataclasses.replace(job, recorded=len(job.steps)) for job_id, job in found.items()}

    def write(self, jobs: list[JobRow]) -> None:
        self.writes += 1
        for job in jobs:
            self.jobs[job.id] = dataclasses.replace(job, changed=False)

    def tell(self, owner_id, event_type: str, facts: dict, subject_id: str) -> None:
        self.told.append((owner_id, event_type, facts, subject_id))
