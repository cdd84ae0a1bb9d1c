"""Style studio rules: costs, shares, tags, forward-only statuses, images recognised by decoding and stored clean."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFilter, PngImagePlugin

from gateway.studio.images import BadImage, clean_image, inspect_image
from gateway.studio.rules import artist_share, can_finish, generation_cost, progress_applies, style_tags


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


def saved(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def noisy(size=(300, 260), mode="RGB") -> Image.Image:
    pixels = np.random.default_rng(7).integers(0, 256, size=(size[1], size[0], len(mode)), dtype=np.uint8)
    return Image.fromarray(pixels, mode)


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)), dtype=int)


def test_a_clean_copy_drops_what_follows_the_image_and_keeps_its_pixels():
    original = saved(noisy(), "PNG")
    info, clean = clean_image(original + b"<html><script>alert(document.cookie)</script></html>", 256, 4096)
    assert b"<html" not in clean and b"script" not in clean
    assert (info.format, info.extension, info.width, info.height) == ("PNG", "png", 300, 260)
    assert np.array_equal(pixels(clean), pixels(original))


def test_a_clean_copy_drops_metadata():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "<html>hidden page</html>")
    exif = Image.Exif()
    exif[0x010E] = "a description"  # ImageDescription
    png = saved(noisy(), "PNG", pnginfo=text, exif=exif.tobytes(), icc_profile=b"not really a profile")
    jpeg = saved(noisy(), "JPEG", exif=exif.tobytes(), comment=b"<html>hidden page</html>", quality=95)
    webp = saved(noisy(), "WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>hidden</x:xmpmeta>")
    for data in (png, jpeg, webp):
        _, clean = clean_image(data, 256, 4096)
        stored = Image.open(io.BytesIO(clean))
        assert b"hidden" not in clean and b"description" not in clean
        assert not dict(stored.getexif()) and "icc_profile" not in stored.info and "comment" not in stored.info


def test_a_clean_copy_keeps_the_orientation_in_its_pixels():
    upright = noisy((300, 400))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; viewers rotate the stored 400x300 pixels
    info, clean = clean_image(saved(upright.rotate(90, expand=True), "PNG", exif=exif.tobytes()), 256, 4096)
    assert (info.width, info.height) == (300, 400) and not dict(Image.open(io.BytesIO(clean)).getexif())
    assert np.array_equal(pixels(clean), np.asarray(upright, dtype=int))


def test_a_clean_copy_keeps_the_format_and_what_it_loses_nothing_of():
    photo = noisy().filter(ImageFilter.GaussianBlur(3))  # compresses like a picture
    jpeg = saved(photo, "JPEG", quality=90)
    info, clean = clean_image(jpeg, 256, 4096)
    assert info.format == "JPEG" and np.abs(pixels(clean) - pixels(jpeg)).mean() < 0.5  # its own tables again
    lossless = saved(noisy(mode="RGBA"), "WEBP", lossless=True)
    info, clean = clean_image(lossless, 256, 4096)
    assert info.format == "WEBP" and np.array_equal(pixels(clean), pixels(lossless))
    palette = noisy().convert("P", palette=Image.Palette.ADAPTIVE)
    with_transparency = saved(palette, "PNG", transparency=3)
    _, clean = clean_image(with_transparency, 256, 4096)
    assert Image.open(io.BytesIO(clean)).info.get("transparency") == 3
    assert np.array_equal(pixels(clean), pixels(with_transparency))


def declared(width: int, height: int) -> bytes:
    """A 1x1 PNG whose header claims another size (a decompression bomb's header)."""
    data = bytearray(encoded("PNG", (1, 1)))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize("check", [clean_image, inspect_image])
def test_bombs_are_refused_before_they_decode(check):
    with pytest.raises(BadImage, match="at most 4096 px"):
        check(declared(50_000, 300), 256, 4096)
    with pytest.raises(BadImage, match="larger than"):
        check(declared(100_000, 100_000), 1, 1_000_000)  # Pillow's own pixel limit, whatever the side limit
