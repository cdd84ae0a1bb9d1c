"""Live sessions in memory: the methods of SessionStore and SessionEventStore that the controls use."""

from gateway.classroom.session_events_store import Numbered, SessionEventStore
from gateway.classroom.sessions_store import SessionStore


class FakeSessionStore:
    port = SessionStore

    def __init__(self, sessions=(), steps=None):
        self.sessions = {s.id: s for s in sessions}
        self.step_ids = list(steps or [])
        self.controls: list[tuple] = []
        self.moves: list[tuple] = []

    def locked(self, session_id):
        return self.sessions.get(session_id)

    def steps(self, lecture_id):
        total = len(self.step_ids)
        return [{"id": str(s), "position": n, "total_steps": total} for n, s in enumerate(self.step_ids, start=1)]

    def add_control(self, session, action, now, message=None):
        self.controls.append((session.id, action, session.current_step_id, message))
        return type("Control", (), {"id": len(self.controls)})()

    def move_participants(self, session, activate):
        session.step_seq += 1
        self.moves.append((session.current_step_id, activate))

    def views(self, sessions, known=None):
        steps = {step["id"]: step for step in self.steps(None)}
        return [{"id": s.id, "status": s.status, "current_step": steps.get(str(s.current_step_id))} for s in sessions]


class FakeSessionEventStore:
    port = SessionEventStore

    def __init__(self, sessions: FakeSessionStore):
        self._sessions = sessions
        self.seq: dict = {}
        self.messages: list = []

    def next_seq(self, session_id):
        session = self._sessions.sessions.get(session_id)
        if session is None:
            return None
        self.seq[session_id] = self.seq.get(session_id, 0) + 1
        return Numbered(self.seq[session_id], session.code, session.lecture_id)

    def state(self, session_id):
        session = self._sessions.sessions[session_id]
        return {"status": session.status, "current_step": str(session.current_step_id), "participants": 0}

    def add_message(self, message):
        self.messages.append(message)
