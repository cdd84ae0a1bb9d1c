"""Texture and edge statistics of an image: gradients, orientations, local contrast, spectral slope."""

import numpy as np

ORIENTATION_BINS = 8
GRADIENT_EDGES = np.linspace(0, 0.5, 13)
EDGE_THRESHOLD = 0.08


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.299, 0.587, 0.114], dtype=rgb.dtype)


def spectral_slope(gray: np.ndarray) -> float:
    """beta of the radially averaged power spectrum P(f) ~ 1/f**beta, fitted over the mid frequencies."""
    h, w = gray.shape
    window = np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.rfft2((gray - gray.mean()) * window)) ** 2
    fy = np.fft.fftfreq(h)[:, None]
    fx = np.fft.rfftfreq(w)[None, :]
    radius = np.hypot(fy, fx)
    edges = np.geomspace(2 / min(h, w), 0.5, 12)
    bins = np.digitize(radius, edges)
    centres, levels = [], []
    for b in range(1, len(edges)):
        ring = power[bins == b]
        if ring.size and ring.mean() > 0:
            centres.append(np.sqrt(edges[b - 1] * edges[b]))
            levels.append(ring.mean())
    if len(centres) < 3:
        return 2.0
    slope = -np.polyfit(np.log(centres), np.log(levels), 1)[0]
    return float(np.clip(slope, 0.5, 4.0))


def local_contrast(gray: np.ndarray, size: int = 8) -> float:
    """Mean standard deviation of size x size patches."""
    h, w = (gray.shape[0] // size) * size, (gray.shape[1] // size) * size
    if not h or not w:
        return float(gray.std())
    patches = gray[:h, :w].reshape(h // size, size, w // size, size)
    return float(patches.std(axis=(1, 3)).mean())


def statistics(gray: np.ndarray) -> dict:
    """The texture statistics of one grayscale image (values in [0, 1])."""
    gy, gx = np.gradient(gray)
    magnitude = np.hypot(gx, gy)
    angle = np.mod(np.arctan2(gy, gx), np.pi)
    orientation, _ = np.histogram(angle, bins=ORIENTATION_BINS, range=(0, np.pi), weights=magnitude)
    gradients, _ = np.histogram(np.minimum(magnitude, GRADIENT_EDGES[-1] - 1e-9), bins=GRADIENT_EDGES)
    return {
        "orientation": orientation,
        "gradients": gradients / magnitude.size,
        "doubled_angle": (magnitude * np.exp(2j * angle)).sum(),
        "magnitude_sum": magnitude.sum(),
        "edge_density": float((magnitude > EDGE_THRESHOLD).mean()),
        "local_contrast": local_contrast(gray),
        "spectral_slope": spectral_slope(gray),
        "mean": float(gray.mean()),
        "std": float(gray.std()),
    }
