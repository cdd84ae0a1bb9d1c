"""Helpers of the help request and recording tests: a session with a learner, signed ClassroomEvent reports as the
llm-worker sends them, valid results, and the rows, outbox messages and notifications behind them."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import psycopg

from shared.webhooks import WebhookSigner

HELP_RESULT = {
    "problem_diagnosis": "'검색'을 3번 누르셨지만, 이 단계에서 할 일은 '버튼 1'을 누르기입니다.",
    "step_by_step_solution": ["버튼 1을 누르세요.", "화면이 바뀌었는지 확인하세요."],
    "alternative_approaches": ["강사님께 손을 들어 알려 주세요."],
    "confidence_score": 72,
    "estimated_difficulty": "EASY",
}
RECORDING_RESULT = {
    "summary": "2 steps over 12 seconds across 1 screens. The user hesitated once.",
    "steps": [
        {
            "action": "CLICK",
            "screen": "Home",
            "element": "Settings",
            "started_at": "2026-03-01T09:30:00+00:00",
            "duration_ms": 12000,
        },
        {
            "action": "BACK",
            "screen": None,
            "element": None,
            "started_at": "2026-03-01T09:30:12+00:00",
            "duration_ms": 0,
        },
    ],
    "hesitations": [
        {"at": "2026-03-01T09:30:00+00:00", "screen": "Home", "waited_ms": 12000, "reason": "Paused 12.0 seconds."}
    ],
}


def at(offset: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset)).isoformat()


def report(task: str, task_id: str, kind: str, offset: float = 0, attempt: int = 1, **data) -> dict:
    """One ClassroomEvent as the llm-worker sends it."""
    return {
        "version": 1,
        "id": f"{task}:{task_id}:0:{attempt}:classroom.{kind}:{uuid.uuid4().hex[:6]}",
        "type": f"classroom.{kind}",
        "task": task,
        "task_id": task_id,
        "occurred_at": at(offset),
        "attempt": attempt,
        "data": data,
    }


def completed(task: str, task_id: str, result: dict, offset: float = 0) -> dict:
    usage = {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}
    return report(task, task_id, "completed", offset, result=result, provider="local", model="classroom-offline-v1",
                  usage=usage)  # fmt: skip


def activity(count: int, element: str = "검색") -> list[dict]:
    return [
        {"event_type": "VIEW_CLICKED", "occurred_at": at(i - count), "screen": "홈", "element": element}
        for i in range(count)
    ]


class Reports:
    """Signed classroom reports, and reads of what they and the requests stored."""

    def __init__(self, client, secret: str, database_url: str):
        self.client, self.signer = client, WebhookSigner(secret)
        self.dsn = database_url.replace("+psycopg", "")

    def post(self, events, webhook_id: str | None = None, body: bytes | None = None, signer=None):
        raw = body if body is not None else json.dumps({"events": events}).encode()
        headers = (signer or self.signer).headers(raw, webhook_id)
        return self.client.post("/api/webhooks/classroom", data=raw, headers=headers, content_type="application/json")

    def sql(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    def one(self, query: str, *params):
        rows = self.sql(query, *params)
        return rows[0] if rows else None

    def command(self, message_type: str, key: str, value: str) -> list[dict]:
        """The payloads of the outbox commands of `message_type` whose `key` is `value`."""
        query = "SELECT payload FROM outbox WHERE message_type = %s AND payload->>%s = %s ORDER BY created_at"
        return [row[0] for row in self.sql(query, message_type, key, value)]

    def notifications(self, user_id: str, kind: str) -> list[dict]:
        query = "SELECT type, title, body, data FROM notifications WHERE user_id = %s AND type = %s"
        return [
            dict(zip(("type", "title", "body", "data"), row, strict=True)) for row in self.sql(query, user_id, kind)
        ]

    def counts(self) -> dict[str, int]:
        """Rows of every table a help request or a recording writes (a refused request leaves them all)."""
        tables = ("help_requests", "outbox", "step_progress", "recordings", "recording_events", "notifications")
        query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in tables)
        return dict(self.sql(query))
