"""The embedded training engine learns the images' palette and texture, one k-means iteration per epoch."""

import io
import itertools

import numpy as np
import pytest
from PIL import Image
from support.studio_fakes import COLOURS, artwork

from llm_worker.studio import texture
from llm_worker.studio.images import ImageTooLarge, UnreadableImage, training_pixels
from llm_worker.studio.model import InvalidModel, StyleModel
from llm_worker.studio.training import train

MAX_PIXELS = 40_000_000


@pytest.fixture(scope="module")
def images():
    return [training_pixels(artwork(seed, fmt=("PNG", "JPEG", "WEBP")[seed % 3]), MAX_PIXELS) for seed in range(12)]


@pytest.fixture(scope="module")
def trained(images):
    epochs = []
    model = train(images, 8, seed=1, on_epoch=epochs.append)
    return model, epochs


def test_the_palette_holds_the_images_dominant_colours(trained):
    model, _ = trained
    palette = np.array(model.palette, dtype=np.float64)
    weights = np.array(model.weights)

    for colour in COLOURS:
        assert np.linalg.norm(palette - colour, axis=1).min() < 20, f"{colour} is not in {model.palette}"
    top_three = palette[np.argsort(-weights)[:3]]
    assert all(np.linalg.norm(np.array(COLOURS) - c, axis=1).min() < 20 for c in top_three)
    assert abs(sum(model.weights) - 1) < 1e-3


def test_the_palette_runs_darkest_first(trained):
    model, _ = trained
    lightness = [texture.luminance(np.array(c, dtype=np.float64)) for c in model.palette]

    assert lightness == sorted(lightness)


def test_every_epoch_is_reported_and_the_loss_does_not_rise(trained):
    model, epochs = trained

    assert [e.epoch for e in epochs] == list(range(1, 9))
    assert all(e.total == 8 for e in epochs) and epochs[-1].seconds_left == 0
    losses = [e.loss for e in epochs]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(losses))
    assert model.loss <= losses[-1] + 1e-9 and model.epochs == 8 and model.images == 12


def test_the_texture_knows_the_bands_direction(trained):
    model, _ = trained
    # Bands along x + y = c: the gradient points along (1, 1), at 45 degrees.
    assert abs(model.texture.dominant_orientation - np.pi / 4) < 0.2
    assert model.texture.anisotropy > 0.4
    assert 0 < model.texture.edge_density < 1 and model.texture.local_contrast > 0.02


def test_the_same_images_and_seed_learn_the_same_model(images, trained):
    assert train(images, 8, seed=1) == trained[0]


def test_the_model_round_trips_as_json(trained):
    model, _ = trained
    assert StyleModel.from_json(model.to_json()) == model


@pytest.mark.parametrize("raw", [b"not json", b"{}", b'{"format": "other/1"}', b'{"format": "studio-style/1"}'])
def test_junk_is_not_a_model(raw):
    with pytest.raises(InvalidModel):
        StyleModel.from_json(raw)


def test_training_images_are_shrunk_and_scaled_to_unit_floats():
    pixels = training_pixels(artwork(0, 1200, 900, "JPEG"), MAX_PIXELS)

    assert max(pixels.shape[:2]) <= 256 and pixels.shape[2] == 3
    assert pixels.dtype == np.float32 and pixels.min() >= 0 and pixels.max() <= 1


@pytest.mark.parametrize(
    "raw",
    [b"definitely not an image", artwork(1)[:200], b"GIF89a" + b"\x00" * 50],
    ids=["garbage", "truncated-png", "gif"],
)
def test_unreadable_images_are_refused(raw):
    with pytest.raises(UnreadableImage):
        training_pixels(raw, MAX_PIXELS)


def test_too_many_pixels_are_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 3000), "white").save(buffer, "PNG")

    with pytest.raises(ImageTooLarge):
        training_pixels(buffer.getvalue(), max_pixels=1_000_000)
