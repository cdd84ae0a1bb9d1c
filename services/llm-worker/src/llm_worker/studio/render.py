"""The embedded image engine: a seeded procedural composition in the style's palette and texture.

The canvas is a noise field synthesised in the frequency domain with the
style's spectral slope and edge orientations, warped by a slow flow field and
overlaid with soft shapes. It is painted with the palette so that each colour
covers the share of the canvas it had in the training images, and grained with
the style's local contrast. The tags (order and case do not matter) and the
seed decide the composition; the same inputs give the same pixels.
"""

import hashlib

import numpy as np
from PIL import Image

from llm_worker.studio.engines import RenderRequest
from llm_worker.studio.model import StyleModel

LUT_SIZE = 2048
# Tags that mean something to the composition; any other tag still moves it, through its hash.
MOODS = {
    "calm": {"shapes": -3, "warp": -0.5},
    "minimal": {"shapes": -4, "detail": -0.5},
    "dense": {"shapes": 4, "detail": 0.5},
    "chaotic": {"warp": 1.0, "shapes": 3},
    "flow": {"warp": 0.8},
    "dark": {"light": -0.35},
    "night": {"light": -0.35},
    "bright": {"light": 0.35},
    "day": {"light": 0.25},
}


def normalise_tags(tags) -> tuple[str, ...]:
    return tuple(sorted({" ".join(str(t).lower().split()) for t in tags} - {""}))


def _rng(model: StyleModel, request: RenderRequest) -> np.random.Generator:
    material = model.fingerprint() + f"|{request.seed}|{request.width}x{request.height}|".encode()
    material += "\x1f".join(normalise_tags(request.tags)).encode()
    return np.random.default_rng(int.from_bytes(hashlib.sha256(material).digest()[:16], "big"))


def _composition(tags: tuple[str, ...], rng: np.random.Generator) -> dict:
    params = {"shapes": 6 + int(rng.integers(0, 5)), "warp": 0.6 + rng.uniform(0, 0.6), "detail": 1.0, "light": 0.0}
    for tag in tags:
        for name, nudge in MOODS.get(tag, {}).items():
            params[name] += nudge
        digest = hashlib.sha256(tag.encode()).digest()
        params["warp"] += (digest[0] / 255 - 0.5) * 0.4
        params["shapes"] += digest[1] % 3 - 1
    params["shapes"] = int(np.clip(params["shapes"], 0, 16))
    params["warp"] = float(np.clip(params["warp"], 0.0, 2.5))
    params["detail"] = float(np.clip(params["detail"], 0.2, 2.0))
    params["light"] = float(np.clip(params["light"], -0.6, 0.6))
    return params


def _spectral_noise(rng, height: int, width: int, slope: float, orientation: np.ndarray | None) -> np.ndarray:
    """Gaussian noise with power ~ 1/f**slope, its energy per direction shaped like `orientation`."""
    fy = np.fft.fftfreq(height).astype(np.float32)[:, None]
    fx = np.fft.rfftfreq(width).astype(np.float32)[None, :]
    radius = np.hypot(fy, fx)
    amplitude = (radius + np.float32(1.0 / max(height, width))) ** np.float32(-slope / 2)
    if orientation is not None:
        bins = len(orientation)
        angle = np.mod(np.arctan2(fy, fx), np.pi) * np.float32(bins / np.pi)
        low = np.floor(angle).astype(np.int64)
        frac = angle - low
        weights = (np.asarray(orientation, dtype=np.float32) * bins + np.float32(0.15)).take([*range(bins), 0])
        amplitude *= np.sqrt(weights[low % bins] * (1 - frac) + weights[low % bins + 1] * frac)
    amplitude[0, 0] = 0
    spectrum = rng.standard_normal(radius.shape, dtype=np.float32) * amplitude
    spectrum = spectrum + 1j * (rng.standard_normal(radius.shape, dtype=np.float32) * amplitude)
    field = np.fft.irfft2(spectrum, s=(height, width)).astype(np.float32)
    return (field - field.mean()) / (field.std() + np.float32(1e-12))


def _resize(field: np.ndarray, width: int, height: int) -> np.ndarray:
    image = Image.fromarray(field.astype(np.float32), mode="F")
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR))


def _warp(field: np.ndarray, dx: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """`field` sampled at (x + dx, y + dy), bilinear, wrapping at the edges."""
    height, width = field.shape
    x = np.arange(width, dtype=np.float32)[None, :] + dx
    y = np.arange(height, dtype=np.float32)[:, None] + dy
    x0, y0 = np.floor(x), np.floor(y)
    fx, fy = x - x0, y - y0
    x0 = x0.astype(np.int64) % width
    y0 = y0.astype(np.int64) % height
    x1, y1 = (x0 + 1) % width, (y0 + 1) % height
    flat = field.ravel()
    row0, row1 = y0 * width, y1 * width
    top = flat[row0 + x0] * (1 - fx) + flat[row0 + x1] * fx
    bottom = flat[row1 + x0] * (1 - fx) + flat[row1 + x1] * fx
    return top * (1 - fy) + bottom * fy


def _shapes(rng, height: int, width: int, count: int) -> np.ndarray:
    """Soft ellipses, each lifting or sinking the field where it lies."""
    side = max(height, width)
    ys = (np.arange(height, dtype=np.float32) / side)[:, None]
    xs = (np.arange(width, dtype=np.float32) / side)[None, :]
    layer = np.zeros((height, width), dtype=np.float32)
    for _ in range(count):
        cx, cy = rng.uniform(0, width / side), rng.uniform(0, height / side)
        rx, ry = rng.uniform(0.05, 0.3), rng.uniform(0.05, 0.3)
        turn = rng.uniform(0, np.pi)
        cos, sin = np.float32(np.cos(turn)), np.float32(np.sin(turn))
        u = ((xs - cx) * cos + (ys - cy) * sin) / np.float32(rx)
        v = ((ys - cy) * cos - (xs - cx) * sin) / np.float32(ry)
        inside = 1 / (1 + np.exp(np.clip((u * u + v * v - 1) * 8, -30, 30)))
        layer += inside * np.float32(rng.choice([-1.0, 1.0]) * rng.uniform(0.8, 1.8))
    return layer


def _paint(field: np.ndarray, palette: np.ndarray, weights: np.ndarray, light: float) -> np.ndarray:
    """Colour by quantile bands, so each palette colour covers about its learned share of the canvas."""
    shares = np.clip(np.asarray(weights) * np.exp(light * np.linspace(-2, 2, len(weights))), 1e-4, None)
    sample = field[::4, ::4].ravel()
    thresholds = np.quantile(sample, np.cumsum(shares / shares.sum())[:-1])
    low, high = float(sample.min()), float(sample.max())
    levels = np.linspace(low, high, LUT_SIZE)
    softness = 0.04 * sample.std()
    lut = np.broadcast_to(palette[0], (LUT_SIZE, 3)).astype(np.float32)
    for index, threshold in enumerate(thresholds, start=1):
        step = 1 / (1 + np.exp(np.clip((threshold - levels) / softness, -30, 30)))
        lut = lut + step[:, None].astype(np.float32) * (palette[index] - palette[index - 1])
    position = np.clip((field - low) * np.float32((LUT_SIZE - 1) / max(high - low, 1e-9)), 0, LUT_SIZE - 1)
    return lut[np.rint(position).astype(np.int64)]


class EmbeddedEngine:
    """Offline, free and deterministic: a redelivery may render again and gets the same pixels."""

    name = "embedded"
    billable = False
    expected_seconds = 0.1

    def render(self, model: StyleModel, request: RenderRequest) -> Image.Image:
        rng = _rng(model, request)
        params = _composition(normalise_tags(request.tags), rng)
        height, width = request.height, request.width
        # The composition is smooth: it is built at half size; the grain then comes at full size.
        half_h, half_w = (height + 1) // 2, (width + 1) // 2
        style = model.texture
        orientation = np.asarray(style.orientation_histogram, dtype=np.float32)
        base = _spectral_noise(rng, half_h, half_w, max(style.spectral_slope, 1.6) + 0.8, orientation)
        flow = params["warp"] * max(half_h, half_w) * 0.04
        small_h, small_w = max(half_h // 8, 8), max(half_w // 8, 8)
        dx = _resize(_spectral_noise(rng, small_h, small_w, 4.0, None) * flow, half_w, half_h)
        dy = _resize(_spectral_noise(rng, small_h, small_w, 4.0, None) * flow, half_w, half_h)
        field = _warp(base, dx, dy) + _shapes(rng, half_h, half_w, params["shapes"])
        field = _resize(field, width, height)
        palette = np.asarray(model.palette, dtype=np.float32)
        rgb = _paint(field, palette, np.asarray(model.weights), params["light"])
        grain = _spectral_noise(rng, height, width, max(style.spectral_slope - 1.0, 0.3), orientation)
        strength = np.float32(255 * style.local_contrast * 0.35 * params["detail"])
        rgb += (grain * strength)[:, :, None]
        return Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), mode="RGB")
