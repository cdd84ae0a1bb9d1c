"""What a step asks for, read from the lecture's step: the action, and how to recognise its target on screen."""

import dataclasses
import re
from typing import Any

from llm_worker.classroom.activity import Event

ACTIONS = ("CLICK", "LONG_CLICK", "SCROLL", "INPUT", "NAVIGATE", "SWIPE", "BACK", "HOME", "WAIT")
WORD = re.compile(r"[\w가-힣]{2,}")
# Words a hint uses for any element; matching on them would find the target everywhere.
GENERIC = frozenset(
    {
        *("button", "icon", "menu", "tap", "press", "the", "and", "screen", "top", "bottom", "left", "right"),
        *("corner", "item", "field", "box", "text", "버튼", "아이콘", "메뉴", "화면", "위쪽", "아래쪽", "오른쪽"),
        *("왼쪽", "상단", "하단", "누르기", "누르세요", "항목", "입력창", "글자"),
        *("at", "on", "in", "of", "to", "for", "with", "from", "your", "next", "near"),
    }
)
MAX_TARGET = 80


@dataclasses.dataclass(frozen=True)
class Target:
    """The step's action and what names its target: a view id, the text on it, a hint in words, an app."""

    action: str
    view_id: str | None
    text: str | None
    hint: str | None
    package: str | None
    title: str

    def label(self) -> str | None:
        """How to call the target in a sentence: its text, else the hint, else the step's title; quoted."""
        name = self.text or self.hint or self.title
        return quoted(name[:MAX_TARGET]) if name else None

    def matches(self, event: Event) -> bool:
        """Whether `event` happened on the target (by view id, its text, or the hint's distinctive words)."""
        seen = " ".join(filter(None, [event.element, event.text])).casefold()
        if not seen:
            return False
        if self.view_id and self.view_id.rsplit("/", 1)[-1].casefold() in seen:
            return True
        if self.text and (self.text.casefold() in seen or seen in self.text.casefold()):
            return True
        return bool(self.hint) and _overlap(_words(self.hint), _words(seen))


def quoted(name: str) -> str:
    """A name in typographic single quotes, as the phrases show an element or a screen."""
    return f"\u2018{name}\u2019"


def read_target(step: Any) -> Target:
    """The target of a step message (an object, or None when the learner named no step)."""
    step = step if isinstance(step, dict) else {}
    action = _text(step.get("target_action")) or ""
    return Target(
        action=action.upper() if action.upper() in ACTIONS else "CLICK",
        view_id=_text(step.get("target_view_id")),
        text=_text(step.get("target_text")),
        hint=_text(step.get("target_element_hint")),
        package=_text(step.get("target_package")),
        title=_text(step.get("title")) or "",
    )


def _overlap(hint: set[str], seen: set[str]) -> bool:
    """A distinctive hint word that begins a word seen, or the other way round (Korean words carry their particles,
    English ones a plural); never a short word inside another ("at" in "attach")."""
    return any(
        a.startswith(b) or b.startswith(a) for a in hint for b in seen if min(len(a), len(b)) >= _shortest(a + b)
    )


def _shortest(words: str) -> int:
    """The shortest word that can name an element: two Hangul syllables, or three Latin letters."""
    return 2 if re.search("[가-힣]", words) else 3


def _words(text: str) -> set[str]:
    return {word for word in WORD.findall(text.casefold()) if word not in GENERIC}


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    cleaned = " ".join(value.split())
    return cleaned or None
