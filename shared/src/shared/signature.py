"""An invisible 64-bit signature in an image's luminance that survives JPEG and mild resizing.

Payload: 96 bits, the id (64 bits, big-endian) then a CRC-32 over a version tag
and the id. An unmarked image reads as "no signature" twice over: its soft
decisions average a confidence near 0.2 where MIN_CONFIDENCE asks for 0.45
(marked copies read 0.8 to 1.0 after JPEG q85 and resizing), and then its CRC
would have to match by chance (1 in 2**32).

Embedding domain: the luminance is resized to a fixed 256x256 canvas and cut
into 8x8 DCT blocks; twelve low-to-mid frequencies per block (2 <= u+v <= 4)
are shuffled by a keyed permutation into 768 groups of 16. Each group carries
one bit by spread-transform dither modulation: its projection on a keyed
direction is quantised to the bit's lattice (step DELTA, keyed dither). Every
payload bit goes into 8 groups, decoded by summing soft decisions. The change
is made on the canvas, scaled back up to the image's size and added equally to
R, G and B (so the colours keep their hue), then refined twice against what an
extractor actually reads. Extraction resizes any image to the same canvas, so
a resized or re-encoded copy still lines up.
"""

import functools
import hashlib
import io
import zlib

import numpy as np
from PIL import Image

CANVAS = 256
BLOCK = 8
BAND = tuple((u, v) for u in range(BLOCK) for v in range(BLOCK) if 2 <= u + v <= 4)
GROUP = 16
PAYLOAD_BITS = 96
DELTA = 48.0
MIN_CONFIDENCE = 0.45
MIN_SIDE = 64
VERSION_TAG = b"sig1"
DEFAULT_KEY = b"platform-style-studio-signature"
MAX_ID = 2**64 - 1
READABLE_MODES = ("RGB", "RGBA", "L", "LA")
_LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)


def _dct_matrix(n: int = BLOCK) -> np.ndarray:
    k = np.arange(n)
    m = np.cos(np.pi * (2 * k[None, :] + 1) * k[:, None] / (2 * n)) * np.sqrt(2 / n)
    m[0] /= np.sqrt(2)
    return m.astype(np.float64)


_DCT = _dct_matrix()


@functools.lru_cache(maxsize=8)
def _layout(key: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Keyed (coefficient index per group slot, direction, dither, payload bit) of every group."""
    rng = np.random.default_rng(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
    blocks = (CANVAS // BLOCK) ** 2
    total = blocks * len(BAND)
    groups = total // GROUP
    slots = rng.permutation(total)[: groups * GROUP].reshape(groups, GROUP)
    directions = rng.choice([-1.0, 1.0], size=(groups, GROUP)) / np.sqrt(GROUP)
    dither = rng.uniform(0, DELTA, size=groups)
    bits = np.arange(groups) % PAYLOAD_BITS
    return slots, directions, dither, bits


def _payload(signature_id: int) -> np.ndarray:
    raw = signature_id.to_bytes(8, "big")
    crc = zlib.crc32(VERSION_TAG + raw).to_bytes(4, "big")
    return np.unpackbits(np.frombuffer(raw + crc, dtype=np.uint8)).astype(np.int64)


def _read_payload(bits: np.ndarray) -> int | None:
    data = np.packbits(bits.astype(np.uint8)).tobytes()
    raw, crc = data[:8], data[8:12]
    if zlib.crc32(VERSION_TAG + raw).to_bytes(4, "big") != crc:
        return None
    return int.from_bytes(raw, "big")


def _luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb.astype(np.float32) @ _LUMA


def _resize(plane: np.ndarray, width: int, height: int) -> np.ndarray:
    image = Image.fromarray(plane.astype(np.float32), mode="F")
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), dtype=np.float64)


def _band_coefficients(canvas: np.ndarray) -> np.ndarray:
    """The band's DCT coefficients of every 8x8 block of the canvas, flattened."""
    n = CANVAS // BLOCK
    blocks = canvas.reshape(n, BLOCK, n, BLOCK).transpose(0, 2, 1, 3)
    coefficients = _DCT @ blocks @ _DCT.T
    us, vs = zip(*BAND, strict=True)
    return coefficients[:, :, us, vs].reshape(-1)


def _band_to_canvas(values: np.ndarray) -> np.ndarray:
    """The canvas whose blocks hold `values` in the band (zero elsewhere)."""
    n = CANVAS // BLOCK
    coefficients = np.zeros((n, n, BLOCK, BLOCK))
    us, vs = zip(*BAND, strict=True)
    coefficients[:, :, us, vs] = values.reshape(n, n, len(BAND))
    blocks = _DCT.T @ coefficients @ _DCT
    return blocks.transpose(0, 2, 1, 3).reshape(CANVAS, CANVAS)


def _projections(rgb: np.ndarray, key: bytes) -> np.ndarray:
    slots, directions, _, _ = _layout(key)
    canvas = _resize(_luminance(rgb), CANVAS, CANVAS)
    return (_band_coefficients(canvas)[slots] * directions).sum(axis=1)


def _as_rgb(image: "Image.Image | bytes") -> np.ndarray:
    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    return np.asarray(image.convert("RGB"))


def embed(image: "Image.Image | bytes", signature_id: int, key: bytes = DEFAULT_KEY) -> Image.Image:
    """A copy of `image` (RGB) carrying `signature_id`; raises ValueError for a bad id or a tiny image."""
    if isinstance(signature_id, bool) or not isinstance(signature_id, int) or not 0 <= signature_id <= MAX_ID:
        raise ValueError("signature_id must be an unsigned 64-bit integer")
    rgb = _as_rgb(image)
    height, width = rgb.shape[:2]
    if min(width, height) < MIN_SIDE:
        raise ValueError(f"images smaller than {MIN_SIDE}px cannot carry a signature")
    slots, directions, dither, bits = _layout(key)
    offset = dither + _payload(signature_id)[bits] * DELTA / 2
    start = _projections(rgb, key)
    target = np.round((start - offset) / DELTA) * DELTA + offset
    marked = rgb.astype(np.float64)
    current = start
    for _ in range(3):
        change = np.zeros(slots.size)
        change[slots.reshape(-1)] = ((target - current)[:, None] * directions).reshape(-1)
        delta = _resize(_band_to_canvas(change), width, height)
        marked = np.clip(marked + delta[:, :, None], 0, 255)
        current = _projections(np.rint(marked), key)
    return Image.fromarray(np.rint(marked).astype(np.uint8), mode="RGB")


def _for_reading(image: "Image.Image | bytes") -> np.ndarray:
    """RGB pixels at no more than about twice the canvas: a huge upload is shrunk before it is decoded in full."""
    if isinstance(image, bytes | bytearray):
        image = Image.open(io.BytesIO(image))
    image.draft("RGB", (2 * CANVAS, 2 * CANVAS))  # a JPEG decodes at 1/2, 1/4 or 1/8 scale
    image = _reducible(image)
    factor = min(image.size) // (2 * CANVAS)
    if factor >= 2:
        image = image.reduce(factor)
    return np.asarray(image.convert("RGB"))


def _reducible(image: Image.Image) -> Image.Image:
    """The image in a mode reduce() takes, at its true brightness: palette, 1-bit, CMYK and the like become RGB
    (reduce() refused them: "image has wrong mode"), 16-bit grey keeps its top 8 bits (not clipped to white)."""
    if image.mode in READABLE_MODES:
        return image
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("RGB")


def extract(image: "Image.Image | bytes", key: bytes = DEFAULT_KEY) -> int | None:
    """The signature id carried by `image` (any format PIL reads), or None when it carries none."""
    rgb = _for_reading(image)
    if min(rgb.shape[:2]) < MIN_SIDE:
        return None
    _, _, dither, bits = _layout(key)
    phase = 2 * np.pi * (_projections(rgb, key) - dither) / DELTA
    soft = np.bincount(bits, weights=np.cos(phase), minlength=PAYLOAD_BITS)
    repeats = np.bincount(bits, minlength=PAYLOAD_BITS)
    if np.mean(np.abs(soft) / repeats) < MIN_CONFIDENCE:
        return None
    return _read_payload((soft < 0).astype(np.int64))


def psnr(original: "Image.Image | bytes", changed: "Image.Image | bytes") -> float:
    """Peak signal-to-noise ratio in dB between two images of the same size (inf when identical)."""
    a, b = _as_rgb(original).astype(np.float64), _as_rgb(changed).astype(np.float64)
    mse = float(np.mean((a - b) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(255.0**2 / mse)
