"""The connections a worker holds without serving them: those whose request is still arriving, and refused ones.

Each waits in the worker's selector. One still arriving has a deadline (the
head timeout after its connect); one refused is answered without blocking,
half-closed, and drained until the client closes or LINGER_SECONDS pass, so
that its unread bytes cannot turn the close into a reset that loses the answer
(RFC 9112 9.6). Deadlines only grow within each group, so the oldest of a
group (the first in its dict) is always the next to expire.
"""

import selectors
import socket
from dataclasses import dataclass

from gateway.serving import answers

LINGER_SECONDS = 2.0


@dataclass(eq=False, slots=True)
class Arrival:
    """An accepted connection and what it has sent so far."""

    sock: socket.socket
    addr: object
    listener: object
    kind: tuple[int, int, int]  # the listener's family, type and protocol
    deadline: float
    data: bytes | bytearray = b""
    watched: bool = False
    refused: bool = False
    done: bool = False

    def add(self, chunk: bytes) -> None:
        """Keep what arrived: the first piece as it came (no copy), later ones gathered in a bytearray."""
        if not self.data:
            self.data = chunk
        elif isinstance(self.data, bytearray):
            self.data += chunk
        else:
            self.data = bytearray(self.data) + chunk


class Arrivals:
    """The arriving and the refused connections of one worker, watched by its selector."""

    def __init__(self, selector: selectors.BaseSelector, log):
        self.selector, self.log = selector, log
        self.arriving: dict[int, Arrival] = {}  # by descriptor, oldest first
        self.closing: dict[int, Arrival] = {}

    def __len__(self) -> int:
        return len(self.arriving) + len(self.closing)

    def wait(self, arrival: Arrival) -> None:
        """Read more of it once more has come."""
        self._watch(arrival, self.arriving)

    def release(self, arrival: Arrival) -> None:
        """Its request is in hand: it leaves the selector, to be served."""
        self._unwatch(arrival)
        arrival.done = True

    def refuse(self, arrival: Arrival, answer: tuple[int, str], now: float) -> None:
        """Answer without blocking, then drain what the client still sends until it closes or lingers too long."""
        self.log.debug("Refused a request from %s before serving it: %s", ip_of(arrival.addr), answer[0])
        try:
            arrival.sock.send(answers.render(*answer), socket.MSG_DONTWAIT)
            arrival.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.close(arrival)
            return
        self._unwatch(arrival)
        arrival.refused, arrival.data, arrival.deadline = True, b"", now + LINGER_SECONDS
        self._watch(arrival, self.closing)

    def close(self, arrival: Arrival) -> None:
        self._unwatch(arrival)
        arrival.done = True
        arrival.sock.close()

    def expire(self, now: float) -> None:
        """A 408 for each one past its deadline; a close for each refused one done lingering."""
        while self.arriving and (oldest := _first(self.arriving)).deadline <= now:
            self.refuse(oldest, answers.TIMED_OUT, now)
        while self.closing and (oldest := _first(self.closing)).deadline <= now:
            self.close(oldest)

    def shed(self, now: float, at_once: bool) -> bool:
        """Make room: the oldest refused one closes, else the oldest arriving one is refused 503; False if none."""
        if self.closing:
            self.close(_first(self.closing))
            return True
        if not self.arriving:
            return False
        oldest = _first(self.arriving)
        self.log.warning("Too many requests still arriving: refusing the oldest, from %s", ip_of(oldest.addr))
        self.refuse(oldest, answers.OVERLOADED, now)
        if at_once:
            self.close(oldest)
        return True

    def timeout(self, now: float, longest: float) -> float:
        """How long the selector may wait: until the next deadline, and never more than `longest`."""
        deadlines = [_first(group).deadline for group in (self.arriving, self.closing) if group]
        return max(0.0, min([longest, *(deadline - now for deadline in deadlines)]))

    def close_all(self) -> None:
        for arrival in [*self.arriving.values(), *self.closing.values()]:
            self.close(arrival)

    def _watch(self, arrival: Arrival, group: dict[int, Arrival]) -> None:
        if not arrival.watched:
            self.selector.register(arrival.sock, selectors.EVENT_READ, arrival)
            arrival.watched = True
            group[arrival.sock.fileno()] = arrival

    def _unwatch(self, arrival: Arrival) -> None:
        if arrival.watched:
            fd = arrival.sock.fileno()
            self.selector.unregister(arrival.sock)
            (self.closing if arrival.refused else self.arriving).pop(fd, None)
            arrival.watched = False


def _first(group: dict[int, Arrival]) -> Arrival:
    return next(iter(group.values()))


def ip_of(addr) -> str:
    return addr[0] if isinstance(addr, tuple) and addr else "a unix socket"
