"""The GPT job chain: step 1 summarises the text, step 2 makes the checklist from the text and its summary."""

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
        # Not dataclasses.asdict: it deep-copies every value, a fifth of a local job's CPU.
        return {
            "name": self.name,
            "output": self.output,
            "provider": self.provider,
            "model": self.model,
            "usage": self.usage,
            "started_at": self.started_at,
            "completed_at": self.completed_at,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _run_step(memo: StepMemo | None, job_id: str, name: str, step_input: str, call, output) -> tuple[StepRun, bool]:
    """Run `call()` at most once per job, step and input (with a memo); `output(result)` is what it produced."""

    def compute() -> dict[str, Any]:
        started = _now()
        result: Summary | Checklist = call()
        usage = result.usage.to_dict()
        return StepRun(name, output(result), result.provider, result.model, usage, started, _now()).to_dict()

    if memo is None:
        return StepRun(**compute()), True
    data, computed = memo.once(step_key(job_id, name, step_input), compute)
    return StepRun(**data), computed


def run_summary(provider: LLMProvider, memo: StepMemo | None, job_id: str, text: str) -> tuple[StepRun, bool]:
    """Step 1: summarise the text."""
    return _run_step(memo, job_id, "summary", text, lambda: provider.summarize(text), lambda r: {"summary": r.text})


def run_checklist(
    provider: LLMProvider, memo: StepMemo | None, job_id: str, summary: str, text: str
) -> tuple[StepRun, bool]:
    """Step 2: the checklist items of the whole text; the summary says what matters most."""
    step_input = f"{summary}\n\x00\n{text}"

    def call() -> Checklist:
        return provider.make_checklist(summary, text)

    return _run_step(memo, job_id, "checklist", step_input, call, lambda r: {"checklist": r.items})


def total_usage(*steps: StepRun) -> dict[str, int]:
    usage = Usage()
    for step in steps:
        usage = usage + Usage(step.usage["prompt_tokens"], step.usage["completion_tokens"])
    return usage.to_dict()
