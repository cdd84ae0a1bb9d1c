"""Who may call what: every endpoint is classified, anonymous and other-user calls are refused."""

import re
import uuid

import psycopg

from gateway.app import create_app

# Endpoints anyone may call; webhooks authenticate by signature only, never by a user token.
PUBLIC = {
    ("GET", "/api/health"),
    ("POST", "/api/auth/signup"),
    ("POST", "/api/auth/register"),
    ("POST", "/api/auth/login"),
    ("POST", "/api/auth/refresh"),
    ("GET", "/api/auth/jwks"),
    ("GET", "/api/auth/google/login"),
    ("GET", "/api/auth/google/callback"),
    ("POST", "/api/auth/google/callback"),
    ("POST", "/api/auth/google/token"),
    ("POST", "/api/webhooks/jobs"),
    ("POST", "/api/webhooks/payments"),
    ("POST", "/api/webhooks/notifier"),
    ("POST", "/api/webhooks/careers"),
    ("POST", "/api/webhooks/classroom"),
    ("GET", "/api/tokens/packages"),
    # the style studio: trained public styles, provenance, and the AI servers' signed reports
    ("GET", "/api/styles"),
    ("POST", "/api/signatures/verify"),
    ("PATCH", "/api/webhooks/training/progress"),
    ("POST", "/api/webhooks/training/complete"),
    ("POST", "/api/webhooks/training/failed"),
    ("PATCH", "/api/webhooks/inference/progress"),
    ("POST", "/api/webhooks/inference/complete"),
    ("POST", "/api/webhooks/inference/failed"),
    # live sessions: a learner without an account joins by code; the QR code shows only what its code holds
    ("POST", "/api/sessions/join"),
    ("GET", "/api/sessions/<code>/qr.png"),
}
# Credentials optional (anonymous jobs, reachable by their id only).
OPTIONAL = {
    ("POST", "/api/jobs"),
    ("GET", "/api/jobs/<event_id>"),
    # the catalog is public; signed in, each item says whether you applied
    ("GET", "/api/tests"),
    ("GET", "/api/courses"),
    ("GET", "/api/tests/<item_id>"),
    ("GET", "/api/courses/<item_id>"),
    # public trained styles and public completed generations; signed in, your own in any status
    ("GET", "/api/styles/<style_id>"),
    ("GET", "/api/generations/<generation_id>"),
    # the public feed, comments, profiles and search; signed in, each says what you liked or follow
    ("GET", "/api/generations/feed"),
    ("GET", "/api/generations/<generation_id>/comments"),
    ("GET", "/api/generations/<generation_id>/comments/<comment_id>"),
    ("GET", "/api/users/<user_id>"),
    ("GET", "/api/users/<user_id>/followers"),
    ("GET", "/api/users/<user_id>/following"),
    ("GET", "/api/search"),
}
ID_PLACEHOLDERS = {
    "<event_id>": str(uuid.uuid4()),
    "<key_id>": str(uuid.uuid4()),
    "<payment_id>": str(uuid.uuid4()),
    "<item_id>": "1",
    "<notification_id>": str(uuid.uuid4()),
    "<endpoint_id>": str(uuid.uuid4()),
    "<style_id>": str(uuid.uuid4()),
    "<generation_id>": str(uuid.uuid4()),
    "<comment_id>": str(uuid.uuid4()),
    "<user_id>": str(uuid.uuid4()),
    "<resume_id>": str(uuid.uuid4()),
    "<posting_id>": str(uuid.uuid4()),
    "<feedback_id>": str(uuid.uuid4()),
    "<rewrite_id>": str(uuid.uuid4()),
    "<interview_id>": str(uuid.uuid4()),
    "<guide_id>": str(uuid.uuid4()),
    "<lecture_id>": str(uuid.uuid4()),
    "<task_id>": str(uuid.uuid4()),
    "<subtask_id>": str(uuid.uuid4()),
    "<session_id>": str(uuid.uuid4()),
    "<help_request_id>": str(uuid.uuid4()),
    "<recording_id>": str(uuid.uuid4()),
    "<code>": "AC7KMX",
}


def api_endpoints(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = re.sub(r"<\w+:(\w+)>", r"<\1>", rule.rule.rstrip("/"))  # <id:user_id> is <user_id> here
            found |= {(method, path) for method in rule.methods - {"HEAD", "OPTIONS"}}
    return found


def concrete(path: str) -> str:
    for placeholder, value in ID_PLACEHOLDERS.items():
        path = path.replace(placeholder, value)
    return path


def test_every_api_endpoint_is_classified(app):
    protected = api_endpoints(app) - PUBLIC - OPTIONAL
    assert protected, "no protected endpoints found"
    for method, path in protected:
        assert "<" not in concrete(path), f"give {method} {path} an id placeholder here"


def test_every_protected_endpoint_refuses_anonymous_calls(app, client):
    for method, path in sorted(api_endpoints(app) - PUBLIC - OPTIONAL):
        response = client.open(concrete(path), method=method, json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.content_type == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_every_protected_and_optional_endpoint_refuses_a_bad_token(app, client):
    bad = {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."}
    for method, path in sorted(api_endpoints(app) - PUBLIC):
        response = client.open(concrete(path), method=method, json={"text": "x"}, headers=bad)
        assert response.status_code == 401, (method, path, response.status_code)
        assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_a_users_job_is_theirs_alone(client, alice, bob):
    job = client.post("/api/jobs", json={"text": "Wear gloves."}, headers=alice.headers).json["event_id"]
    assert client.get(f"/api/jobs/{job}", headers=alice.headers).status_code == 200
    for other in (bob.headers, {}):
        response = client.get(f"/api/jobs/{job}", headers=other)
        assert response.status_code == 404 and "no job" in response.json["detail"]  # never a 403 that confirms it
    assert [j["event_id"] for j in client.get("/api/jobs", headers=alice.headers).json["items"]] == [job]
    assert client.get("/api/jobs", headers=bob.headers).json["total"] == 0


def test_an_anonymous_job_is_reached_by_its_id_only(client, alice):
    job = client.post("/api/jobs", json={"text": "Wear gloves."}).json["event_id"]
    assert client.get(f"/api/jobs/{job}").status_code == 200
    assert client.get(f"/api/jobs/{job}", headers=alice.headers).status_code == 200
    assert client.get("/api/jobs", headers=alice.headers).json["total"] == 0
    assert client.get("/api/jobs").status_code == 401  # no anonymous listing of everyone's jobs


def test_a_bad_token_on_submit_is_401_and_records_nothing(client, database_url):
    text = f"unique text {uuid.uuid4()}"
    response = client.post("/api/jobs", json={"text": text}, headers={"Authorization": "Bearer expired.or.forged"})
    assert response.status_code == 401
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        assert conn.execute("SELECT count(*) FROM jobs WHERE text = %s", (text,)).fetchone()[0] == 0


def test_anonymous_jobs_can_be_switched_off(gateway_settings, alice):
    client = create_app(gateway_settings.model_copy(update={"allow_anonymous_jobs": False})).test_client()
    refused = client.post("/api/jobs", json={"text": "Wear gloves."})
    assert refused.status_code == 401 and refused.content_type == "application/problem+json"
    assert client.post("/api/jobs", json={"text": "Wear gloves."}, headers=alice.headers).status_code == 202


def test_a_token_of_a_deleted_account_is_refused_everywhere(client, accounts, database_url):
    gone = accounts.new()
    with psycopg.connect(database_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DELETE FROM users WHERE id = %s", (gone.user["id"],))
    for method, path in [
        ("GET", "/api/auth/me"),
        ("GET", "/api/api-keys"),
        ("GET", "/api/jobs"),
        ("POST", "/api/jobs"),
    ]:
        response = client.open(path, method=method, json={"text": "x"}, headers=gone.headers)
        assert response.status_code == 401, (method, path)
