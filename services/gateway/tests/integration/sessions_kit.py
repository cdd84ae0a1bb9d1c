"""Live-session test helpers: instructors, lectures of tasks and steps (made through the models: lectures are
another module's subject), sessions made through the API, learners joined, and reads of the outbox."""

import uuid
from datetime import UTC, datetime

import psycopg

from gateway.classroom.models import Lecture, LectureStep, LectureTask


class Classroom:
    """Makes instructors, lectures and sessions, and joins learners, through the API where it can."""

    def __init__(self, app, client, accounts, database_url: str):
        self.app, self.client, self.accounts = app, client, accounts
        self.dsn = database_url.replace("+psycopg", "")

    @property
    def db(self):
        return self.app.extensions["gateway"].db

    def instructor(self):
        """A fresh user with the instructor role, signed in again so the token carries it."""
        who = self.accounts.new()
        self.sql("UPDATE users SET roles = array_append(roles, 'instructor') WHERE id = %s", who.user["id"])
        who.tokens = self.accounts.login(who.user["username"])
        who.headers = {"Authorization": f"Bearer {who.tokens['access_token']}"}
        return who

    def lecture(self, owner, tasks: tuple[int, ...] = (2, 1), title: str = "스마트폰 기초") -> dict:
        """A lecture with tasks of that many steps each; {id, steps: [step ids in teaching order]}."""
        now = datetime.now(UTC)
        lecture = Lecture(
            id=uuid.uuid4(),
            instructor_id=uuid.UUID(owner.user["id"]),
            title=title,
            description="",
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        steps = []
        for t, count in enumerate(tasks):
            task = LectureTask(id=uuid.uuid4(), position=t, title=f"과제 {t + 1}", created_at=now, updated_at=now)
            for s in range(count):
                step = LectureStep(
                    id=uuid.uuid4(),
                    position=s,
                    title=f"단계 {t + 1}-{s + 1}",
                    description="",
                    target_action="CLICK",
                    guide_text=f"버튼 {s + 1}을 누르세요",
                    created_at=now,
                    updated_at=now,
                )
                task.steps.append(step)
                steps.append(str(step.id))
            lecture.tasks.append(task)
        with self.db.uow() as session:
            session.add(lecture)
            session.commit()
        return {"id": str(lecture.id), "steps": steps}

    def session(self, owner, lecture: dict | None = None, **body) -> dict:
        lecture = lecture or self.lecture(owner)
        response = self.client.post(
            f"/api/lectures/{lecture['id']}/sessions", json={"title": "오전 수업", **body}, headers=owner.headers
        )
        assert response.status_code == 201, response.json
        return response.json | {"steps": lecture["steps"]}

    def control(self, owner, session: dict, action: str, **body):
        return self.client.post(f"/api/sessions/{session['id']}/{action}", json=body, headers=owner.headers)

    def join_by_code(self, session: dict, device_id: str | None = None, name: str = "김영희"):
        body = {"code": session["code"], "device_id": device_id or uuid.uuid4().hex, "display_name": name}
        return self.client.post("/api/sessions/join", json=body)

    def device(self, session: dict, device_id: str | None = None, name: str = "김영희") -> dict:
        """A learner joined by code: the join's answer with `headers` for its participant token."""
        response = self.join_by_code(session, device_id, name)
        assert response.status_code in (200, 201), response.json
        return response.json | {"headers": {"Authorization": f"Bearer {response.json['participant_token']}"}}

    def sql(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def events(self, session_id: str) -> list[dict]:
        """The session's events in the outbox, by seq."""
        rows = self.sql(
            "SELECT routing_key, payload FROM outbox WHERE message_type = 'SessionEvent' "
            "AND payload->>'session_id' = %s ORDER BY (payload->>'seq')::bigint",
            session_id,
        )
        return [payload | {"routing_key": key} for key, payload in rows]
