"""Helpers of the résumé feedback tests: a résumé and a posting to ask about, signed worker reports, what is stored."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import psycopg
from resumes_kit import resume_body

from shared.webhooks import WebhookSigner

POSTING = {
    "url": "https://careers.example.com/jobs/1",
    "title": "Backend engineer",
    "company": "Toss",
    "qualification": "Python, PostgreSQL, Kubernetes",
    "prefer": "RabbitMQ",
    "end_date": "2027-01-31",
}
FEEDBACK_RESULT = {
    "parent_content": "# 김하늘\n\n## 경력\n- Backend engineer 0",
    "matching_rate": 67,
    "feedback_contents": [
        {"division": "1", "result": "Quantified results: p99 latency cut by 40%."},
        {"division": "2", "result": "Kubernetes is required and missing."},
        {"division": "3", "result": "Lead with the payments project."},
        {"division": "4", "result": "Add a RabbitMQ project."},
    ],
}
REWRITE_RESULT = {
    "title": "백엔드 개발자 이력서 (Toss)",
    "self_introduction": "Python, PostgreSQL and Kubernetes.",
    "experiences": [
        {
            "job_title": "Backend engineer",
            "department": "Platform",
            "position": "Senior",
            "job_description": "Cut p99 latency by 40%.",
            "employment_status": True,
            "start_date": "2021-03-02",
            "end_date": None,
        }
    ],
    "educations": [],
    "projects": [],
    "activities": [],
    "qualifications": [],
    "technology_stacks": [{"name": "Python"}, {"name": "Kubernetes"}],
}


def at(offset: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=offset)).isoformat()


def report(task: str, task_id: str, kind: str, offset: float = 0, attempt: int = 1, **data) -> dict:
    """One CareersEvent as the llm-worker sends it."""
    return {
        "version": 1,
        "id": f"{task_id}:{attempt}:{kind}:{uuid.uuid4().hex[:6]}",
        "type": f"careers.{kind}",
        "task": task,
        "task_id": task_id,
        "step": 0,
        "occurred_at": at(offset),
        "attempt": attempt,
        "data": data,
    }


def completed(task: str, task_id: str, result: dict, offset: float = 0) -> dict:
    usage = {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150}
    return report(task, task_id, "completed", offset, result=result, provider="offline", model="rules-1", usage=usage)


class Careers:
    """A user's résumés, postings and feedback through the API; signed reports; the rows behind them."""

    def __init__(self, client, secret: str, dsn: str):
        self.client, self.signer, self.dsn = client, WebhookSigner(secret), dsn

    def resume(self, who, **fields) -> str:
        response = self.client.post("/api/resumes", json=resume_body(**fields), headers=who.headers)
        assert response.status_code == 201, response.json
        return response.json["id"]

    def posting(self, who, **fields) -> str:
        response = self.client.post("/api/job-postings", json={**POSTING, **fields}, headers=who.headers)
        assert response.status_code == 201, response.json
        return response.json["id"]

    def ask(self, who, resume_id: str, posting_id: str | None = None, **headers):
        path = f"/api/resume_feedbacks/standard/{resume_id}"
        if posting_id is not None:
            path = f"/api/resume_feedbacks/posting/{resume_id}/{posting_id}"
        return self.client.post(path, headers={**who.headers, **headers})

    def feedback(self, who, posting: bool = True) -> str:
        """A completed feedback of `who` (on a new résumé, against a new posting unless `posting` is False)."""
        resume_id = self.resume(who)
        answer = self.ask(who, resume_id, self.posting(who) if posting else None)
        assert answer.status_code == 202, answer.json
        feedback_id = answer.json["feedback_id"]
        assert self.post([completed("feedback", feedback_id, FEEDBACK_RESULT)]).status_code == 200
        return feedback_id

    def post(self, events, webhook_id: str | None = None, body: bytes | None = None, secret_signer=None):
        raw = body if body is not None else json.dumps({"events": events}).encode()
        headers = (secret_signer or self.signer).headers(raw, webhook_id)
        return self.client.post("/api/webhooks/careers", data=raw, headers=headers, content_type="application/json")

    def one(self, query: str, *params):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchone()

    def stored(self, user_id: str) -> dict:
        """What `user_id` has of feedback and rewrites, and the commands and notifications about them."""
        return {
            "feedbacks": self.one("SELECT count(*) FROM resume_feedbacks WHERE owner_id = %s", user_id)[0],
            "rewrites": self.one("SELECT count(*) FROM resume_rewrites WHERE owner_id = %s", user_id)[0],
            "resumes": self.one("SELECT count(*) FROM resumes WHERE owner_id = %s", user_id)[0],
            "commands": self.commands(),
            "notifications": self.notifications(user_id),
        }

    def commands(self) -> int:
        """ReviewResume and RewriteResume commands ever written to the outbox (the relay marks, never deletes)."""
        query = "SELECT count(*) FROM outbox WHERE message_type IN ('ReviewResume', 'RewriteResume')"
        return self.one(query)[0]

    def command(self, key: str, value: str) -> dict | None:
        """The payload of the outbox command whose `key` is `value` (feedback_id, rewrite_id)."""
        row = self.one(f"SELECT payload FROM outbox WHERE payload->>'{key}' = %s", value)
        return row and row[0]

    def notifications(self, user_id: str, kind: str | None = None) -> int:
        query = "SELECT count(*) FROM notifications WHERE user_id = %s AND type LIKE %s"
        return self.one(query, user_id, kind or "resume_%")[0]
