"""Gateway CPU per AI résumé feedback, in-process, best of 5 rounds: the POST and the worker's result webhook.

`make bench-careers` times feedbacks end to end; this says where the gateway's share goes, steadily enough to
compare two builds on a noisy machine. On a database of its own (migrated, dropped afterwards), signed in as a
new user with a résumé (`--items` in every section) and a posting: POST standard and against the posting
through the app's WSGI callable, then the signed result webhook of one completed feedback and of batches.
`--without-fast-path` takes the feedback requests' middleware out (fastpaths/feedback_requests.py).

    .venv/bin/python -m bench.careers_feedback_cpu [--rounds-of 300] [--items 3] [--without-fast-path]
"""

import argparse
import io
import json
import sys
import uuid
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "services/gateway/tests/integration"))
from feedback_kit import FEEDBACK_RESULT, POSTING, completed  # noqa: E402
from resumes_kit import resume_body  # noqa: E402

from bench.cpu import best_cpu_ms  # noqa: E402
from gateway.accounts.tokens import generate_private_key_pem  # noqa: E402
from gateway.app import create_app  # noqa: E402
from gateway.migrate import upgrade  # noqa: E402
from gateway.settings import GatewaySettings  # noqa: E402
from shared.webhooks import WebhookSigner, generate_secret  # noqa: E402

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "correct horse battery staple"
WARMUP = 20  # calls before each measurement


def without_fast_path(app) -> None:
    from gateway.fastpaths.feedback_requests import FeedbackRequests  # here: a build without it still runs the rest

    layer = app.wsgi_app
    while not isinstance(layer._inner, FeedbackRequests):
        layer = layer._inner
    layer._inner = layer._inner._inner


class Caller:
    """Posts to the app's WSGI callable as gunicorn would, and keeps the ids of the feedbacks asked for."""

    def __init__(self, app, token: str, signer: WebhookSigner):
        self.app, self.token, self.signer, self.asked = app, token, signer, []

    def call(self, path: str, body: bytes = b"", headers: dict | None = None, expect: str = "202") -> bytes:
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "bench",
            "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)) if body else "", "HTTP_AUTHORIZATION": f"Bearer {self.token}",
        }  # fmt: skip
        if body:
            environ["CONTENT_TYPE"] = "application/json"
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        statuses = []
        answer = b"".join(self.app.wsgi_app(environ, lambda status, _headers, _exc=None: statuses.append(status)))
        assert statuses[0].startswith(expect), (statuses, answer[:300])
        return answer

    def ask(self, path: str) -> None:
        self.asked.append(json.loads(self.call(path))["feedback_id"])

    def report(self, size: int) -> None:
        events = [completed("feedback", self.asked.pop(), FEEDBACK_RESULT) for _ in range(size)]
        raw = json.dumps({"events": events}).encode()
        answer = self.call("/api/webhooks/careers", raw, dict(self.signer.headers(raw, None)), "200")
        assert answer.count(b'"applied"') == size, answer[:300]


def measure(url: str, args) -> dict[str, float]:
    secret = generate_secret()
    settings = GatewaySettings(
        _env_file=None, app_env="test", database_url=url, jwt_private_key=generate_private_key_pem(),
        jobs_webhook_secrets=[secret], payments_webhook_secrets=[secret], notifier_webhook_secrets=[secret],
        rate_limit_prefix=f"bench-feedback-{uuid.uuid4().hex[:8]}",
    )  # fmt: skip
    app = create_app(settings)
    if args.without_fast_path:
        without_fast_path(app)
    client = app.test_client()
    account = {"email": "bench@example.com", "username": "benchfeedback", "password": PASSWORD}
    assert client.post("/api/auth/signup", json=account).status_code == 201
    token = client.post("/api/auth/login", json={"username": "benchfeedback", "password": PASSWORD}).json
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    resume = client.post("/api/resumes", json=resume_body(items=args.items), headers=headers).json["id"]
    posting = client.post("/api/job-postings", json=POSTING, headers=headers).json["id"]
    caller, n = Caller(app, token["access_token"], WebhookSigner(secret)), args.rounds_of
    standard, against = f"/api/resume_feedbacks/standard/{resume}", f"/api/resume_feedbacks/posting/{resume}/{posting}"
    figures = {
        "POST standard": best_cpu_ms(lambda: caller.ask(standard), n, warmup=WARMUP),
        "POST against a posting": best_cpu_ms(lambda: caller.ask(against), n, warmup=WARMUP),
    }
    caller.asked.reverse()
    figures["webhook of 1 result"] = best_cpu_ms(lambda: caller.report(1), n // 5, warmup=WARMUP)
    figures["webhook of 8 results, per result"] = best_cpu_ms(lambda: caller.report(8), n // 40, warmup=WARMUP) / 8
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds-of", type=int, default=300, help="POSTs a round (webhooks: a fifth)")
    parser.add_argument("--items", type=int, default=3, help="items in every section of the résumé")
    parser.add_argument("--without-fast-path", action="store_true")
    args = parser.parse_args()
    name = f"bench_feedback_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
        upgrade(url)
        for label, ms in measure(url, args).items():
            print(f"{label:34s} {ms:.3f} ms of CPU")
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
