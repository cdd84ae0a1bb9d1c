"""The offline analysis of a recording: the steps taken with their durations, and where the user hesitated."""

import pytest
from support.classroom_samples import at, event

from llm_worker.classroom.recording import analyse_recording
from shared.messages.classroom_results import result_problems

pytestmark = pytest.mark.unit
L, R = "\u2018", "\u2019"  # how the analyses quote an element or a screen


def analysed(events) -> dict:
    result = analyse_recording(events)
    assert result_problems("recording_analysis", result) == []
    return result


def test_steps_in_order_with_the_time_until_the_next():
    result = analysed(
        [
            event("WINDOW_STATE_CHANGED", 0, "Home"),
            event("VIEW_CLICKED", 2, "Home", "Contacts"),
            event("WINDOW_CONTENT_CHANGED", 2.5, "Contacts"),
            event("VIEW_CLICKED", 4, "Contacts", "New"),
            event("VIEW_TEXT_CHANGED", 5, "New contact", "Name", text="K"),
            event("VIEW_TEXT_CHANGED", 6, "New contact", "Name", text="Kim"),
            event("VIEW_SCROLLED", 7, "New contact"),
            event("VIEW_SCROLLED", 8, "New contact"),
            event("CLICK", 9, "New contact", "Save"),
        ]
    )
    steps = [(s["action"], s["screen"], s["element"], s["duration_ms"]) for s in result["steps"]]
    assert steps == [
        ("NAVIGATE", "Home", None, 2000),
        ("CLICK", "Home", "Contacts", 2000),
        ("CLICK", "Contacts", "New", 1000),
        ("INPUT", "New contact", "Name", 2000),
        ("SCROLL", "New contact", None, 2000),
        ("CLICK", "New contact", "Save", 0),
    ]
    assert result["steps"][0]["started_at"] == at(0) and result["steps"][3]["started_at"] == at(5)
    assert result["hesitations"] == []
    assert result["summary"] == "6 steps over 9 seconds across 3 screens. The user went through without hesitating."


def test_a_long_pause_repeated_taps_and_back_and_forth_are_hesitations():
    result = analysed(
        [
            event("SCREEN_CHANGE", 0, "홈"),
            event("CLICK", 1, "홈", "설정"),
            event("SCREEN_CHANGE", 2, "설정"),
            event("CLICK", 14, "설정", "연결"),
            event("CLICK", 15, "설정", "연결"),
            event("CLICK", 16, "설정", "연결"),
            event("SCREEN_CHANGE", 17, "연결"),
            event("SCREEN_CHANGE", 18, "설정"),
            event("SCREEN_CHANGE", 19, "연결"),
            event("BACK", 20),
            event("BACK", 21),
        ]
    )
    reasons = [(h["at"], h["screen"], h["waited_ms"], h["reason"]) for h in result["hesitations"]]
    assert reasons == [
        (at(2), "설정", 12000, "다음 동작까지 12.0초 동안 멈췄습니다."),
        (at(14), "설정", 2000, f"{L}연결{R}을 연달아 3번 눌렀습니다."),
        (at(17), "연결", 2000, f"{L}설정{R} 화면과 {L}연결{R} 화면 사이를 오갔습니다(3번)."),
        (at(20), None, 1000, "뒤로 가기를 연달아 2번 눌렀습니다."),
    ]
    assert result["summary"].endswith(f"4번 머뭇거렸고, 가장 길게 머문 곳은 {L}설정{R} 화면(12.0초)입니다.")


def test_a_pause_is_long_against_the_recordings_own_pace():
    slow = [event("CLICK", 6 * i, "Home", f"item {i}") for i in range(7)]
    assert analysed(slow)["hesitations"] == [], "an even 6 s pace is this user's pace, not a hesitation"
    slow.append(event("CLICK", 36 + 20, "Home", "item 7"))
    [pause] = analysed(slow)["hesitations"]
    assert pause["waited_ms"] == 20000 and pause["at"] == at(36)


def test_an_empty_or_unreadable_recording():
    assert analysed([])["summary"] == "The recording holds no action to analyse."
    result = analysed([{"event_type": "CLICK", "occurred_at": "yesterday", "element": "OK"}, "junk", 7])
    assert result["steps"][0]["started_at"] == "1970-01-01T00:00:00+00:00" and result["steps"][0]["element"] == "OK"


def test_epoch_milliseconds_and_android_fields_are_read():
    events = [
        {
            "event_type": "VIEW_CLICKED",
            "timestamp": 1772357400000,
            "data": {"view_id": "id/ok", "class_name": "Dialog"},
        },
        {"event_type": "VIEW_CLICKED", "timestamp": 1772357401500, "text": ["Done"]},
    ]
    steps = analysed(events)["steps"]
    assert (steps[0]["screen"], steps[0]["element"], steps[0]["duration_ms"]) == ("Dialog", "id/ok", 1500)
    assert steps[1]["element"] == "Done"
