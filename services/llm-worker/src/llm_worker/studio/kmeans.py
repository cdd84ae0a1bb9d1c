"""Seeded k-means on colour samples: k-means++ start, then one Lloyd iteration per call."""

import numpy as np


def initial_centres(samples: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k-means++: each next centre drawn with probability proportional to its squared distance."""
    centres = [samples[rng.integers(len(samples))]]
    nearest = ((samples - centres[0]) ** 2).sum(axis=1)
    for _ in range(1, k):
        total = nearest.sum()
        index = rng.choice(len(samples), p=nearest / total) if total > 0 else rng.integers(len(samples))
        centres.append(samples[index])
        nearest = np.minimum(nearest, ((samples - samples[index]) ** 2).sum(axis=1))
    return np.array(centres)


def assign(samples: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(index of the nearest centre, squared distance to it) per sample."""
    distances = (samples**2).sum(axis=1)[:, None] - 2 * samples @ centres.T + (centres**2).sum(axis=1)[None, :]
    labels = distances.argmin(axis=1)
    return labels, np.maximum(distances[np.arange(len(samples)), labels], 0)


def lloyd_step(samples: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, float]:
    """Move every centre to the mean of its samples; (new centres, inertia before the move)."""
    labels, distances = assign(samples, centres)
    k = len(centres)
    counts = np.bincount(labels, minlength=k)
    sums = np.stack([np.bincount(labels, weights=samples[:, c], minlength=k) for c in range(samples.shape[1])], 1)
    moved = centres.copy()
    filled = counts > 0
    moved[filled] = sums[filled] / counts[filled, None]
    for empty in np.flatnonzero(~filled):  # an empty centre restarts at the worst-served sample
        worst = distances.argmax()
        moved[empty] = samples[worst]
        distances[worst] = 0
    return moved, float(distances.mean())
