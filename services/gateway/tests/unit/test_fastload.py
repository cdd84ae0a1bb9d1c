"""The compiled loader of job report batches answers exactly what marshmallow answers, or leaves it to marshmallow."""

import copy
import random
import uuid

import marshmallow as ma
import pytest

from gateway.fastpaths.load import compile_loader, run
from gateway.webhooks.jobs import COMPILED_JOB_BATCH, JOB_EVENT_BATCH, JobEventSchema, load_job_batch

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("fast_paths_on")]  # whatever FAST_PATHS says

NOW = "2026-12-05T07:00:00.123456+00:00"
STEP = {
    "step": "summary",
    "provider": "local",
    "model": "extractive-v1",
    "usage": {"prompt_tokens": 50, "completion_tokens": 30, "total_tokens": 80},
    "started_at": NOW,
    "completed_at": "2026-12-05T07:00:01Z",
}
DATA = {
    "job.processing": {"worker": "llm-worker@host"},
    "job.step_completed": {**STEP, "summary": "Sign in at the front desk."},
    "job.retrying": {"reason": "provider timed out", "code": "timeout", "next_attempt": 2, "delay_ms": 1000},
    "job.completed": {
        "summary": "Sign in at the front desk. Never prop open fire doors.",
        "checklist": ["Sign in at the front desk", "Never prop open fire doors"],
        "provider": "local",
        "model": "extractive-v1",
        "usage": {"prompt_tokens": 100, "completion_tokens": 60, "total_tokens": 160},
        "steps": [STEP, {**STEP, "step": "checklist", "usage": {"prompt_tokens": 7}}],
    },
    "job.failed": {"reason": "poison message", "code": "invalid_input"},
}


def event(kind: str, **changes) -> dict:
    job_id = str(uuid.UUID(int=hash(kind) % 2**128))
    body = {"version": 1, "id": f"{job_id}:1:{kind}", "type": kind, "job_id": job_id, "occurred_at": NOW}
    return {**body, "attempt": 1, "data": copy.deepcopy(DATA[kind]), **changes}


def outcome(load, payload):
    try:
        return "loaded", load(payload)
    except ma.ValidationError as exc:
        return "refused", exc.messages


WELL_FORMED = [
    {"events": [event(kind) for kind in DATA]},
    {"events": [event("job.completed", version=1, attempt=3)]},
    {"events": [{k: v for k, v in event("job.processing").items() if k not in ("version", "attempt", "data")}]},
    {"events": [event("job.completed", data={**DATA["job.completed"], "extra": "dropped: data is EXCLUDE"})]},
    {"events": [event("job.completed", data={k: v for k, v in DATA["job.completed"].items() if k != "steps"})]},
    {"events": [event("job.step_completed", occurred_at="2026-12-05T16:00:00+09:00")]},
]


@pytest.mark.parametrize("payload", WELL_FORMED)
def test_well_formed_batches_load_fast_and_as_marshmallow_loads_them(payload):
    fast = run(COMPILED_JOB_BATCH, payload)
    assert fast is not None, "the compiled loader must take the batches the worker sends"
    assert fast == JOB_EVENT_BATCH.load(copy.deepcopy(payload))


ODD_VALUES = [
    None,
    True,
    0,
    -1,
    2,
    1.0,
    1.5,
    "",
    "1",
    "x" * 200,
    "2026-12-05",
    "2026-12-05T07:00:00",
    NOW,
    [],
    {},
    ["a"],
    [1],
    {"k": "v"},
    "not-a-uuid",
    str(uuid.uuid4()),
    "summary",
    "job.failed",
    "a\u202eb",  # what a Line or a Text refuses: both loaders must
    "a\x07b",
    "tab\there\nline",  # a Text takes it, a Line does not
    2**31,  # past the INT32 and COUNT ranges
    10**30,
    1e30,
]


def mutations(seed: int, count: int):
    """Well-formed batches with one value replaced, one key dropped or one key added, anywhere in them."""
    rng = random.Random(seed)
    for _ in range(count):
        payload = copy.deepcopy(rng.choice(WELL_FORMED))
        node = payload
        while True:  # walk down to a random dict or list
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
            key, child = rng.choice(children) if children else (None, None)
            if isinstance(child, (dict, list)) and child and rng.random() < 0.7:
                node = child
                continue
            break
        action = rng.choice(["replace", "drop", "add"])
        if key is None or (action == "add" and isinstance(node, dict)):
            if isinstance(node, dict):
                node[rng.choice(["unknown", "usage", "summary", "attempt", "reason"])] = rng.choice(ODD_VALUES)
            else:
                node.append(rng.choice(ODD_VALUES))
        elif action == "drop":
            del node[key]
        else:
            node[key] = rng.choice(ODD_VALUES)
        yield payload


def test_any_other_batch_gets_marshmallows_own_answer():
    loaded = refused = 0
    for payload in mutations(seed=20261205, count=3000):
        expected = outcome(JOB_EVENT_BATCH.load, copy.deepcopy(payload))
        assert outcome(load_job_batch, payload) == expected, payload
        loaded, refused = loaded + (expected[0] == "loaded"), refused + (expected[0] == "refused")
    assert loaded > 200 and refused > 200  # the mutations reach both answers


def test_values_marshmallow_converts_are_left_to_it():
    for changes in ({"attempt": "2"}, {"attempt": 2.0}, {"version": True}, {"job_id": uuid.uuid4().hex.upper()}):
        payload = {"events": [event("job.completed", **changes)]}
        if "job_id" not in changes:
            assert run(COMPILED_JOB_BATCH, payload) is None
        assert outcome(load_job_batch, payload) == outcome(JOB_EVENT_BATCH.load, copy.deepcopy(payload))


def test_schemas_it_cannot_mirror_are_refused_when_compiled():
    with pytest.raises(TypeError, match="hooks"):
        compile_loader(JobEventSchema())
    with pytest.raises(TypeError, match="Float"):
        compile_loader(ma.Schema.from_dict({"x": ma.fields.Float()})())


@pytest.mark.parametrize(
    "changes",
    [
        {"id": "e\u202e1"},
        {"id": "e\n1"},
        {"data": {**DATA["job.completed"], "summary": "a\x00b"}},
        {"data": {**DATA["job.completed"], "checklist": ["ok", "a\udfffb"]}},
        {"data": {**DATA["job.completed"], "usage": {"prompt_tokens": 2**31}}},
        {"attempt": 10**30},
    ],
)
def test_what_the_fields_refuse_is_left_to_marshmallow_which_refuses_it(changes):
    payload = {"events": [event("job.completed", **changes)]}
    assert run(COMPILED_JOB_BATCH, payload) is None
    assert outcome(load_job_batch, payload)[0] == "refused"
    assert outcome(load_job_batch, payload) == outcome(JOB_EVENT_BATCH.load, copy.deepcopy(payload))


def test_text_with_line_breaks_and_tabs_loads_fast():
    data = {**DATA["job.completed"], "summary": "One.\n\tTwo.\r\n", "checklist": ["a\tb"]}
    payload = {"events": [event("job.completed", data=data)]}
    assert run(COMPILED_JOB_BATCH, payload) == JOB_EVENT_BATCH.load(copy.deepcopy(payload))
