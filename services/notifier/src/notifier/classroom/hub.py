"""The classroom sockets of this replica, by session and by lecture, and the fan-out of each session's events.

A broker message is a wake-up: the replica records the event in the session's log (log.py) and reads the log
after its cursor, the last seq it fanned out, under the session's lock. It hands out only the unbroken run
after the cursor: an event that overtook an earlier one (two relays, a retry) waits for it. A gap still open
after `gap_grace` seconds (the earlier event is lost to this replica) is closed by sending the session's
state at the newest seq instead, which covers every event up to it. A joining socket reads the log under the
same lock, so what it is given at join and what the fan-out gives it later neither overlap nor leave a gap.
"""

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import AsyncIterator, Callable

from notifier.classroom.log import Row, SessionLog, contiguous
from notifier.classroom.watchers import DASHBOARD, Watcher
from shared.messages.classroom import SessionEvent

log = logging.getLogger(__name__)
Greeting = Callable[[bool], str]  # resumed -> the join_confirmed message, queued before the state or events


@dataclasses.dataclass(eq=False)
class SessionFeed:
    """A session followed on this replica: its sockets, and the last seq fanned out to them."""

    session_id: str
    lecture_id: str
    watchers: set[Watcher] = dataclasses.field(default_factory=set)
    cursor: int | None = None
    lock: asyncio.Lock = dataclasses.field(default_factory=asyncio.Lock)
    holders: int = 0  # joins, wake-ups and gap checks holding the lock or waiting for it
    gap_check: asyncio.TimerHandle | None = None


class ClassroomHub:
    """Sockets by session (learners, instructors) and by lecture (dashboards); fans events out in seq order."""

    def __init__(self, session_log: SessionLog, gap_grace: float = 1.0):
        self._log = session_log
        self._gap_grace = gap_grace
        self._feeds: dict[str, SessionFeed] = {}
        self._dashboards: dict[str, set[Watcher]] = {}
        self._everyone: set[Watcher] = set()
        self._gap_checks: set[asyncio.Task] = set()

    @property
    def connections(self) -> int:
        return len(self._everyone)

    def register(self, watcher: Watcher) -> None:
        """Known to revocations and shutdown from now on; gets events only once it joins."""
        self._everyone.add(watcher)

    async def join_session(self, watcher: Watcher, last_seq: int | None, fallback: Row, greet: Greeting) -> bool:
        """Queue `greet(resumed)`, the session's state (or, resuming, the events after `last_seq`); then follow it.

        `fallback` is the state the gateway gave at connect, for a session the log knows nothing of.
        """
        seat = watcher.seat
        async with self._holding(self._feed(seat.session_id, seat.lecture_id)) as feed:
            resumed = await self._catch_up(feed, watcher, last_seq, fallback, greet)
            if watcher in self._everyone:  # not closed meanwhile
                feed.watchers.add(watcher)
                watcher.joined = True
        return resumed

    async def join_lecture(self, watcher: Watcher, last_seqs: dict[str, int], greet: Greeting) -> None:
        """A dashboard: `greet(False)`, the state (or missed events) of each session of the lecture in the log.

        Registered first, so a session whose first event comes meanwhile takes it in (publish).
        """
        lecture_id = watcher.seat.lecture_id
        watcher.resume_from = dict(last_seqs)
        sessions = await self._log.sessions(lecture_id)
        watcher.say(greet(False))
        self._dashboards.setdefault(lecture_id, set()).add(watcher)
        watcher.joined = True
        for session_id in sessions:
            async with self._holding(self._feed(session_id, lecture_id)) as feed:
                await self._take_in(feed, [watcher])

    def detach(self, watcher: Watcher) -> None:
        self._everyone.discard(watcher)
        seat = watcher.seat
        if seat.role == DASHBOARD:
            dashboards = self._dashboards.get(seat.lecture_id, set())
            dashboards.discard(watcher)
            if not dashboards:
                self._dashboards.pop(seat.lecture_id, None)
            followed = [f for f in self._feeds.values() if f.lecture_id == seat.lecture_id]
        else:
            followed = [self._feeds[seat.session_id]] if seat.session_id in self._feeds else []
        for feed in followed:
            feed.watchers.discard(watcher)
            self._forget_if_idle(feed)

    async def publish(self, event: SessionEvent) -> None:
        """A wake-up from the broker: record the event, then fan out what is new, in seq order.

        Wake-ups start in queue order and take the session's lock before their first await (asyncio locks are
        FIFO), so the log is read in the order the events arrived.
        """
        feed = self._feeds.get(event.session_id)
        dashboards = self._dashboards.get(event.lecture_id, set())
        if feed is None and not dashboards:
            return  # nobody here follows it; the `notifier.events` consumer records it
        async with self._holding(feed or self._feed(event.session_id, event.lecture_id)) as feed:
            await self._take_in(feed, dashboards)  # a session new to them: its state first, if it has one
            if feed.cursor is None:
                feed.cursor = 0  # nothing recorded before this event
            self._advance(feed, await self._log.record_and_read(event, feed.cursor))

    async def sweep(self) -> None:
        """Read every followed session's log after its cursor (after a broker outage, and now and then)."""
        for feed in list(self._feeds.values()):
            try:
                async with self._holding(feed):
                    await self._read(feed)
            except Exception as exc:  # noqa: BLE001 - one session's failure must not stop the sweep
                log.warning("sweep of session %s failed: %r", feed.session_id, exc)

    def close_all(self, reason: str, code: int) -> None:
        for watcher in list(self._everyone):
            watcher.close(reason, code)

    def close_user(self, user_id: str, reason: str, code: int, session_id: str | None = None) -> int:
        """Close the access-token sockets of the user (only those of sign-in session `session_id`, if given)."""
        chosen = [w for w in self._everyone if w.seat.user_id == user_id and session_id in (None, w.seat.token_session)]
        for watcher in chosen:
            watcher.close(reason, code)
        return len(chosen)

    def sessions(self) -> dict[str, set[str | None]]:
        """The sign-in sessions of the access-token sockets here, by user (for the revocation sweep)."""
        found: dict[str, set[str | None]] = {}
        for watcher in self._everyone:
            if watcher.seat.user_id:
                found.setdefault(watcher.seat.user_id, set()).add(watcher.seat.token_session)
        return found

    def following(self, session_id: str) -> int:
        feed = self._feeds.get(session_id)
        return len(feed.watchers) if feed else 0

    def learners(self) -> list[Watcher]:
        """The learner sockets here (their presence is refreshed in Redis)."""
        return [w for w in self._everyone if w.seat.participant_id]

    async def _take_in(self, feed: SessionFeed, dashboards) -> None:
        """With the feed's lock held: each dashboard not yet following the session catches up, then follows it."""
        for watcher in [w for w in dashboards if w not in feed.watchers and w in self._everyone]:
            await self._catch_up(feed, watcher, watcher.resume_from.get(feed.session_id), None)
            if watcher in self._everyone:
                feed.watchers.add(watcher)

    async def _catch_up(
        self, feed: SessionFeed, watcher: Watcher, last_seq: int | None, fallback: Row | None, greet=None
    ) -> bool:
        """With the feed's lock held: give `watcher` what it lacks of the session; True if it resumed."""
        resume = await self._log.resume(feed.lecture_id, feed.session_id, last_seq)
        head = resume.head or fallback
        if head is not None and feed.cursor is None:
            feed.cursor = head.seq
        resumed = (
            head is not None
            and last_seq is not None
            and last_seq <= head.seq
            and (resume.after is not None or last_seq == head.seq)
        )
        if greet is not None:
            watcher.say(greet(resumed))
        if resumed:
            watcher.last_seq[feed.session_id] = last_seq
            for row in resume.after or []:
                watcher.offer(feed.session_id, row)
        elif head is not None:
            watcher.last_seq.pop(feed.session_id, None)
            watcher.offer_state(feed.session_id, head)
        return resumed

    async def _read(self, feed: SessionFeed) -> None:
        if feed.cursor is not None:
            self._advance(feed, await self._log.read_after(feed.lecture_id, feed.session_id, feed.cursor))

    def _advance(self, feed: SessionFeed, found: list[Row]) -> None:
        """With the lock held: fan out the unbroken run after the cursor; a gap waits, then the state closes it."""
        sent = 0
        for row in found:
            if row.seq != feed.cursor + 1:
                break
            for watcher in list(feed.watchers):
                watcher.offer(feed.session_id, row)
            feed.cursor, sent = row.seq, sent + 1
        if sent < len(found) and feed.gap_check is None:
            loop = asyncio.get_running_loop()
            feed.gap_check = loop.call_later(self._gap_grace, self._start_gap_check, feed)

    def _start_gap_check(self, feed: SessionFeed) -> None:
        task = asyncio.ensure_future(self._close_gap(feed))
        self._gap_checks.add(task)
        task.add_done_callback(self._gap_checks.discard)

    async def _close_gap(self, feed: SessionFeed) -> None:
        """The gap is still open after the grace: the state at the newest seq replaces what never came."""
        try:
            async with self._holding(feed):
                feed.gap_check = None
                found = await self._log.read_after(feed.lecture_id, feed.session_id, feed.cursor)
                if contiguous(feed.cursor, found):
                    self._advance(feed, found)
                    return
                head = found[-1]
                missing = feed.cursor + 1
                log.info("session %s: seq %d never came; sent the state at %d", feed.session_id, missing, head.seq)
                for watcher in list(feed.watchers):
                    watcher.offer_state(feed.session_id, head)
                feed.cursor = head.seq
        except Exception as exc:  # noqa: BLE001 - Redis away: the next wake-up or sweep finds the gap again
            log.warning("gap check of session %s failed: %r", feed.session_id, exc)

    def _feed(self, session_id: str, lecture_id: str) -> SessionFeed:
        feed = self._feeds.get(session_id)
        if feed is None:
            feed = self._feeds[session_id] = SessionFeed(session_id, lecture_id)
        return feed

    @contextlib.asynccontextmanager
    async def _holding(self, feed: SessionFeed) -> AsyncIterator[SessionFeed]:
        """The feed's lock; the feed is not forgotten while anyone holds the lock or waits for it.

        `lock.locked()` alone is not enough: a release leaves it False while the next waiter is still to wake,
        and a feed forgotten then would take that waiter's socket with it, out of every later fan-out.
        """
        feed.holders += 1
        try:
            async with feed.lock:
                yield feed
        finally:
            feed.holders -= 1
            self._forget_if_idle(feed)

    def _forget_if_idle(self, feed: SessionFeed) -> None:
        """Drop a feed nobody here follows; not while a join or wake-up holds its lock or waits for it."""
        if not feed.watchers and not feed.holders:
            if feed.gap_check is not None:
                feed.gap_check.cancel()
            if self._feeds.get(feed.session_id) is feed:
                del self._feeds[feed.session_id]
