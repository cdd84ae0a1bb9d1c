"""The offline diagnosis of a help request: each kind of trouble in the learner's activity found and said, in the
step guide's language, with a way back on track, a confidence that follows the evidence, and a valid result."""

import pytest
from support.classroom_samples import ENGLISH_STEP, KOREAN_STEP, at, event

from llm_worker.classroom.diagnosis import diagnose
from shared.messages.classroom_results import result_problems

pytestmark = pytest.mark.unit
L, R = "\u2018", "\u2019"  # how the analyses quote an element or a screen
CLICK_EN = {"title": "Open Settings", "target_action": "CLICK", "target_text": "Settings",
            "guide_text": "Tap Settings on the home screen. Then tap Network."}  # fmt: skip


def diagnosed(step, activity=(), error=None, asked_at: float = 10) -> dict:
    result = diagnose(step, {"recent_activity": list(activity), "error_message": error}, at(asked_at))
    assert result_problems("help_analysis", result) == []
    return result


def test_the_wrong_element_tapped_three_times_is_named_with_the_count_in_korean():
    taps = [event("VIEW_CLICKED", i, "홈", "검색") for i in range(3)]
    result = diagnosed(KOREAN_STEP, taps, asked_at=4)
    assert f"{L}검색{R}을 3번 누르셨지만" in result["problem_diagnosis"]
    assert f"{L}설정{R}을 누르기" in result["problem_diagnosis"]
    assert result["step_by_step_solution"][:3] == [
        "화면 오른쪽 위의 톱니바퀴(설정)를 누르세요.",
        "'연결'을 누르세요.",
        "'Wi-Fi'를 누르세요.",
    ]
    assert any("음성 안내" in alternative for alternative in result["alternative_approaches"])
    assert result["estimated_difficulty"] == "EASY"


def test_an_element_reported_by_view_id_and_text_is_named_by_its_text_and_no_short_hint_word_matches_it():
    step = {"title": "Send the photo", "target_action": "CLICK", "target_text": "Send",
            "target_view_id": "com.example.chat:id/send", "target_element_hint": "the round green arrow at the bottom",
            "guide_text": "Tap the green Send arrow."}  # fmt: skip
    taps = [event("VIEW_CLICKED", i, "Preview", "com.example.chat:id/attach", text="Attach") for i in range(3)]
    diagnosis = diagnosed(step, taps, asked_at=4)["problem_diagnosis"]
    assert diagnosis.startswith(f"You tapped {L}Attach{R} 3 times"), "'at' of the hint is no match for 'attach'"
    typed = [event("VIEW_TEXT_CHANGED", 0, "New contact", "com.android.contacts:id/phone", text="Kim")]
    assert f"You typed into {L}phone{R}" in diagnosed(ENGLISH_STEP, typed, asked_at=2)["problem_diagnosis"]


def test_scrolling_on_after_the_target_showed_is_scrolled_past():
    activity = [
        event("VIEW_SCROLLED", 0, "Settings"),
        event("VIEW_FOCUSED", 1, "Settings", "Network"),
        event("VIEW_SCROLLED", 2, "Settings"),
        event("VIEW_SCROLLED", 3, "Settings"),
    ]
    step = {**CLICK_EN, "target_text": "Network", "guide_text": "Scroll to Network and tap it."}
    result = diagnosed(step, activity, asked_at=5)
    assert f"{L}Network{R} was already on the screen, but you kept scrolling (3 scrolls)" in result["problem_diagnosis"]
    assert result["step_by_step_solution"][0].startswith("Scroll back slowly")
    assert result["estimated_difficulty"] == "MEDIUM"


def test_scrolling_without_ever_reaching_the_target():
    activity = [event("SCROLL", i, "Settings") for i in range(4)]
    result = diagnosed(CLICK_EN, activity, asked_at=5)
    assert f"You scrolled 4 times without reaching {L}Settings{R}" in result["problem_diagnosis"]


def test_typing_into_another_field_than_the_steps():
    activity = [
        event("CLICK", 0, "New contact", "Phone"),
        event("VIEW_TEXT_CHANGED", 1, "New contact", "Phone", text="Kim"),
        event("VIEW_TEXT_CHANGED", 2, "New contact", "Phone", text="Kim Young"),
    ]
    result = diagnosed(ENGLISH_STEP, activity, asked_at=4)
    assert f"You typed into {L}Phone{R}, but the text belongs in {L}Name{R}" in result["problem_diagnosis"]
    assert result["step_by_step_solution"][0].startswith(f"Tap inside {L}Name{R} once")
    assert result["step_by_step_solution"][1:4] == ["Tap the Name field.", "Type the person's name.", "Tap Save."]
    assert result["estimated_difficulty"] == "HARD"
    assert any("microphone" in alternative for alternative in result["alternative_approaches"])


def test_tapping_the_field_and_typing_nothing():
    result = diagnosed(ENGLISH_STEP, [event("CLICK", 0, "New contact", "com.android.contacts:id/name")], asked_at=3)
    assert "the keyboard may not have opened" in result["problem_diagnosis"]


def test_staying_idle_on_a_screen_before_asking():
    result = diagnosed(CLICK_EN, [event("SCREEN_CHANGE", 0, "Home")], asked_at=45)
    assert f"Nothing happened for 45 seconds on {L}Home{R} before you asked for help." in result["problem_diagnosis"]


def test_pressing_back_again_and_again():
    activity = [event("SCREEN_CHANGE", 0, "Network"), *(event("BACK", 1 + i) for i in range(3))]
    result = diagnosed(CLICK_EN, activity, asked_at=5)
    assert "You pressed back 3 times" in result["problem_diagnosis"]
    assert result["step_by_step_solution"][0] == f"Press the back button once and check that you are on {L}Network{R}."
    assert any("Close the app, open it again" in a for a in result["alternative_approaches"])


def test_back_and_forth_between_two_screens():
    screens = ["Home", "Settings", "Home", "Settings", "Home"]
    activity = [event("WINDOW_STATE_CHANGED", i, name) for i, name in enumerate(screens)]
    result = diagnosed(CLICK_EN, activity, asked_at=6)
    assert f"You went back and forth between {L}Home{R} and {L}Settings{R} 4 times." in result["problem_diagnosis"]


def test_a_short_tap_where_a_long_press_is_needed():
    step = {"title": "Move the app", "target_action": "LONG_CLICK", "target_text": "Camera",
            "guide_text": "Press and hold the Camera icon until it lifts."}  # fmt: skip
    result = diagnosed(step, [event("CLICK", 0, "Home", "Camera"), event("CLICK", 2, "Home", "Camera")], asked_at=3)
    assert "this step needs a long press" in result["problem_diagnosis"]
    assert result["step_by_step_solution"][0].startswith(f"Put your finger on {L}Camera{R} and keep it there")


def test_another_app_and_an_error_message():
    step = {**CLICK_EN, "target_package": "com.android.settings"}
    activity = [event("CLICK", 0, "Chats", "Send", package="com.kakao.talk")]
    result = diagnosed(step, activity, error="Unfortunately, Settings has stopped", asked_at=2)
    assert (
        "You are in another app (com.kakao.talk); this step happens in com.android.settings."
        in (result["problem_diagnosis"])
    )
    assert "“Unfortunately, Settings has stopped”" in result["problem_diagnosis"]
    assert any(s.startswith("Go back to com.android.settings") for s in result["step_by_step_solution"])
    assert result["estimated_difficulty"] == "HARD"


def test_a_learner_who_already_did_the_step():
    result = diagnosed(CLICK_EN, [event("CLICK", 0, "Home", "Settings")], asked_at=2)
    assert f"You already did what the step asks (tap {L}Settings{R})" in result["problem_diagnosis"]


def test_without_activity_the_advice_is_the_guide_and_the_confidence_low():
    result = diagnosed(KOREAN_STEP, [], asked_at=1)
    assert result["problem_diagnosis"].startswith("최근 활동 기록이 함께 오지 않아")
    assert result["confidence_score"] <= 30
    assert result["step_by_step_solution"][0] == "화면 오른쪽 위의 톱니바퀴(설정)를 누르세요."


def test_the_confidence_follows_the_evidence():
    two = diagnosed(KOREAN_STEP, [event("CLICK", i, "홈", "검색") for i in range(2)], asked_at=3)
    five = diagnosed(KOREAN_STEP, [event("CLICK", i, "홈", "검색") for i in range(5)], asked_at=6)
    five_and_idle = diagnosed(KOREAN_STEP, [event("CLICK", i, "홈", "검색") for i in range(5)], asked_at=60)
    nothing = diagnosed(KOREAN_STEP, [], asked_at=1)
    scores = [r["confidence_score"] for r in (nothing, two, five, five_and_idle)]
    assert scores == sorted(scores) and len(set(scores)) == 4, scores


def test_no_step_and_no_activity_still_gives_a_valid_answer():
    result = diagnose(None, {}, "")
    assert result_problems("help_analysis", result) == []
    assert result["confidence_score"] == 20


def test_the_language_is_the_guides():
    english = diagnosed({**KOREAN_STEP, "guide_text": "Tap the gear at the top right.", "title": "Open Settings",
                         "description": "", "target_element_hint": "gear", "voice_guide_text": None}, [])  # fmt: skip
    assert english["problem_diagnosis"].startswith("No recent activity came with the request")
