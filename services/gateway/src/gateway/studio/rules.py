"""Rules of the style studio: what a generation costs, how tags read, how reports move a status.

A status only moves forward: queued -> processing -> completed | failed. A
finished style or generation never changes again, and a progress report below
the progress already recorded (a late one, or a redelivery starting over) is
ignored, so the progress a user sees never goes back.
"""

from collections.abc import Iterable

from shared.messages.styles import ASPECT_RATIO_SIZES

ASPECT_RATIO_COSTS = {"1:1": 50, "2:2": 75, "1:2": 60}  # tokens, before the style's own price
assert set(ASPECT_RATIO_COSTS) == set(ASPECT_RATIO_SIZES)
MIN_IMAGES, MAX_IMAGES = 10, 100
MAX_STYLE_TAGS, MAX_PROMPT_TAGS, MAX_TAG_LENGTH = 20, 20, 50
MAX_SEED = 2**32 - 1
MAX_PRICE = 10_000
PREVIEW_IMAGES = 4  # training images a style shows as its previews
FINISHED = frozenset({"completed", "failed"})

APPLIED = "applied"
STALE = "stale"


def style_is_public(status: str, visibility: str) -> bool:
    """Anyone may see the style, and its previews: it is trained and public (and not deleted)."""
    return status == "completed" and visibility == "public"


def image_is_public(status: str, is_public: bool) -> bool:
    """Anyone may see a generation's image: it is completed and its maker made it public."""
    return status == "completed" and is_public


def style_shown(visibility: str, style_artist_id, viewer_id) -> bool:
    """Whether a generation may name its style to the viewer: a private style stays its artist's secret."""
    return visibility == "public" or (viewer_id is not None and style_artist_id == viewer_id)


def generation_cost(aspect_ratio: str, style_price: int) -> int:
    """Tokens one generation takes: the size's cost plus the artist's price."""
    return ASPECT_RATIO_COSTS[aspect_ratio] + style_price


def artist_share(style_price: int, percent: int) -> int:
    """Whole tokens the artist earns from one completed generation (rounded down)."""
    return style_price * percent // 100


def style_tags(values: Iterable[str]) -> list[str]:
    """Tags as given (repeated, or comma-separated): trimmed, lower-cased, without blanks or repeats."""
    tags: list[str] = []
    for value in values:
        for part in value.split(","):
            tag = " ".join(part.split()).lower()
            if tag and tag not in tags:
                tags.append(tag)
    return tags


def progress_applies(status: str, recorded_percent: int, reported_percent: int) -> bool:
    """Whether a progress report moves the work on (never after it finished, never backwards)."""
    return status not in FINISHED and reported_percent >= recorded_percent


def can_finish(status: str) -> bool:
    """`complete` and `failed` apply once; a repeat or a late one is stale."""
    return status not in FINISHED
