"""The embedded training engine: a k-means palette and texture statistics, learned from the images.

An epoch is one Lloyd iteration of k-means over colour samples of every image;
its inertia is the epoch's loss. The texture statistics are computed once, up
front, from the same images.
"""

import dataclasses
import time
from collections.abc import Callable

import numpy as np

from llm_worker.studio import kmeans, texture
from llm_worker.studio.model import StyleModel, Texture

SAMPLES_PER_IMAGE = 4096
MERGE_DISTANCE = 0.04  # centres closer than this (RGB in [0, 1]) are one colour of the palette


@dataclasses.dataclass(frozen=True)
class EpochDone:
    """What one epoch achieved, for progress reports."""

    epoch: int
    total: int
    loss: float
    seconds_left: float


def _texture(images: list[np.ndarray]) -> Texture:
    stats = [texture.statistics(texture.luminance(image)) for image in images]
    orientation = sum(s["orientation"] for s in stats)
    doubled = sum(s["doubled_angle"] for s in stats)
    magnitude = sum(s["magnitude_sum"] for s in stats)
    return Texture(
        spectral_slope=float(np.mean([s["spectral_slope"] for s in stats])),
        orientation_histogram=_rounded(orientation / orientation.sum() if orientation.sum() else orientation + 1 / 8),
        dominant_orientation=round(float(np.mod(np.angle(doubled) / 2, np.pi)), 4),
        anisotropy=round(float(abs(doubled) / magnitude) if magnitude else 0.0, 4),
        gradient_histogram=_rounded(np.mean([s["gradients"] for s in stats], axis=0)),
        edge_density=round(float(np.mean([s["edge_density"] for s in stats])), 4),
        local_contrast=round(float(np.mean([s["local_contrast"] for s in stats])), 4),
        mean_luminance=round(float(np.mean([s["mean"] for s in stats])), 4),
        luminance_std=round(float(np.mean([s["std"] for s in stats])), 4),
    )


def _rounded(values: np.ndarray) -> list[float]:
    return [round(float(v), 5) for v in values]


def _samples(images: list[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    picked = []
    for image in images:
        pixels = image.reshape(-1, 3)
        count = min(SAMPLES_PER_IMAGE, len(pixels))
        picked.append(pixels[rng.choice(len(pixels), size=count, replace=False)])
    return np.concatenate(picked).astype(np.float64)


def _palette(samples: np.ndarray, centres: np.ndarray) -> tuple[list[list[int]], list[float]]:
    """Merge near-duplicate centres, weigh each by its samples, order darkest first."""
    labels, _ = kmeans.assign(samples, centres)
    counts = np.bincount(labels, minlength=len(centres)).astype(np.float64)
    order = np.argsort(-counts)
    kept: list[tuple[np.ndarray, float]] = []
    for index in order:
        if counts[index] == 0:
            continue
        for position, (centre, weight) in enumerate(kept):
            if np.linalg.norm(centre - centres[index]) < MERGE_DISTANCE:
                kept[position] = (centre, weight + counts[index])
                break
        else:
            kept.append((centres[index], counts[index]))
    kept.sort(key=lambda item: float(texture.luminance(item[0])))
    total = sum(weight for _, weight in kept)
    palette = [[int(c) for c in np.rint(np.clip(centre, 0, 1) * 255)] for centre, _ in kept]
    return palette, [round(float(weight / total), 5) for _, weight in kept]


def train(
    images: list[np.ndarray],
    epochs: int,
    seed: int,
    palette_size: int = 8,
    on_epoch: Callable[[EpochDone], None] | None = None,
) -> StyleModel:
    """Learn a style from RGB images (float arrays in [0, 1]); `on_epoch` hears about every epoch."""
    if not images:
        raise ValueError("training needs at least one image")
    rng = np.random.default_rng(seed)
    style_texture = _texture(images)
    samples = _samples(images, rng)
    centres = kmeans.initial_centres(samples, min(palette_size, len(samples)), rng)
    started = time.monotonic()
    loss = 0.0
    for epoch in range(1, epochs + 1):
        centres, loss = kmeans.lloyd_step(samples, centres)
        if on_epoch:
            per_epoch = (time.monotonic() - started) / epoch
            on_epoch(EpochDone(epoch, epochs, loss, per_epoch * (epochs - epoch)))
    palette, weights = _palette(samples, centres)
    _, distances = kmeans.assign(samples, centres)
    loss = float(distances.mean())
    return StyleModel(palette, weights, style_texture, round(loss, 6), epochs, len(images))
