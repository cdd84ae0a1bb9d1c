"""The URLs of images are the service's to compute; the response schemas only show them."""

import types

import pytest

from gateway.studio.generations_schemas import GenerationSchema
from gateway.studio.media import image_url, preview_urls
from gateway.studio.styles_schemas import StyleSchema

pytestmark = pytest.mark.unit


class FakeStore:
    """An object store's URLs: the plain path of a public file, a signed one of any other; nothing stored."""

    def url(self, key: str, expires: int = 3600, public: bool = False) -> str:
        return f"/media/{key}" if public else f"/media/{key}?X-Amz-Signature=fake"


def _generation(status: str, public: bool, key: str | None = "generations/g.png"):
    return types.SimpleNamespace(status=status, is_public=public, result_key=key)


def _style(status: str, visibility: str):
    return types.SimpleNamespace(status=status, visibility=visibility, preview_keys=["styles/s/images/1.png"])


@pytest.mark.parametrize(
    ("generation", "expected"),
    [
        (_generation("completed", True), "/media/generations/g.png"),
        (_generation("completed", False), "/media/generations/g.png?X-Amz-Signature=fake"),
        (_generation("processing", True), None),
        (_generation("completed", True, key=None), None),
    ],
    ids=["public", "private: signed", "unfinished", "no image"],
)
def test_a_generations_image_url(generation, expected):
    assert image_url(FakeStore(), generation) == expected


@pytest.mark.parametrize(
    ("style", "signed"),
    [
        (_style("completed", "public"), False),
        (_style("completed", "private"), True),
        (_style("queued", "public"), True),
    ],
    ids=["trained public", "private", "untrained"],
)
def test_a_styles_preview_urls(style, signed):
    (url,) = preview_urls(FakeStore(), style)
    assert url.startswith("/media/styles/s/images/1.png") and ("X-Amz-Signature" in url) == signed


def test_the_schemas_show_the_urls_the_service_set_outside_any_app():
    """No app, no request: a dump that reached for the store would fail here."""
    generation = types.SimpleNamespace(**vars(_generation("completed", False)), image_url="/media/signed")
    assert GenerationSchema(only=("image_url",)).dump(generation) == {"image_url": "/media/signed"}
    style = types.SimpleNamespace(**vars(_style("completed", "private")), preview_urls=["/media/signed"])
    assert StyleSchema(only=("preview_urls",)).dump(style) == {"preview_urls": ["/media/signed"]}
