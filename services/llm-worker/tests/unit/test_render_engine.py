"""The embedded image engine: deterministic, the requested size, visibly in the style's palette, signable."""

import numpy as np
import pytest
from support.studio_fakes import artwork

from llm_worker.studio.engines import RenderRequest
from llm_worker.studio.images import training_pixels
from llm_worker.studio.render import EmbeddedEngine
from llm_worker.studio.training import train
from shared import signature
from shared.messages.styles import ASPECT_RATIO_SIZES

ENGINE = EmbeddedEngine()


@pytest.fixture(scope="module")
def model():
    return train([training_pixels(artwork(seed), 40_000_000) for seed in range(10)], 10, seed=3)


def render(model, tags=("sea", "night"), seed=42, ratio="1:1"):
    return np.asarray(ENGINE.render(model, RenderRequest(tuple(tags), seed, *ASPECT_RATIO_SIZES[ratio])))


@pytest.mark.parametrize(("ratio", "shape"), [("1:1", (512, 512)), ("2:2", (1024, 1024)), ("1:2", (1024, 512))])
def test_sizes_follow_the_aspect_ratio(model, ratio, shape):
    assert render(model, ratio=ratio).shape == (*shape, 3)


def test_the_same_inputs_give_identical_pixels(model):
    assert np.array_equal(render(model), render(model))


def test_tag_order_case_and_spacing_do_not_matter(model):
    assert np.array_equal(render(model, ["Sea", " night "]), render(model, ["night", "sea"]))


@pytest.mark.parametrize("change", [{"seed": 43}, {"tags": ("sea", "day")}, {"tags": ()}])
def test_another_seed_or_tags_give_another_image(model, change):
    assert not np.array_equal(render(model), render(model, **change))


def test_the_image_is_painted_in_the_palette(model):
    pixels = render(model).reshape(-1, 3).astype(np.float64)
    palette = np.array(model.palette, dtype=np.float64)
    nearest = np.linalg.norm(pixels[:, None, :] - palette[None], axis=2)

    assert (nearest.min(axis=1) < 40).mean() > 0.9
    shares = np.bincount(nearest.argmin(axis=1), minlength=len(palette)) / len(pixels)
    dominant = int(np.argmax(model.weights))
    assert shares[dominant] > 0.5 * model.weights[dominant]


def test_another_style_gives_another_image(model):
    other = train([training_pixels(artwork(seed, fmt="JPEG"), 40_000_000) for seed in range(20, 23)], 3, seed=4)
    assert not np.array_equal(render(model), render(other))


def test_a_512_render_carries_the_signature_it_is_given(model):
    """The worker signs every render; its speed is measured by `make bench-generations`, never asserted here."""
    for seed in range(3):
        image = ENGINE.render(model, RenderRequest(("sea",), seed, 512, 512))
        assert signature.extract(signature.embed(image, 1000 + seed)) == 1000 + seed
