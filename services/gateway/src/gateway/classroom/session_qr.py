"""A session's QR code: a PNG of its join URL (the join page or Android app link, with the code), made by segno."""

import io
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

SCALE, BORDER = 10, 4  # 10 px a module: readable from the back of a room on a projector; the quiet zone QR asks


def join_url(base: str, code: str) -> str:
    """`base` with `code=<code>` added to its query (any query it has is kept)."""
    parts = urlsplit(base)
    query = "&".join(part for part in (parts.query, urlencode({"code": code})) if part)
    return urlunsplit(parts._replace(query=query))


def qr_png(url: str) -> bytes:
    """The URL as a QR code PNG, error correction M or better (segno raises it when the size allows)."""
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(out, kind="png", scale=SCALE, border=BORDER)
    return out.getvalue()
