"""The chain's step record: what the memo stores and the reports carry."""

import dataclasses

from llm_worker.chain import StepRun, run_summary, total_usage
from llm_worker.providers.local import LocalProvider

TEXT = "All visitors must sign in at the front desk. Wear a badge at all times. Report incidents within an hour."


def test_a_step_run_as_a_dict_has_every_field_and_round_trips():
    run, fresh = run_summary(LocalProvider(), None, "job-1", TEXT)
    assert fresh
    assert run.to_dict() == dataclasses.asdict(run)  # a field added later cannot be left out
    assert StepRun(**run.to_dict()) == run


def test_total_usage_adds_the_steps():
    run, _ = run_summary(LocalProvider(), None, "job-1", TEXT)
    usage = total_usage(run, run)
    assert usage["prompt_tokens"] == 2 * run.usage["prompt_tokens"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]
