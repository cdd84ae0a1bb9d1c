"""The classroom for the socket tests: a stand-in gateway that answers as the real one, sessions, tokens, clients.

The stand-in checks tokens as the gateway does (its key, expiry, kind; a participant token for its own session
only) and answers the classroom reads and writes the notifier makes with the client's token, recording each.
"""

import asyncio
import contextlib
import json
import random
import re
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import aiohttp
from joserfc import jwt
from joserfc.errors import JoseError
from notifier_receivers import _Server

from shared.messages.classroom import PARTICIPANT_SCOPE, SessionEvent

SESSION = re.compile(r"^/api/sessions/([^/]+)$")
CURRENT = re.compile(r"^/api/sessions/([^/]+)/current$")
LECTURE = re.compile(r"^/api/lectures/([^/]+)$")
LEARNER_POSTS = re.compile(r"^/api/sessions/([^/]+)/(report-completion|presence|progress)$")


def problem(status: int, detail: str) -> tuple[int, dict, bytes]:
    return status, {}, json.dumps({"type": f"/problems/{status}", "title": "Refused", "status": status,
                                   "detail": detail}).encode()  # fmt: skip


class Session:
    """A live session of a lecture, with its steps and participants (participant id -> user id or None)."""

    def __init__(self, minter, lecture_id: str, instructor: str, code: str, steps: int = 5):
        self.minter = minter
        self.id, self.code, self.lecture_id, self.instructor = str(uuid.uuid4()), code, lecture_id, instructor
        self.steps = [str(uuid.uuid4()) for _ in range(steps)]
        self.participants: dict[str, str | None] = {}
        self.seq = 0

    def learner(self) -> tuple[str, str]:
        """A signed-in learner who joined: (user id, access token)."""
        user = str(uuid.uuid4())
        self.participants[str(uuid.uuid4())] = user
        return user, self.minter.token(user, ttl=3600)

    def device(self, ttl: int = 3600, **overrides) -> tuple[str, str]:
        """A learner who joined by code: (participant id, participant token)."""
        participant = str(uuid.uuid4())
        self.participants[participant] = None
        claims = {"sid": self.id, "scope": PARTICIPANT_SCOPE} | overrides
        return participant, self.minter.token(participant, kind="participant", ttl=ttl, **claims)

    def instructor_token(self) -> str:
        return self.minter.token(self.instructor, ttl=3600)

    def view(self) -> dict[str, Any]:
        step = {"id": self.steps[0], "title": "Open the app", "position": 1, "total_steps": len(self.steps)}
        return {
            "id": self.id,
            "code": self.code,
            "title": "Smartphone basics",
            "status": "IN_PROGRESS",
            "lecture": {"id": self.lecture_id, "title": "Basics"},
            "instructor": {"id": self.instructor, "username": "teacher"},
            "current_step": step,
            "total_steps": len(self.steps),
            "participant_count": len(self.participants),
            "event_seq": self.seq,
            "started_at": None,
            "ended_at": None,
        }

    def event(self, kind: str = "step_changed", data: dict | None = None, seq: int | None = None) -> SessionEvent:
        """The session's next numbered event (or the one numbered `seq`)."""
        if seq is None:
            self.seq += 1
            seq = self.seq
        return SessionEvent(
            id=str(uuid.uuid4()),
            type=kind,
            session_id=self.id,
            code=self.code,
            lecture_id=self.lecture_id,
            seq=seq,
            occurred_at=datetime.now(UTC).isoformat(),
            data=data or {"step": {"id": self.steps[seq % len(self.steps)], "n": seq}},
            state={"status": "IN_PROGRESS", "seq_seen": seq, "participants": len(self.participants)},
        )


class ClassroomGateway(_Server):
    """The gateway's classroom endpoints as the notifier calls them; `calls` records (method, path, sub, body)."""

    def __init__(self, minter):
        super().__init__()
        self.minter = minter
        self.sessions: dict[str, Session] = {}
        self.lectures: dict[str, str] = {}  # lecture id -> instructor
        self.calls: list[tuple[str, str, str, Any]] = []
        self.idempotency_keys: list[str | None] = []  # each call's Idempotency-Key header, in the calls' order
        self.down = False

    def session(self, steps: int = 5, lecture_id: str | None = None) -> Session:
        lecture_id = lecture_id or str(uuid.uuid4())
        instructor = self.lectures.setdefault(lecture_id, str(uuid.uuid4()))
        code = "".join(random.choice("3479ACEFHKMNPRTWXY") for _ in range(6))
        session = Session(self.minter, lecture_id, instructor, code, steps)
        self.sessions[session.id] = session
        return session

    def calls_to(self, suffix: str) -> list[tuple[str, str, str, Any]]:
        with self.lock:
            return [c for c in self.calls if c[1].endswith(suffix)]

    def handle(self, method, path, headers, body):
        if self.down:
            return 503, {}, b"{}"
        claims = self._claims(headers.get("authorization", ""))
        if claims is None:
            return problem(401, "Invalid token.")
        payload = json.loads(body) if body else None
        with self.lock:
            self.calls.append((method, path, claims["sub"], payload))
            self.idempotency_keys.append(headers.get("idempotency-key"))
            self.lock.notify_all()
        if method == "GET" and (found := LECTURE.match(path)):
            instructor = self.lectures.get(found[1])
            if instructor is None or claims["token_use"] != "access":
                return problem(404, "No such lecture.")
            return 200, {}, json.dumps({"id": found[1], "instructor": {"id": instructor}}).encode()
        if method == "GET" and (found := SESSION.match(path)):
            session = next((s for s in self.sessions.values() if s.code == found[1].upper()), None)
            if session is None:
                return problem(404, "No session has this code.")
            if claims["token_use"] == "participant" and claims["sid"] != session.id:
                return problem(401, "This participant token is for another session.")
            return 200, {}, json.dumps(session.view()).encode()
        if (found := CURRENT.match(path)) or (found := LEARNER_POSTS.match(path)):
            session = self.sessions.get(found[1])
            answer = self._learner(session, claims)
            if isinstance(answer, tuple):
                return answer
            if method == "GET":
                return 200, {}, json.dumps(session.view() | {"participant_id": answer}).encode()
            return self._post(session, answer, path, payload or {})
        if method == "POST" and path == "/api/help/request":
            return 201, {}, json.dumps({"id": str(uuid.uuid4()), "status": "PENDING"}).encode()
        return problem(404, "Not found.")

    def _learner(self, session: Session | None, claims: dict) -> "str | tuple":
        """The caller's participant id in the session, or the problem the gateway answers."""
        if claims["token_use"] == "participant":
            if session is None or claims["sid"] != session.id:
                return problem(401, "This participant token is for another session.")
            return claims["sub"]
        if session is not None and claims["sub"] == session.instructor:
            return session.instructor
        mine = [p for p, user in (session.participants.items() if session else []) if user == claims["sub"]]
        return mine[0] if mine else problem(404, "No such session among those you joined.")

    def _post(self, session: Session, participant: str, path: str, body: dict):
        if participant == session.instructor:
            return problem(404, "No such session among those you joined.")
        if path.endswith("/report-completion"):
            if body.get("subtask_id") not in session.steps:
                return problem(422, "subtask_id is no step of this session's lecture.")
            return 200, {}, json.dumps({"subtask_id": body["subtask_id"], "newly_completed": True}).encode()
        return 200, {}, json.dumps({"participant_id": participant, **body}).encode()

    def _claims(self, header: str) -> dict | None:
        _, _, token = header.partition(" ")
        try:
            claims = jwt.decode(token, self.minter.key, algorithms=["RS256"]).claims
        except (JoseError, ValueError):
            return None
        return claims if claims.get("exp", 0) > time.time() else None


class SocketClient:
    """One classroom socket: everything it receives, in order, and how it was closed."""

    def __init__(self, loop, url: str, token: str | None = None, via_header: bool = False):
        self._loop, self.url, self.token, self.via_header = loop, url, token, via_header
        self.messages: list[dict] = []
        self.close_code: int | None = None
        self.close_reason: str | None = None
        self.status: int | None = None
        self._ws = None
        self._opened = threading.Event()
        self._changed = threading.Condition()
        self._task = None

    def start(self, timeout: float = 10.0) -> "SocketClient":
        self._task = self._loop.spawn(self._run())
        assert self._opened.wait(timeout), "the socket did not open"
        return self

    def send(self, message: dict | str) -> None:
        text = message if isinstance(message, str) else json.dumps(message)
        self._loop.run(self._ws.send_str(text))

    def join(self, last_seq: int | None = None, **fields) -> None:
        data = fields | ({"last_seq": last_seq} if last_seq is not None else {})
        self.send({"type": "join", "data": data})

    def close(self) -> None:
        if self._ws is not None and not self._ws.closed:
            self._loop.run(self._ws.close())

    def drop(self) -> None:
        """The network goes: the connection is cut without a close handshake."""
        self._loop.run(self._abort())

    async def _abort(self) -> None:
        self._ws._conn.transport.abort()  # the one way to lose a connection rather than close it

    def wait_for(self, predicate, timeout: float = 15.0):
        with self._changed:
            self._changed.wait_for(lambda: predicate(self.messages), timeout=timeout)
            return list(self.messages)

    def wait_closed(self, timeout: float = 15.0) -> int | None:
        with self._changed:
            self._changed.wait_for(lambda: self.close_code is not None, timeout=timeout)
            return self.close_code

    def of_type(self, kind: str) -> list[dict]:
        return [m for m in self.messages if m.get("type") == kind]

    @property
    def seqs(self) -> list[int]:
        """The seq of every event and state received, in order."""
        return [m["seq"] for m in self.messages if "seq" in m]

    async def _run(self) -> None:
        headers, params = {}, {}
        if self.token and self.via_header:
            headers["Authorization"] = f"Bearer {self.token}"
        elif self.token:
            params["access_token"] = self.token
        try:
            self._ws = await self._loop.session.ws_connect(self.url, params=params, headers=headers, heartbeat=None)
        except aiohttp.WSServerHandshakeError as exc:
            self.status = exc.status
            self._finish(None, None)
            self._opened.set()
            return
        self.status = 101
        self._opened.set()
        code, reason = None, None
        while True:
            message = await self._ws.receive()
            if message.type == aiohttp.WSMsgType.TEXT:
                with self._changed:
                    self.messages.append(json.loads(message.data))
                    self._changed.notify_all()
                continue
            if message.type == aiohttp.WSMsgType.CLOSE:
                code, reason = message.data, message.extra
            break
        self._finish(code if code is not None else self._ws.close_code, reason)

    def _finish(self, code, reason) -> None:
        with self._changed:
            self.close_code = code if code is not None else -1  # -1: the connection was lost
            self.close_reason = reason
            self._changed.notify_all()


class Learner:
    """A learner's app: joins, and on any loss of the socket rejoins on the next replica with its last seq.

    `events` are the seqs of the events it was given, `states` those of the states; `doubles` any event at
    or below a seq it had already seen. Runs on the test's event loop thread until stop().
    """

    def __init__(self, loop, urls: list[str], token: str):
        self._loop, self._urls, self._token = loop, urls, token
        self.events: list[int] = []
        self.states: list[int] = []
        self.doubles: list[int] = []
        self.closes: list[int | None] = []
        self.last: int | None = None
        self.connected = threading.Event()
        self._stopping = False
        self._task = None

    def start(self) -> "Learner":
        self._task = self._loop.spawn(self._run())
        return self

    def stop(self) -> None:
        self._stopping = True
        if self._task is not None:
            self._task.cancel()

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            url = self._urls[min(attempt, len(self._urls) - 1)]
            with contextlib.suppress(aiohttp.ClientError, OSError):
                await self._session(url)
            attempt += 1
            await asyncio.sleep(0.05)

    async def _session(self, url: str) -> None:
        ws = await self._loop.session.ws_connect(url, params={"access_token": self._token}, heartbeat=None)
        try:
            async with ws:
                data = {} if self.last is None else {"last_seq": self.last}
                await ws.send_str(json.dumps({"type": "join", "data": data}))
                async for message in ws:
                    if message.type != aiohttp.WSMsgType.TEXT:
                        break
                    self._take(json.loads(message.data))
        finally:
            self.closes.append(ws.close_code)

    def _take(self, message: dict) -> None:
        if message["type"] == "join_confirmed":
            self.connected.set()
        if "seq" not in message:
            return
        seq = message["seq"]
        if message["type"] == "state":
            self.states.append(seq)
        elif self.last is not None and seq <= self.last:
            self.doubles.append(seq)
            return
        else:
            self.events.append(seq)
        self.last = seq
