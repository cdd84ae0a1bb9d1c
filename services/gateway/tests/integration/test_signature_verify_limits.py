"""POST /api/signatures/verify, anonymous and costly: any PNG mode read, a pixel budget, a rate limit, one part only."""

import io
import uuid

import numpy as np
import pytest
from PIL import Image
from studio_kit import SIGNATURE_KEY

from gateway.app import create_app
from shared import signature
from shared.testing import png_header_only


def picture(width: int, height: int, seed: int = 0) -> Image.Image:
    """Soft colour fields: large enough images stay small as PNGs."""
    rng = np.random.default_rng(seed)
    small = Image.fromarray(rng.integers(0, 256, size=(height // 64, width // 64, 3), dtype=np.uint8))
    return small.resize((width, height), Image.Resampling.BICUBIC)


def encoded(image: Image.Image, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def verify(client, data: bytes, ip: str = "127.0.0.1", **extra):
    return client.post(
        "/api/signatures/verify",
        data={"image": (io.BytesIO(data), "i.png"), **extra},
        content_type="multipart/form-data",
        environ_base={"REMOTE_ADDR": ip},
    )


def app_with(studio_settings, redis_prefix, **changes):
    update = {"rate_limit_prefix": f"{redis_prefix}:rl-{uuid.uuid4().hex[:8]}", **changes}
    return create_app(studio_settings.model_copy(update=update)).test_client()


MODES = {
    "palette": lambda image: image.convert("P", palette=Image.Palette.ADAPTIVE),
    "1-bit": lambda image: image.convert("1"),
    "grey": lambda image: image.convert("L"),
    "grey and alpha": lambda image: image.convert("LA"),
    "RGBA": lambda image: image.convert("RGBA"),
    "16-bit grey": lambda image: Image.fromarray(np.asarray(image.convert("L"), dtype=np.uint16) * 257),
}


@pytest.mark.parametrize("mode", list(MODES))
def test_a_png_of_any_mode_is_read_not_a_server_error(studio, mode):
    image = MODES[mode](picture(1100, 1040))  # over 1,024 px: reduced before reading, which refused these modes
    response = verify(studio.client, encoded(image))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.json == {"found": False, "detail": "no signature found"}


def test_a_cmyk_jpeg_is_read_too(studio):
    response = verify(studio.client, encoded(picture(1100, 1040).convert("CMYK"), "JPEG"))
    assert response.status_code == 200 and response.json["found"] is False


def test_a_signed_image_saved_as_16_bit_grey_still_names_its_signature(studio):
    signed = signature.embed(picture(600, 600, seed=5), 987654321, SIGNATURE_KEY.encode())
    sixteen_bit = Image.fromarray(np.asarray(signed.convert("L"), dtype=np.uint16) * 257)
    response = verify(studio.client, encoded(sixteen_bit))
    assert response.status_code == 200
    assert response.json == {"found": False, "detail": "the image carries a signature this platform did not issue"}


def test_an_image_over_the_pixel_budget_is_refused_from_its_header(studio_settings, redis_prefix):
    client = app_with(studio_settings, redis_prefix, signature_verify_max_pixels=500 * 500)
    assert verify(client, encoded(picture(500, 500))).status_code == 200
    refused = verify(client, encoded(picture(640, 400)))
    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert "640x400 (256,000 pixels): at most 250,000" in refused.json["detail"]
    assert refused.json["errors"][0]["pointer"] == "/image"
    bomb = verify(client, png_header_only(60_000, 60_000))  # 3.6 billion pixels claimed: never decoded
    assert bomb.status_code == 422 and "at most 250,000" in bomb.json["detail"]


def test_the_default_budget_refuses_what_8192_px_a_side_let_through(studio):
    refused = verify(studio.client, png_header_only(8000, 8000))  # 64 M pixels: 256 MB decoded, per request
    assert refused.status_code == 422 and "at most 16,777,216 are read" in refused.json["detail"]


def test_verifications_are_limited_per_client_address(studio_settings, redis_prefix):
    client = app_with(studio_settings, redis_prefix, rate_limit_signature_verify_per_ip="3/minute")
    image = encoded(picture(256, 256))
    assert [verify(client, image, "10.1.0.1").status_code for _ in range(3)] == [200, 200, 200]
    refused = verify(client, image, "10.1.0.1")
    assert refused.status_code == 429 and refused.content_type == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert verify(client, b"not even an image", "10.1.0.1").status_code == 429  # counted before the body is read
    assert verify(client, image, "10.1.0.2").status_code == 200  # another address has its own budget


def test_a_part_besides_the_image_is_refused(studio):
    image = encoded(picture(256, 256))
    with_text = verify(studio.client, image, note="hello")
    assert with_text.status_code == 422 and with_text.content_type == "application/problem+json"
    assert with_text.json["errors"] == [{"location": "form", "pointer": "/note", "detail": "Unknown field."}]
    with_file = verify(studio.client, image, other=(io.BytesIO(b"x"), "x.txt"))
    assert with_file.status_code == 422
    assert [error["pointer"] for error in with_file.json["errors"]] == ["/other"]
