"""When the bytes read from a connection hold a whole request: its head, and its body when that is small.

This only frames; the HTTP grammar stays gunicorn's. A head that is whole but
wrong (a bad Content-Length, a forbidden header) is handed over as it is, and
gunicorn's parser refuses it.
"""

import enum
from dataclasses import dataclass

HEAD_END = b"\r\n\r\n"
LENGTH = b"\r\ncontent-length:"


class Verdict(enum.Enum):
    """What to do with a connection, given what it has sent so far."""

    MORE = "more"  # wait for more bytes
    READY = "ready"  # serve it: the request is in hand, or its body streams
    URI_TOO_LONG = 414  # the request line alone outgrows the limit
    HEAD_TOO_LARGE = 431  # the head outgrows the limit


@dataclass(frozen=True)
class Framing:
    """The limits: the request line, the whole head, and the body read along with the head."""

    line_max: int
    head_max: int
    body_max: int

    def assess(self, data: bytes) -> Verdict:
        """The verdict on a connection that has sent `data` so far."""
        end = data.find(HEAD_END)
        if end < 0 or end > self.head_max:
            return self._unfinished(data)
        length = _body_to_wait_for(data[: end + 2])
        if length > self.body_max or len(data) >= end + len(HEAD_END) + length:
            return Verdict.READY
        return Verdict.MORE

    def _unfinished(self, data: bytes) -> Verdict:
        line_end = data.find(b"\r\n", 2)  # RFC 9112 2.2: one empty line may come before the request line
        if (line_end < 0 and len(data) > self.line_max + 2) or line_end > self.line_max + 2:
            return Verdict.URI_TOO_LONG
        if len(data) > self.head_max:
            return Verdict.HEAD_TOO_LARGE
        return Verdict.MORE


def _body_to_wait_for(head: bytes) -> int:
    """Body bytes to read along with this head: 0 when it has none, streams it, or will be refused.

    The head is only searched, not parsed (the usual one costs a microsecond):
    a field this misreads is one gunicorn refuses anyway, and reading less
    ahead than it could only means a body streams.
    """
    lowered = head.lower()
    start = lowered.find(LENGTH)
    if start < 0 or b"\r\ntransfer-encoding:" in lowered or b"100-continue" in lowered:
        return 0  # no body; a chunked one streams; a client expecting 100 Continue sends nothing before it
    if lowered.find(LENGTH, start + len(LENGTH)) >= 0:
        return 0  # repeated: gunicorn refuses it
    value = head[start + len(LENGTH) : head.find(b"\r\n", start + len(LENGTH))].strip(b" \t")
    return int(value) if value.isdigit() and len(value) <= 18 else 0
