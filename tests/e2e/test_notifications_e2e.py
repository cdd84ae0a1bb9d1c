"""A job's progress reaches its owner's open SSE stream and inbox, and a customer webhook, with no polling."""

import json
import mailbox
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
from e2e_stack import free_port

from shared.testing import wait_until
from shared.webhooks import WebhookVerifier

GUIDELINE = "All visitors must sign in at the front desk. Badges must be worn at all times."


class Hooks(ThreadingHTTPServer):
    """A customer's webhook endpoint that verifies our signature."""

    def __init__(self):
        self.received: list[tuple[str, dict]] = []
        self.verifier: WebhookVerifier | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["content-length"]))
                webhook_id = outer.verifier.verify(body, dict(self.headers.items()))
                outer.received.append((webhook_id, json.loads(body)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", free_port()), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


def healthy(url: str) -> bool:
    try:
        return httpx.get(url).status_code == 200
    except httpx.HTTPError:
        return False


def listen(url: str, token: str, seen: list, stop: threading.Event) -> None:
    with httpx.stream("GET", url, headers={"Authorization": f"Bearer {token}"}, timeout=None) as response:
        for line in response.iter_lines():
            if line.startswith("event: "):
                seen.append(line.removeprefix("event: "))
            if stop.is_set():
                return


def test_a_job_is_followed_by_push_inbox_email_and_webhook(stack):
    notifier_port = free_port()
    maildir = Path(stack.workdir) / "maildir"
    for name in ("gateway", "relay", "llm-worker"):
        stack.start(name)
    stack.start("notifier", {"NOTIFIER_BIND": f"127.0.0.1:{notifier_port}", "MAILDIR": str(maildir)})
    stack.sign_in()
    token = stack.http.headers["Authorization"].removeprefix("Bearer ")
    assert wait_until(lambda: healthy(f"http://127.0.0.1:{notifier_port}/healthz"), 20), stack.logs("notifier")

    hooks = Hooks()
    endpoint = stack.http.post(
        "/api/webhook-endpoints",
        json={"url": f"http://127.0.0.1:{hooks.server_port}/hook", "event_types": ["job.completed", "job.failed"]},
    ).json()
    hooks.verifier = WebhookVerifier([endpoint["secret"]])
    # Failed jobs are e-mailed by default; completed ones too once the user asks for it.
    stack.http.put(
        "/api/me/notification-preferences", json={"preferences": [{"event_type": "job.completed", "email": True}]}
    )

    seen, stop = [], threading.Event()
    threading.Thread(
        target=listen, args=(f"http://127.0.0.1:{notifier_port}/api/events/stream", token, seen, stop), daemon=True
    ).start()
    threading.Event().wait(0.5)
    job = stack.post_job(GUIDELINE)

    assert wait_until(lambda: "job.completed" in seen, 30), (seen, stack.logs("notifier"))
    stop.set()
    # A job that finishes within the worker's report batch (50 ms) skips `processing`: the gateway
    # only hears the outcome. When it is there, it comes first.
    assert seen in (["job.completed"], ["job.processing", "job.completed"]), seen
    inbox = stack.http.get("/api/notifications").json()
    assert [n["type"] for n in inbox["items"]] == seen[::-1]
    assert inbox["items"][0]["data"]["id"] == job
    assert wait_until(lambda: maildir.exists() and len(mailbox.Maildir(maildir)) == 1, 15), stack.logs("notifier")
    assert wait_until(lambda: len(hooks.received) == 1, 15), stack.logs("notifier")
    _, body = hooks.received[0]
    assert body["type"] == "job.completed" and body["data"]["id"] == job
    deliveries = wait_until(
        lambda: (
            (d := stack.http.get(f"/api/webhook-endpoints/{endpoint['id']}/deliveries").json())
            and d[0]["status"] == "delivered"
            and d
        ),
        15,
    )
    assert deliveries and deliveries[0]["attempts"][0]["status_code"] == 204, stack.logs("notifier")
    hooks.shutdown()
