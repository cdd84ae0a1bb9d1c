"""The invisible signature: survives JPEG q85 and mild resizing, is invisible, and is absent from unmarked images."""

import io

import numpy as np
import pytest
from PIL import Image

from shared import signature

SIGNATURE_ID = 0xDEADBEEF_CAFEF00D


def textured(seed: int, width: int = 512, height: int = 512) -> Image.Image:
    """A busy test picture: soft colour fields, hard-edged discs and grain."""
    rng = np.random.default_rng(seed)
    small = rng.uniform(0, 255, (height // 32, width // 32, 3)).astype(np.uint8)
    base = np.asarray(Image.fromarray(small).resize((width, height), Image.Resampling.BICUBIC), dtype=np.float64)
    ys, xs = np.mgrid[0:height, 0:width]
    for _ in range(12):
        cx, cy, r = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(10, 90)
        base[(xs - cx) ** 2 + (ys - cy) ** 2 < r * r] = rng.uniform(0, 255, 3)
    base += rng.normal(0, 6, base.shape)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def smooth(seed: int, width: int = 512, height: int = 512) -> Image.Image:
    """A nearly flat picture (a gradient), where a mark has no texture to hide in."""
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width] / max(width, height)
    colour = rng.uniform(40, 215, 3)
    base = colour + np.stack([xs * 40, ys * 40, (xs + ys) * 20], axis=-1)
    return Image.fromarray(np.clip(base, 0, 255).astype(np.uint8))


def jpeg(image: Image.Image, quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def scaled(image: Image.Image, factor: float) -> Image.Image:
    size = (round(image.width * factor), round(image.height * factor))
    return image.resize(size, Image.Resampling.BICUBIC)


PICTURES = [
    pytest.param(lambda: textured(1), id="textured-512"),
    pytest.param(lambda: smooth(2), id="smooth-512"),
    pytest.param(lambda: textured(3, 512, 1024), id="textured-512x1024"),
    pytest.param(lambda: textured(4, 1024, 1024), id="textured-1024"),
]


@pytest.mark.parametrize("picture", PICTURES)
def test_survives_jpeg_quality_85(picture):
    marked = signature.embed(picture(), SIGNATURE_ID)

    assert signature.extract(marked) == SIGNATURE_ID
    assert signature.extract(jpeg(marked)) == SIGNATURE_ID


@pytest.mark.parametrize("factor", [0.8, 0.9, 1.1, 1.25])
@pytest.mark.parametrize("picture", PICTURES[:3])
def test_survives_resizing_then_jpeg(picture, factor):
    marked = signature.embed(picture(), SIGNATURE_ID)

    assert signature.extract(jpeg(scaled(marked, factor))) == SIGNATURE_ID


@pytest.mark.parametrize("picture", PICTURES)
def test_is_invisible(picture):
    original = picture()

    assert signature.psnr(original, signature.embed(original, SIGNATURE_ID)) > 40.0


def test_unmarked_images_carry_no_signature():
    pictures = [textured(seed) for seed in range(10, 16)] + [smooth(seed) for seed in range(20, 24)]
    noise = np.random.default_rng(7).integers(0, 256, (512, 512, 3), dtype=np.uint8)
    pictures.append(Image.fromarray(noise))

    assert [signature.extract(p) for p in pictures] == [None] * len(pictures)
    assert [signature.extract(jpeg(p)) for p in pictures] == [None] * len(pictures)


def test_another_key_reads_nothing():
    marked = signature.embed(textured(5), SIGNATURE_ID, key=b"secret-one")

    assert signature.extract(marked, key=b"secret-one") == SIGNATURE_ID
    assert signature.extract(marked, key=b"secret-two") is None
    assert signature.extract(marked) is None


@pytest.mark.parametrize("signature_id", [0, 1, 2**63, 2**64 - 1])
def test_the_whole_id_range_round_trips(signature_id):
    assert signature.extract(jpeg(signature.embed(textured(6), signature_id))) == signature_id


def test_embedding_is_deterministic():
    picture = textured(8)

    first = np.asarray(signature.embed(picture, SIGNATURE_ID))
    second = np.asarray(signature.embed(picture, SIGNATURE_ID))

    assert np.array_equal(first, second)


@pytest.mark.parametrize("bad", [-1, 2**64, 1.5, True, "12"])
def test_ids_outside_64_bits_are_refused(bad):
    with pytest.raises(ValueError):
        signature.embed(textured(9), bad)


def test_tiny_images_neither_carry_nor_yield_a_signature():
    tiny = Image.new("RGB", (40, 40), "gray")

    with pytest.raises(ValueError):
        signature.embed(tiny, SIGNATURE_ID)
    assert signature.extract(tiny) is None


def test_grayscale_and_alpha_inputs_are_read_as_rgb():
    marked = signature.embed(textured(10).convert("RGBA"), SIGNATURE_ID)

    assert signature.extract(marked.convert("L").convert("RGB")) == SIGNATURE_ID


def test_a_large_photo_sized_jpeg_is_read_at_reduced_scale():
    marked = signature.embed(textured(11, 2048, 1536), SIGNATURE_ID)

    assert signature.extract(jpeg(marked)) == SIGNATURE_ID


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["P", "1", "L", "LA", "RGBA", "I;16"])
def test_an_image_of_any_png_mode_is_read_even_when_large_enough_to_be_reduced(mode):
    picture = textured(3, 1100, 1030)  # over twice the canvas: reduce() refused palette, 1-bit and 16-bit modes
    picture = picture.convert("L").convert("I;16") if mode == "I;16" else picture.convert(mode)
    assert signature.extract(png(picture)) is None


def test_a_16_bit_grey_copy_still_carries_the_signature():
    grey = np.asarray(signature.embed(textured(4), SIGNATURE_ID).convert("L"), dtype=np.uint16)
    sixteen_bit = Image.fromarray(grey * 257)  # 0..65535: converted as it was, every pixel clipped to white
    assert Image.open(io.BytesIO(png(sixteen_bit))).mode == "I;16"
    assert signature.extract(png(sixteen_bit)) == SIGNATURE_ID
