"""Style studio rules: costs, shares, tags, forward-only statuses, and images recognised by decoding."""

import io

import pytest
from PIL import Image

from gateway.domain.images import BadImage, inspect_image
from gateway.domain.studio import artist_share, can_finish, generation_cost, progress_applies, style_tags


def encoded(fmt: str, size=(300, 260)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, fmt)
    return buffer.getvalue()


def test_costs_and_shares():
    assert [generation_cost(ratio, 20) for ratio in ("1:1", "2:2", "1:2")] == [70, 95, 80]
    assert (artist_share(20, 70), artist_share(15, 70), artist_share(0, 70), artist_share(9, 100)) == (14, 10, 0, 9)


def test_tags_are_split_trimmed_lowered_and_unique():
    assert style_tags(["Oil, impasto ,OIL", "  warm   light ", ",,"]) == ["oil", "impasto", "warm light"]


def test_statuses_only_move_forward():
    assert progress_applies("queued", 0, 0) and progress_applies("processing", 40, 40)
    assert not progress_applies("processing", 40, 30)
    assert not progress_applies("completed", 100, 100) and not progress_applies("failed", 0, 50)
    assert can_finish("queued") and can_finish("processing")
    assert not can_finish("completed") and not can_finish("failed")


@pytest.mark.parametrize("fmt,extension", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_images_are_recognised_by_their_content(fmt, extension):
    info = inspect_image(encoded(fmt), 256, 4096)
    assert (info.extension, info.width, info.height) == (extension, 300, 260)
    assert info.content_type == f"image/{'jpeg' if fmt == 'JPEG' else fmt.lower()}"


@pytest.mark.parametrize(
    "data,message",
    [
        (b"GIF89a....", "not a PNG, JPEG or WebP"),
        (encoded("GIF"), "not a PNG, JPEG or WebP"),
        (encoded("BMP"), "not a PNG, JPEG or WebP"),
        (encoded("PNG", (255, 900)), "at least 256 px"),
        (encoded("PNG", (4097, 300)), "at most 4096 px"),
        (encoded("PNG")[:200], "damaged"),
    ],
)
def test_other_files_are_refused(data, message):
    with pytest.raises(BadImage, match=message):
        inspect_image(data, 256, 4096)
