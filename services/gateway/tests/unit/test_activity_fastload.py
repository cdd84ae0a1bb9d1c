"""The compiled loader of activity batches answers exactly what marshmallow answers, or leaves it to marshmallow."""

import copy
import random
import uuid
from datetime import UTC, datetime, timedelta

import marshmallow as ma
import pytest

from gateway.classroom.activity_schemas import ActivityBatchSchema, _fast_batch
from gateway.fastpaths.load import run

pytestmark = [pytest.mark.unit, pytest.mark.usefixtures("fast_paths_on")]  # whatever FAST_PATHS says

SCHEMA = ActivityBatchSchema()
NOW = datetime.now(UTC)
APP_EVENT = {  # the fields
    "event_type": "VIEW_CLICKED",
    "timestamp": (NOW - timedelta(seconds=30)).isoformat(),
    "subtask": str(uuid.uuid4()),
    "package": "com.kakao.talk",
    "screen": "ChatRoomActivity",
    "element": "com.kakao.talk:id/send",
    "text": "전송\n두 줄",
    "x": 980,
    "y": 2210,
    "bounds": "[936,2170][1024,2250]",
}
ORIGINAL_EVENT = {  # the original student app's fields
    "device_id": "a3f9c2e1",
    "session": str(uuid.uuid4()),
    "subtask": None,
    "event_type": "CLICK",
    "event_data": {"package_name": "com.android.settings", "element_text": "Wi-Fi", "nested": {"n": [1, 2]}},
    "screen_info": {"title": "설정"},
    "node_info": {},
    "parent_node_info": None,
    "view_id_resource_name": "android:id/title",
    "content_description": "Wi-Fi",
    "is_sensitive_data": False,
}

WELL_FORMED = [
    {"logs": [APP_EVENT]},
    {"logs": [APP_EVENT, ORIGINAL_EVENT, {"event_type": "scroll"}]},
    {"logs": [{**APP_EVENT, "text": None, "x": None, "timestamp": None, "event_id": str(uuid.uuid4())}]},
    {"logs": [{**ORIGINAL_EVENT, "is_sensitive_data": True, "recording_session": str(uuid.uuid4())}]},
    {"logs": [APP_EVENT] * 500},
]


def outcome(load, payload):
    try:
        return "loaded", load(payload)
    except ma.ValidationError as exc:
        return "refused", exc.messages


@pytest.mark.parametrize("payload", WELL_FORMED, ids=["app", "mixed", "nones", "sensitive", "500"])
def test_well_formed_batches_load_fast_and_as_marshmallow_loads_them(payload):
    fast = run(_fast_batch, copy.deepcopy(payload))
    assert fast is not None, "the compiled loader must take what the apps send"
    assert fast == ma.Schema.load(SCHEMA, copy.deepcopy(payload))  # marshmallow's own load, not the override
    assert SCHEMA.load(copy.deepcopy(payload)) == fast


ODD_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    10**6,
    1.5,
    "",
    "x" * 300,
    "a\nb",
    "\u202e",
    "not-a-uuid",
    "2026-01-01T00:00:00",
    (NOW + timedelta(hours=1)).isoformat(),
    (NOW - timedelta(days=40)).isoformat(),
    [],
    {},
    {"blob": "x" * 9000},
    ["a"],
]


def test_any_other_batch_gets_marshmallows_own_answer():
    rng = random.Random(20)
    fields = sorted({key for event in (APP_EVENT, ORIGINAL_EVENT) for key in event} | {"event_id", "unknown"})
    fast_answers = 0
    for _ in range(3000):
        payload = copy.deepcopy(rng.choice(WELL_FORMED[:4]))
        event = rng.choice(payload["logs"])
        for _ in range(rng.randint(1, 3)):
            name = rng.choice(fields)
            if rng.random() < 0.15:
                event.pop(name, None)
            else:
                event[name] = copy.deepcopy(rng.choice(ODD_VALUES))
        if rng.random() < 0.05:
            payload = rng.choice([{"logs": []}, {"logs": "x"}, {"logs": [APP_EVENT] * 501}, {**payload, "more": 1}])
        expected = outcome(lambda p: ma.Schema.load(SCHEMA, p), copy.deepcopy(payload))
        fast = run(_fast_batch, copy.deepcopy(payload))
        if fast is not None:
            fast_answers += 1
            assert expected == ("loaded", fast), payload
        assert outcome(SCHEMA.load, copy.deepcopy(payload)) == expected
    assert fast_answers > 300  # the mutations it takes (a None, another string) were compared too
