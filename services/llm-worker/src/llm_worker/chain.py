"""The GPT job chain: step 1 summarises the text, step 2 turns the summary into a checklist."""

import dataclasses
from datetime import UTC, datetime
from typing import Any

from llm_worker.memo import StepMemo, step_key
from llm_worker.providers.base import Checklist, LLMProvider, Summary, Usage


@dataclasses.dataclass(frozen=True)
class StepRun:
    """One step's output and timing, as stored in the memo and reported to the gateway."""

    name: str
    output: dict[str, Any]
    provider: str
    model: str
    usage: dict[str, int]
    started_at: str
    completed_at: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _step(name: str, started: str, result: Summary | Checklist, output: dict) -> dict[str, Any]:
    return StepRun(name, output, result.provider, result.model, result.usage.to_dict(), started, _now()).to_dict()


def run_summary(provider: LLMProvider, memo: StepMemo, job_id: str, text: str) -> tuple[StepRun, bool]:
    """Step 1, at most once per job and input."""

    def compute():
        started = _now()
        summary = provider.summarize(text)
        return _step("summary", started, summary, {"summary": summary.text})

    data, computed = memo.once(step_key(job_id, "summary", text), compute)
    return StepRun(**data), computed


def run_checklist(provider: LLMProvider, memo: StepMemo, job_id: str, summary: str) -> tuple[StepRun, bool]:
    """Step 2, at most once per job and summary."""

    def compute():
        started = _now()
        checklist = provider.make_checklist(summary)
        return _step("checklist", started, checklist, {"checklist": checklist.items})

    data, computed = memo.once(step_key(job_id, "checklist", summary), compute)
    return StepRun(**data), computed


def total_usage(*steps: StepRun) -> dict[str, int]:
    usage = Usage()
    for step in steps:
        usage = usage + Usage(step.usage["prompt_tokens"], step.usage["completion_tokens"])
    return usage.to_dict()
