"""Bad input, on every endpoint: a problem+json 400 or 422 that says where, never a 500, and nothing stored.

One decoding layer answers for the query string, forms and JSON bodies (gateway/decoding.py, jsoncodec.py);
each string field refuses control characters and bidirectional overrides (gateway/api/fields.py). The last
test walks every request schema, so a new string or integer field cannot slip past the rules.
"""

import base64
import json
import uuid
from types import SimpleNamespace

import marshmallow as ma
import psycopg
import pytest
from flask_smorest.fields import Upload

from gateway.catalog.schemas import CursorField as CatalogCursorField
from gateway.community.search_schemas import SearchCursorField
from gateway.platform.fields import Characters, Flag
from gateway.platform.http import CursorField
from gateway.webhooks import inference, notifier, training
from gateway.webhooks.jobs import DATA_SCHEMAS, JOB_EVENT_BATCH
from gateway.webhooks.payments import PaymentEventBatchSchema
from shared.webhooks import WebhookSigner

SOME_ID = str(uuid.uuid4())
JOB_EVENT = {
    "id": "e1",
    "type": "job.failed",
    "job_id": SOME_ID,
    "occurred_at": "2026-12-05T07:00:00+00:00",
    "data": {"reason": "poison message", "code": "invalid_input"},
}

# (name, method, path, signed in?, a valid body, the field the bad value goes into, as a JSON pointer)
JSON_TARGETS = [
    ("job text", "POST", "/api/jobs", False, {"text": "Sign in at the desk."}, "/text"),
    (
        "signup username",
        "POST",
        "/api/auth/signup",
        False,
        {"email": "x@example.com", "username": "newbie", "password": "correct horse battery"},
        "/username",
    ),
    (
        "signup e-mail",
        "POST",
        "/api/auth/signup",
        False,
        {"email": "x@example.com", "username": "newbie", "password": "correct horse battery"},
        "/email",
    ),
    (
        "login e-mail",
        "POST",
        "/api/auth/login",
        False,
        {"email": "mina@example.com", "password": "whatever it is"},
        "/email",
    ),
    (
        "login username",
        "POST",
        "/api/auth/login",
        False,
        {"username": "mina", "password": "whatever it is"},
        "/username",
    ),
    ("refresh token", "POST", "/api/auth/refresh", False, {"refresh_token": "abc"}, "/refresh_token"),
    ("api key name", "POST", "/api/api-keys", True, {"name": "nightly import"}, "/name"),
    (
        "endpoint url",
        "POST",
        "/api/webhook-endpoints",
        True,
        {"url": "https://example.com/hook", "event_types": ["job.completed"]},
        "/url",
    ),
    (
        "endpoint description",
        "POST",
        "/api/webhook-endpoints",
        True,
        {"url": "https://example.com/hook", "event_types": ["job.completed"], "description": "mine"},
        "/description",
    ),
    ("style name", "PATCH", f"/api/styles/{SOME_ID}", True, {"name": "Harbour"}, "/name"),
    ("style description", "PATCH", f"/api/styles/{SOME_ID}", True, {"description": "Soft blues"}, "/description"),
    ("style tag", "PATCH", f"/api/styles/{SOME_ID}", True, {"tags": ["sea", "dusk"]}, "/tags/1"),
    (
        "prompt tag",
        "POST",
        "/api/generations",
        True,
        {"style_id": SOME_ID, "prompt_tags": ["sunset"], "aspect_ratio": "1:1"},
        "/prompt_tags/0",
    ),
    ("comment", "POST", f"/api/generations/{SOME_ID}/comments", True, {"body": "Lovely"}, "/body"),
    ("refund reason", "POST", f"/api/payments/{SOME_ID}/cancel", True, {"reason": "changed my mind"}, "/reason"),
    (
        "token package",
        "POST",
        "/api/tokens/purchase",
        True,
        {"package_id": "starter", "payment_method": "card"},
        "/package_id",
    ),
    (
        "preference",
        "PUT",
        "/api/me/notification-preferences",
        True,
        {"preferences": [{"event_type": "job.completed", "in_app": True}]},
        "/preferences/0/event_type",
    ),
    (
        "interview answer",
        "POST",
        f"/api/interviews/{SOME_ID}/answers",
        True,
        {"question_id": SOME_ID, "answer": "I led it."},
        "/answer",
    ),
    ("resume title", "POST", "/api/resumes", True, {"title": "Backend"}, "/title"),
    (
        "resume introduction",
        "PUT",
        f"/api/resumes/{SOME_ID}",
        True,
        {"title": "CV", "self_introduction": "Hi"},
        "/self_introduction",
    ),
    (
        "resume job title",
        "POST",
        "/api/resumes",
        True,
        {"title": "CV", "experiences": [{"job_title": "Engineer", "start_date": "2020-01-01"}]},
        "/experiences/0/job_title",
    ),
    (
        "posting company",
        "POST",
        "/api/job-postings",
        True,
        {"title": "Backend", "company": "Acme", "qualification": "Python", "prefer": "Go"},
        "/company",
    ),
    ("career profile name", "PUT", "/api/users/me/profile", True, {"name": "Mina Kim"}, "/name"),
    ("career profile phone", "PUT", "/api/users/me/profile", True, {"phone": "010-1234-5678"}, "/phone"),
    (
        "google code",
        "POST",
        "/api/auth/google/callback",
        False,
        {"code": "4/0AVG", "redirect_uri": "https://app.example.com/cb"},
        "/code",
    ),
    ("google id token", "POST", "/api/auth/google/token", False, {"id_token": "eyJ.x.y"}, "/id_token"),
    ("lecture title", "POST", "/api/lectures", True, {"title": "스마트폰 기초"}, "/title"),
    (
        "lecture thumbnail",
        "PATCH",
        f"/api/lectures/{SOME_ID}",
        True,
        {"thumbnail_url": "https://e.com/a.png"},
        "/thumbnail_url",
    ),
    (
        "task description",
        "POST",
        f"/api/lectures/{SOME_ID}/tasks",
        True,
        {"title": "t", "description": "d"},
        "/description",
    ),
    ("step guide", "POST", f"/api/tasks/{SOME_ID}/subtasks", True, {"title": "a", "guide_text": "b"}, "/guide_text"),
    (
        "listed step title",
        "POST",
        f"/api/tasks/{SOME_ID}/subtasks",
        True,
        {"subtasks": [{"title": "a"}]},
        "/subtasks/0/title",
    ),
    (
        "step hint",
        "PATCH",
        f"/api/tasks/subtasks/{SOME_ID}",
        True,
        {"target_element_hint": "a"},
        "/target_element_hint",
    ),
    (
        "session join code",
        "POST",
        "/api/sessions/join",
        False,
        {"code": "AC7KMX", "device_id": "d", "display_name": "김"},
        "/code",
    ),
    (
        "session join device",
        "POST",
        "/api/sessions/join",
        False,
        {"code": "AC7KMX", "device_id": "d", "display_name": "김"},
        "/device_id",
    ),
    (
        "session join name",
        "POST",
        "/api/sessions/join",
        False,
        {"code": "AC7KMX", "device_id": "d", "display_name": "김"},
        "/display_name",
    ),
    ("signed-in join name", "POST", f"/api/sessions/{SOME_ID}/join", True, {"display_name": "김"}, "/display_name"),
    ("session broadcast", "POST", f"/api/sessions/{SOME_ID}/broadcast", True, {"message": "hi"}, "/message"),
    ("session control note", "POST", f"/api/sessions/{SOME_ID}/pause", True, {"message": "hi"}, "/message"),
    (
        "completion step",
        "POST",
        f"/api/sessions/{SOME_ID}/report-completion",
        True,
        {"subtask_id": SOME_ID},
        "/subtask_id",
    ),
    (
        "help request error message",
        "POST",
        "/api/help/request",
        True,
        {"lecture_id": SOME_ID, "context": {"error_message": "앱이 멈췄어요"}},
        "/context/error_message",
    ),
    (
        "help request activity element",
        "POST",
        "/api/help/request",
        True,
        {"lecture_id": SOME_ID, "context": {"recent_activity": [{"event_type": "CLICK", "element": "검색"}]}},
        "/context/recent_activity/0/element",
    ),
    (
        "help feedback text",
        "POST",
        "/api/help/feedback",
        True,
        {"help_request_id": SOME_ID, "rating": 5, "text": "a"},
        "/text",
    ),
    ("recording title", "POST", "/api/recordings", True, {"title": "와이파이 켜기"}, "/title"),
    (
        "recording event screen",
        "POST",
        f"/api/recordings/{SOME_ID}/save-events-batch",
        True,
        {"events": [{"event_type": "CLICK", "timestamp": "2026-03-01T09:30:00+00:00", "screen": "홈"}]},
        "/events/0/screen",
    ),
]
# The internal webhooks: (name, path, method, family of the secret, a valid body, a single-line field)
WEBHOOK_TARGETS = [
    ("job reports", "/api/webhooks/jobs", "POST", "jobs", {"events": [JOB_EVENT]}, "/events/0/id"),
    (
        "classroom reports",
        "/api/webhooks/classroom",
        "POST",
        "jobs",
        {
            "events": [
                {
                    "id": "c1",
                    "type": "classroom.failed",
                    "task": "help_analysis",
                    "task_id": SOME_ID,
                    "occurred_at": "2026-12-05T07:00:00+00:00",
                    "data": {"reason": "boom", "code": "timeout"},
                }
            ]
        },
        "/events/0/id",
    ),
    (
        "payment reports",
        "/api/webhooks/payments",
        "POST",
        "payments",
        {
            "events": [
                {
                    "id": "p1",
                    "type": "payment.failed",
                    "payment_id": SOME_ID,
                    "occurred_at": "2026-12-05T07:00:00+00:00",
                }
            ]
        },
        "/events/0/id",
    ),
    (
        "notifier reports",
        "/api/webhooks/notifier",
        "POST",
        "payments",
        {
            "events": [
                {
                    "id": "n1",
                    "type": "endpoint.disabled",
                    "endpoint_id": SOME_ID,
                    "occurred_at": "2026-12-05T07:00:00+00:00",
                }
            ]
        },
        "/events/0/id",
    ),
    (
        "training progress",
        "/api/webhooks/training/progress",
        "PATCH",
        "training",
        {
            "style_id": SOME_ID,
            "progress": {"current_epoch": 1, "total_epochs": 2, "progress_percent": 50, "estimated_seconds": 9},
        },
        "/style_id",
    ),
    (
        "training failed",
        "/api/webhooks/training/failed",
        "POST",
        "training",
        {"style_id": SOME_ID, "error_message": "out of memory", "error_code": "oom"},
        "/error_code",
    ),
    (
        "inference complete",
        "/api/webhooks/inference/complete",
        "POST",
        "inference",
        {"generation_id": SOME_ID, "result_url": "generations/x.png", "metadata": {}},
        "/result_url",
    ),
    (
        "inference failed",
        "/api/webhooks/inference/failed",
        "POST",
        "inference",
        {"generation_id": SOME_ID, "error_message": "boom", "error_code": "x"},
        "/generation_id",
    ),
]
PLACEHOLDER = "@@bad@@"
FIELD_VALUES = [  # (name, what replaces the field's value in the JSON text, status, problem type)
    ("NUL", json.dumps("a\x00b"), 400, "invalid-character"),
    ("lone surrogate", '"a\\ud800b"', 400, "malformed-json"),
    ("5,000-digit integer", "9" * 5000, 400, "malformed-json"),
    ("10,000 levels deep", "[" * 10_000 + "]" * 10_000, 400, "malformed-json"),
    ("right-to-left override", json.dumps("invoice\u202egnp.exe"), 422, "validation-error"),
    ("bell", json.dumps("a\x07b"), 422, "validation-error"),
]


class Store:
    """Counts every table's rows: a refused request leaves every count as it was."""

    def __init__(self, dsn: str):
        self.dsn = dsn

    def counts(self) -> dict[str, int]:
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            query = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
            return dict(conn.execute(query).fetchall())


@pytest.fixture(scope="module")
def store(database_url):
    return Store(database_url.replace("+psycopg", ""))


@pytest.fixture(scope="module")
def who(studio_app):
    """One artist for the whole module: signing up hashes a password, slow enough to matter over 200 cases."""
    client, name = studio_app.test_client(), f"bad{uuid.uuid4().hex[:10]}"
    signup = {"email": f"{name}@example.com", "username": name, "password": "correct horse battery staple"}
    assert client.post("/api/auth/signup", json=signup).status_code == 201
    tokens = client.post("/api/auth/login", json={"username": name, "password": signup["password"]}).json
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.post("/api/users/me/upgrade-to-artist", headers=headers).status_code == 200
    assert client.post("/api/users/me/upgrade-to-instructor", headers=headers).status_code == 200
    return SimpleNamespace(headers=headers)


def with_value(body: dict, pointer: str, value: str) -> str:
    """The JSON text of `body` with PLACEHOLDER at `pointer`, then the placeholder replaced by raw JSON `value`."""
    body = json.loads(json.dumps(body))
    *path, last = pointer.strip("/").split("/")
    node = body
    for part in path:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if isinstance(node, list):
        node[int(last)] = PLACEHOLDER
    else:
        node[last] = PLACEHOLDER
    return json.dumps(body).replace(json.dumps(PLACEHOLDER), value)


def assert_refused(response, status: int, kind: str, store: Store, before: dict, where: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.content_type == "application/problem+json"
    problem = response.json
    assert problem["status"] == status and problem["type"] == f"/problems/{kind}", problem
    if where is not None:
        assert where in [error["pointer"] for error in problem["errors"]], problem
    assert store.counts() == before


@pytest.mark.parametrize(("value_name", "value", "status", "kind"), FIELD_VALUES, ids=[v[0] for v in FIELD_VALUES])
@pytest.mark.parametrize(
    ("name", "method", "path", "signed_in", "body", "field"), JSON_TARGETS, ids=[t[0] for t in JSON_TARGETS]
)
def test_a_bad_value_in_any_json_field_is_a_problem_and_changes_nothing(
    studio, who, store, name, method, path, signed_in, body, field, value_name, value, status, kind
):
    headers = who.headers if signed_in else {}
    before = store.counts()
    raw = with_value(body, field, value)
    response = studio.client.open(path, method=method, data=raw, headers=headers, content_type="application/json")
    where = field if status == 422 or kind == "invalid-character" else None
    assert_refused(response, status, kind, store, before, where)


@pytest.mark.parametrize(
    ("name", "method", "path", "signed_in", "body", "field"), JSON_TARGETS, ids=[t[0] for t in JSON_TARGETS]
)
def test_a_nul_in_a_key_is_a_400_too(studio, who, store, name, method, path, signed_in, body, field):
    before = store.counts()
    raw = json.dumps({**body, "x\x00": 1})
    headers = who.headers if signed_in else {}
    response = studio.client.open(path, method=method, data=raw, headers=headers, content_type="application/json")
    assert_refused(response, 400, "invalid-character", store, before, "/x\\u0000")


@pytest.mark.parametrize(("value_name", "value", "status", "kind"), FIELD_VALUES, ids=[v[0] for v in FIELD_VALUES])
@pytest.mark.parametrize(
    ("name", "path", "method", "family", "body", "field"), WEBHOOK_TARGETS, ids=[t[0] for t in WEBHOOK_TARGETS]
)
def test_a_bad_value_in_a_signed_webhook_is_a_problem_and_changes_nothing(
    studio,
    store,
    webhook_secret,
    payments_secret,
    name,
    path,
    method,
    family,
    body,
    field,
    value_name,
    value,
    status,
    kind,
):
    secrets = {"jobs": webhook_secret, "payments": payments_secret}
    signer = studio.signers.get(family) or WebhookSigner(secrets[family])
    raw = with_value(body, field, value).encode()
    before = store.counts()
    response = studio.client.open(
        path, method=method, data=raw, headers=signer.headers(raw), content_type="application/json"
    )
    where = field if status == 422 or kind == "invalid-character" else None
    assert_refused(response, status, kind, store, before, where)


@pytest.mark.parametrize("timestamp", ["9" * 400, "9" * 5000, "-5", "1.5e9", "1_700_000_000", ""])
@pytest.mark.parametrize(
    ("name", "path", "method", "family", "body", "field"), WEBHOOK_TARGETS, ids=[t[0] for t in WEBHOOK_TARGETS]
)
def test_a_timestamp_that_is_no_number_of_seconds_is_a_401_on_every_internal_webhook(
    studio, store, webhook_secret, payments_secret, name, path, method, family, body, field, timestamp
):
    secrets = {"jobs": webhook_secret, "payments": payments_secret}
    signer = studio.signers.get(family) or WebhookSigner(secrets[family])
    raw = json.dumps(body).encode()
    headers = {**signer.headers(raw), "webhook-timestamp": timestamp}
    before = store.counts()
    response = studio.client.open(path, method=method, data=raw, headers=headers, content_type="application/json")
    assert_refused(response, 401, "invalid-signature", store, before)


QUERY_CASES = [  # (path, signed in?, query, status, problem type, pointer)
    ("/api/search", False, "q=a%00b", 400, "invalid-character", "/q"),
    ("/api/search", False, "q=invoice%E2%80%AEgnp", 422, "validation-error", "/q"),
    ("/api/search", False, "q=a%07b", 422, "validation-error", "/q"),
    ("/api/tests", False, "q=ab%00cd", 400, "invalid-character", "/q"),
    ("/api/tests", False, "q=ab%E2%81%A6cd", 422, "validation-error", "/q"),
    ("/api/courses", False, "q=ab%00cd", 400, "invalid-character", "/q"),
    ("/api/styles", False, "tag=a%00b", 400, "invalid-character", "/tag"),
    ("/api/styles", False, "tag=a%E2%80%AEb", 422, "validation-error", "/tag"),
    ("/api/styles", False, "x%00=1", 400, "invalid-character", "/x\\u0000"),
    ("/api/styles", False, "page_size=" + "9" * 5000, 422, "validation-error", "/page_size"),
    ("/api/styles", False, "page=" + "9" * 400, 422, "validation-error", "/page"),
    ("/api/tests", False, "page=" + "9" * 400, 422, "validation-error", "/page"),
    ("/api/generations/feed", False, "cursor=a%00", 400, "invalid-character", "/cursor"),
    ("/api/tokens/transactions", True, "cursor=a%0Ab", 422, "validation-error", "/cursor"),
    ("/api/resumes", True, "title=a%00b", 400, "invalid-character", "/title"),
    ("/api/job-postings", True, "title=%EA%B0%9C%E2%80%AEb", 422, "validation-error", "/title"),
    ("/api/codes", True, "division=gender%0A", 422, "validation-error", "/division"),
    ("/api/lectures", True, "view=teaching%00", 400, "invalid-character", "/view"),
    ("/api/lectures", True, "page=" + "9" * 400, 422, "validation-error", "/page"),
]


def cursor_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


DEEP = b"[" * 3000 + b"]" * 3000  # json.loads recursed on it: a RecursionError, a 500
QUERY_CASES += [
    ("/api/tests", False, "cursor=" + cursor_of(DEEP), 422, "validation-error", "/cursor"),
    ("/api/search", False, "q=sea&type=styles&cursor=" + cursor_of(DEEP), 422, "validation-error", "/cursor"),
    ("/api/tokens/transactions", True, "cursor=" + cursor_of(b"t" + b"9" * 40), 422, "validation-error", "/cursor"),
]


@pytest.mark.parametrize(("path", "signed_in", "query", "status", "kind", "where"), QUERY_CASES)
def test_a_bad_query_string_is_a_problem_and_changes_nothing(
    studio, who, store, path, signed_in, query, status, kind, where
):
    before = store.counts()
    response = studio.client.get(f"{path}?{query}", headers=who.headers if signed_in else {})
    assert_refused(response, status, kind, store, before, where)


@pytest.mark.parametrize(
    ("fields", "status", "kind", "where"),
    [
        ({"name": "Har\x00bour"}, 400, "invalid-character", "/name"),
        ({"description": "a\x00"}, 400, "invalid-character", "/description"),
        ({"name": "Harbour\u202e"}, 422, "validation-error", "/name"),
        ({"name": "Harbour\nat dusk"}, 422, "validation-error", "/name"),
        ({"description": "Soft\x1b[31m blues"}, 422, "validation-error", "/description"),
        ({"tags": "sea,du\u2066sk"}, 422, "validation-error", "/tags/0"),
    ],
)
def test_a_bad_multipart_field_is_a_problem_and_nothing_is_stored(studio, who, store, fields, status, kind, where):
    before = store.counts()
    response = studio.upload(who, **fields)
    assert_refused(response, status, kind, store, before, where)


def test_text_of_several_lines_with_tabs_is_still_taken(studio, who):
    job = studio.client.post("/api/jobs", json={"text": "Rules:\n\t1. Sign in.\r\n\t2. Wear a badge."})
    assert job.status_code == 202, job.json
    style = studio.client.patch(
        f"/api/styles/{SOME_ID}", json={"description": "Line one\nLine two"}, headers=who.headers
    )
    assert style.status_code == 404  # past validation: there is no such style
    assert studio.client.get("/api/search?q=%EC%88%98%EC%B1%84%ED%99%94").status_code == 200  # 수채화


# --- every request schema is made of fields that refuse what they cannot store ---

# Decoded by the field itself: anything that is not a cursor of ours is refused there.
DECODED_TOKENS = (CursorField, CatalogCursorField, SearchCursorField)
INTEGER_BOUND = 2**63 - 1


def request_schemas(app) -> list[ma.Schema]:
    """Every schema the API loads: the views' arguments and the internal webhooks' bodies."""
    schemas = []
    for view in app.view_functions.values():
        view_class = getattr(view, "view_class", None)
        handlers = [
            getattr(view_class, m)
            for m in ("get", "post", "put", "patch", "delete")
            if view_class and hasattr(view_class, m)
        ]
        for handler in handlers or [view]:
            for parameter in getattr(handler, "_apidoc", {}).get("arguments", {}).get("parameters", []):
                schema = parameter["schema"]
                schemas.append(schema() if isinstance(schema, type) else schema)
    webhooks = [JOB_EVENT_BATCH, PaymentEventBatchSchema(), notifier.NOTIFIER_BATCH, *notifier.DATA_SCHEMAS.values()]
    bodies = [*training.BODIES.values(), *inference.BODIES.values()]
    return schemas + webhooks + list(DATA_SCHEMAS.values()) + bodies


def fields_of(schema: ma.Schema, seen=None):
    seen = set() if seen is None else seen
    if id(schema) in seen:
        return
    seen.add(id(schema))
    for name, field in schema.load_fields.items():
        yield from _walk(f"{type(schema).__name__}.{name}", field, seen)


def _walk(where: str, field: ma.fields.Field, seen):
    if isinstance(field, ma.fields.Nested):
        yield from fields_of(field.schema, seen)
    elif isinstance(field, ma.fields.List):
        yield from _walk(f"{where}[]", field.inner, seen)
    else:
        yield where, field


def unsafe(field: ma.fields.Field) -> str | None:
    """Why a request field could let through what it cannot store, or None."""
    validators = field.validators
    if isinstance(field, ma.fields.String) and not isinstance(field, DECODED_TOKENS):
        chosen = any(isinstance(v, ma.validate.OneOf | ma.validate.Equal) for v in validators)
        if not chosen and not any(isinstance(v, Characters) for v in validators):
            return "a string field that is not Line, Text or Secret (gateway/api/fields.py)"
    if isinstance(field, ma.fields.Integer) and not any(isinstance(v, ma.validate.Equal) for v in validators):
        ranges = [v for v in validators if isinstance(v, ma.validate.Range)]
        bounded = [r for r in ranges if r.min is not None and r.max is not None]
        if not bounded or any(abs(r.min) > INTEGER_BOUND + 1 or r.max > INTEGER_BOUND for r in bounded):
            return "an integer field without a Range its column can hold (COUNT, INT32, ...)"
    known = ma.fields.String | ma.fields.Integer | Flag | Upload
    if not isinstance(field, known) and type(field).__module__.startswith("gateway"):
        return "a field of the gateway's own that this test does not know"
    return None


def test_every_string_and_integer_field_of_every_request_schema_is_bounded(app, studio_app):
    schemas = request_schemas(app) + request_schemas(studio_app)
    assert len(schemas) > 40
    problems = sorted({f"{where}: {why}" for s in schemas for where, f in fields_of(s) if (why := unsafe(f))})
    assert problems == []
