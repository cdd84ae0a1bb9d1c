"""Steps and activity of the classroom tests: a Korean and an English step, and events as a learner's app sends them."""

from datetime import UTC, datetime, timedelta

NOW = "2026-03-01T09:30:00+00:00"
START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

KOREAN_STEP = {
    "title": "와이파이 설정 열기",
    "description": "설정 앱에서 와이파이 메뉴를 엽니다.",
    "target_action": "CLICK",
    "target_element_hint": "화면 오른쪽 위 톱니바퀴 아이콘",
    "target_text": "설정",
    "target_view_id": "com.android.launcher:id/settings",
    "guide_text": "1. 화면 오른쪽 위의 톱니바퀴(설정)를 누르세요. 2. '연결'을 누르세요. 3. 'Wi-Fi'를 누르세요.",
    "voice_guide_text": "오른쪽 위 톱니바퀴 모양을 한 번 눌러 주세요.",
}
ENGLISH_STEP = {
    "title": "Save the contact",
    "description": "Type the name and save.",
    "target_action": "INPUT",
    "target_element_hint": "the Name field at the top",
    "target_text": "Name",
    "target_view_id": "com.android.contacts:id/name",
    "guide_text": "Tap the Name field. Type the person's name. Tap Save.",
}


def at(seconds: float) -> str:
    return (START + timedelta(seconds=seconds)).isoformat()


def event(kind: str, seconds: float, screen: str | None = None, element: str | None = None, **more) -> dict:
    """One activity event as an app sends it."""
    found = {"event_type": kind, "occurred_at": at(seconds), "screen": screen, "element": element}
    return found | more
