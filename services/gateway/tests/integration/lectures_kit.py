"""Lecture test helpers: instructors made through the API, lectures of tasks and steps written through it, the
tables read directly (to show a refused change stored nothing), and a session put in a status by SQL."""

import uuid
from datetime import UTC, datetime

import psycopg

STEP = {
    "title": "채팅방 열기",
    "target_action": "CLICK",
    "target_element_hint": "화면 아래 말풍선 모양 '채팅' 탭",
    "guide_text": "아래쪽 가운데의 '채팅' 버튼을 누르세요.",
    "voice_guide_text": "화면 아래 가운데, 말풍선 버튼을 눌러 주세요.",
    "target_package": "com.kakao.talk",
}


class Teaching:
    """Instructors, lectures, tasks and steps through the API; the rows behind them by SQL."""

    def __init__(self, client, accounts, database_url: str):
        self.client, self.accounts = client, accounts
        self.dsn = database_url.replace("+psycopg", "")

    def instructor(self):
        who = self.accounts.new()
        response = self.client.post("/api/users/me/upgrade-to-instructor", headers=who.headers)
        assert response.status_code == 200 and "instructor" in response.json["roles"], response.json
        return who

    def lecture(self, owner, steps: tuple[int, ...] = (), **fields) -> dict:
        """A lecture with a task of that many steps for each number of `steps`; the lecture read back whole."""
        body = {"title": "카카오톡으로 사진 보내기", **fields}
        response = self.client.post("/api/lectures", json=body, headers=owner.headers)
        assert response.status_code == 201, response.json
        for t, count in enumerate(steps):
            self.task(owner, response.json["id"], title=f"과제 {t + 1}", subtasks=self.steps(count))
        return self.read(owner, response.json["id"])

    def task(self, owner, lecture_id: str, **fields) -> dict:
        response = self.client.post(
            f"/api/lectures/{lecture_id}/tasks", json={"title": "사진 보내기", **fields}, headers=owner.headers
        )
        assert response.status_code == 201, response.json
        return response.json

    def step(self, owner, task_id: str, **fields) -> dict:
        response = self.client.post(f"/api/tasks/{task_id}/subtasks", json={**STEP, **fields}, headers=owner.headers)
        assert response.status_code == 201, response.json
        return response.json

    @staticmethod
    def steps(count: int) -> list[dict]:
        return [{**STEP, "title": f"단계 {n + 1}"} for n in range(count)]

    def read(self, who, lecture_id: str) -> dict:
        response = self.client.get(f"/api/lectures/{lecture_id}", headers=who.headers)
        assert response.status_code == 200, response.json
        return response.json

    def sql(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def rows(self, lecture_id: str) -> list[tuple]:
        """Every column of the lecture, its tasks and steps, and its enrollments: what a refused change must keep."""
        return [
            *self.sql("SELECT * FROM lectures WHERE id = %s", lecture_id),
            *self.sql("SELECT * FROM lecture_tasks WHERE lecture_id = %s ORDER BY id", lecture_id),
            *self.sql(
                "SELECT s.* FROM lecture_steps s JOIN lecture_tasks t ON t.id = s.task_id WHERE t.lecture_id = %s "
                "ORDER BY s.id",
                lecture_id,
            ),
            *self.sql("SELECT * FROM lecture_enrollments WHERE lecture_id = %s ORDER BY user_id", lecture_id),
        ]

    def positions(self, task_id: str) -> list[tuple[str, int]]:
        """(title, position) of a task's steps, by position."""
        return self.sql("SELECT title, position FROM lecture_steps WHERE task_id = %s ORDER BY position", task_id)

    def session(self, owner, lecture_id: str, status: str) -> str:
        """A session of the lecture in `status`, inserted directly (the sessions' API is another module's)."""
        now, ident = datetime.now(UTC), uuid.uuid4()
        code = uuid.uuid4().hex[:6].upper()
        self.sql(
            "INSERT INTO class_sessions (id, lecture_id, instructor_id, title, code, status, event_seq, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, %s, %s, 0, %s, %s)",
            ident,
            lecture_id,
            owner.user["id"],
            "오전 수업",
            code,
            status,
            now,
            now,
        )
        return str(ident)
