"""Activity's pure rules: event ids, the time window, what is published and what the table takes; the statistics'
bottleneck score and groups."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gateway.classroom import activity_rules as rules
from gateway.classroom import statistics_service as statistics
from gateway.classroom.activity_log_store import COLUMNS, TYPES
from gateway.classroom.statistics_trends import trends

pytestmark = pytest.mark.unit
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_event_ids_are_version_7_and_ordered_by_time():
    ids = [rules.new_event_id() for _ in range(200)]
    assert {i.version for i in ids} == {7} and {i.variant for i in ids} == {uuid.RFC_4122}
    assert len(set(ids)) == 200
    stamps = [i.int >> 80 for i in ids]  # the milliseconds: never going back
    assert stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("at", "refused"),
    [
        (NOW, False),
        (NOW + timedelta(minutes=4), False),
        (NOW + timedelta(minutes=6), True),
        (NOW - timedelta(days=29), False),
        (NOW - timedelta(days=31), True),
    ],
)
def test_an_events_own_time_is_taken_within_30_days_back_and_5_minutes_ahead(at, refused):
    assert bool(rules.timestamp_problem(at, NOW)) is refused


def loaded(**fields) -> dict:
    base = {name: None for name in ("event_id", "timestamp", "subtask_id", "recording_id", "package", "screen")}
    base |= {name: None for name in ("element", "view_id_resource_name", "text", "content_description", "x", "y")}
    base |= {"bounds": None, "is_sensitive_data": False, "event_type": "click", "event_id": uuid.uuid4()}
    return base | fields


def test_the_original_apps_names_fold_into_ours_and_ours_win():
    event = loaded(
        event_data={"package_name": "com.android.settings", "element_text": "Wi-Fi"},
        screen_info={"activity_name": "SettingsActivity"},
        view_id_resource_name="android:id/title",
        content_description="Wi-Fi",
    )
    out = rules.published(event, {"session_id": None}, NOW)
    assert (out["event_type"], out["package"], out["screen"], out["element"], out["text"]) == (
        "CLICK",
        "com.android.settings",
        "SettingsActivity",
        "android:id/title",
        "Wi-Fi",
    )
    assert out["occurred_at"] == NOW.isoformat() and out["data"]["event_data"]["element_text"] == "Wi-Fi"
    ours = rules.published(loaded(package="ours", event_data={"package_name": "theirs"}), {}, NOW)
    assert ours["package"] == "ours"
    odd = rules.published(loaded(event_data={"package_name": "a\nb"}, screen_info={"title": 5}), {}, NOW)
    assert odd["package"] is None and odd["screen"] is None  # what a Line would refuse is not taken from them


def test_a_sensitive_events_text_and_raw_objects_are_not_published():
    event = loaded(text="hunter2", event_data={"element_text": "hunter2"}, bounds="[0,0][1,1]", is_sensitive_data=True)
    out = rules.published(event, {}, NOW)
    assert out["text"] is None and out["data"] == {"bounds": "[0,0][1,1]", "is_sensitive_data": True}


def row_of(**changes) -> tuple:
    event = {"event_id": str(uuid.uuid4()), "event_type": "CLICK", "occurred_at": NOW.isoformat()} | changes
    return rules.stored_row(event, NOW)


@pytest.mark.parametrize(
    "changes",
    [
        {"event_id": "nope"},
        {"event_id": None},
        {"session_id": "x"},
        {"event_type": "CLICK; DROP"},
        {"event_type": 5},
        {"occurred_at": "2026-12-07T10:00:00"},
        {"occurred_at": "yesterday"},
        {"package": "p" * 256},
        {"text": "a\x00b"},
        {"x": "1"},
        {"y": True},
        {"x": 10**9},
        {"data": ["not", "an", "object"]},
    ],
)
def test_what_the_table_cannot_hold_is_refused_one_event_at_a_time(changes):
    with pytest.raises((ValueError, TypeError, KeyError)):
        row_of(**changes)


def test_a_stored_row_is_in_the_copys_column_order():
    row = row_of(session_id=str(uuid.UUID(int=1)), x=3, y=4, data={"bounds": "[0,0][1,1]"}, device_id="d")
    assert len(row) == len(COLUMNS) == len(TYPES)
    named = dict(zip(COLUMNS, row, strict=True))
    assert named["session_id"] == uuid.UUID(int=1) and (named["x"], named["y"]) == (3, 4)
    assert named["received_at"] == NOW and named["data"] == {"bounds": "[0,0][1,1]"} and named["device_id"] == "d"


def test_the_bottleneck_score_weighs_delay_help_and_not_completing():
    assert statistics.bottleneck_score(0.0, 0, 0, 0.0) == 0.0  # nobody reached the step
    assert statistics.bottleneck_score(0.0, 0, 10, 1.0) == 0.0
    assert statistics.bottleneck_score(1.0, 50, 10, 0.0) == 1.0
    assert statistics.bottleneck_score(0.5, 2, 10, 0.5) == round(0.2 + 0.08 + 0.1, 2)


@pytest.mark.parametrize(
    ("status", "silent", "group"),
    [
        ("COMPLETED", 60, "completed"),
        ("WAITING", 60, "not_started"),
        ("ACTIVE", 6, "delayed"),
        ("ACTIVE", 4, "in_progress"),
        ("DISCONNECTED", 10, "delayed"),
    ],
)
def test_a_learner_is_delayed_after_five_silent_minutes(status, silent, group):
    assert statistics._group(status, NOW - timedelta(minutes=silent), NOW) == group


def a_session(completion: float, helps: float, seconds: int) -> dict:
    return {"completion_rate": completion, "help_request_rate": helps, "avg_completion_time": seconds}


def test_trends_weigh_the_latest_three_sessions_against_the_ones_before():
    assert set(trends([a_session(0.5, 1, 600)]).values()) == {"insufficient_data"}
    two = trends([a_session(0.5, 1.0, 600), a_session(0.9, 0.5, 400)])  # the latest against the one before
    assert two == dict.fromkeys(two, "improving")
    five = [a_session(0.9, 0.2, 300), a_session(0.9, 0.2, 300)] + [a_session(0.6, 0.5, 500)] * 3
    assert trends(five) == dict.fromkeys(two, "declining")
    same = [a_session(0.8, 0.3, 400)] * 4
    assert trends(same) == dict.fromkeys(two, "stable")
