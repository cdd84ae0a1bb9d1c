"""The OpenAPI document and its UIs work offline; health reports every dependency, in detail to the operator only."""

import pytest

from gateway.app import create_app

OPERATOR_TOKEN = "op_" + "s3cret" * 6
OPERATOR = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


@pytest.fixture(scope="module")
def operated(gateway_settings):
    """A client of an app with OPERATOR_TOKEN set."""
    return create_app(gateway_settings.model_copy(update={"operator_token": OPERATOR_TOKEN})).test_client()


def test_openapi_document_describes_the_api_and_problem_errors(client):
    spec = client.get("/schema/").json
    assert spec["openapi"].startswith("3.1")
    assert {"/api/jobs", "/api/jobs/{event_id}", "/api/webhooks/jobs", "/api/health/detailed"} <= set(spec["paths"])
    post = spec["paths"]["/api/jobs"]["post"]
    assert "202" in post["responses"] and "422" in post["responses"]
    unprocessable = spec["components"]["responses"]["UNPROCESSABLE_ENTITY"]
    assert "application/problem+json" in unprocessable["content"]


def test_swagger_and_redoc_load_their_assets_locally(client):
    swagger = client.get("/swagger/").get_data(as_text=True)
    assert "/static/swagger-ui/swagger-ui-bundle.js" in swagger and "cdn" not in swagger.lower()
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    redoc = client.get("/redoc/").get_data(as_text=True)
    assert "/static/redoc/redoc.standalone.js" in redoc
    assert client.get("/static/redoc/redoc.standalone.js").status_code == 200


def test_liveness(client):
    assert client.get("/api/health").json == {"status": "ok"}


def test_detailed_health_checks_postgres_rabbitmq_outbox_and_queues(operated, amqp_url):
    from shared.amqp.topology import ensure_declared

    ensure_declared(amqp_url, [1000, 5000, 30000], "test")
    response = operated.get("/api/health/detailed", headers=OPERATOR)
    report = response.json
    assert report["checks"]["postgres"]["state"] == "ok"
    assert report["checks"]["rabbitmq"]["state"] == "ok"
    names = {q["name"] for q in report["checks"]["rabbitmq"]["queues"]}
    assert {"llm-worker.jobs", "llm-worker.jobs.dead"} <= names
    assert "pending" in report["checks"]["outbox"]


def test_detailed_health_says_down_when_rabbitmq_is_unreachable(gateway_settings):
    update = {"amqp_url": "amqp://guest:guest@127.0.0.1:1/%2F", "operator_token": OPERATOR_TOKEN}
    response = (
        create_app(gateway_settings.model_copy(update=update))
        .test_client()
        .get("/api/health/detailed", headers=OPERATOR)
    )
    assert response.status_code == 503
    assert response.json["checks"]["rabbitmq"]["state"] == "down"
    assert response.json["checks"]["postgres"]["state"] == "ok"


@pytest.mark.parametrize(
    ("headers", "invalid_token"),
    [
        ({}, False),
        ({"Authorization": "Basic b3BlcmF0b3I6eA=="}, False),
        ({"Authorization": "Bearer "}, False),
        ({"Authorization": f"Bearer {OPERATOR_TOKEN[:-1]}"}, True),
        ({"Authorization": f"Bearer {OPERATOR_TOKEN}x"}, True),
        ({"Authorization": "Bearer eyJhbGciOiJSUzI1NiJ9.e30.x"}, True),  # a user's token is not the operator's
    ],
)
def test_detailed_health_is_for_the_operator_only(operated, headers, invalid_token):
    response = operated.get("/api/health/detailed", headers=headers)
    assert response.status_code == 401 and response.content_type == "application/problem+json"
    assert "checks" not in response.json and "queues" not in response.get_data(as_text=True)
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="platform"') and ('error="invalid_token"' in challenge) == invalid_token


def test_detailed_health_refuses_everyone_when_no_operator_token_is_set(client):
    assert client.get("/api/health/detailed", headers={"Authorization": "Bearer "}).status_code == 401
    assert client.get("/api/health/detailed", headers={"Authorization": "Bearer x"}).status_code == 401
    assert client.get("/api/health").status_code == 200  # liveness stays public


def test_the_openapi_document_shows_the_operator_credential(client):
    spec = client.get("/schema/").json
    detailed = spec["paths"]["/api/health/detailed"]["get"]
    assert detailed["security"] == [{"operatorToken": []}] and "401" in detailed["responses"]
    assert spec["components"]["securitySchemes"]["operatorToken"]["scheme"] == "bearer"
    assert "security" not in spec["paths"]["/api/health"]["get"]


def test_a_database_outage_is_a_503_problem_with_retry_after(gateway_settings):
    import uuid

    from gateway.accounts.tokens import ACCESS
    from gateway.app import create_app

    settings = gateway_settings.model_copy(update={"database_url": "postgresql+psycopg://postgres@127.0.0.1:1/none"})
    app = create_app(settings)
    client = app.test_client()
    token = app.extensions["gateway"].tokens.issue(ACCESS, uuid.uuid4(), uuid.uuid4()).token
    signed_in = {"Authorization": f"Bearer {token}"}
    answers = (
        client.post("/api/jobs", json={"text": "Sign in."}),
        client.get("/api/jobs", headers=signed_in),  # the revocation check needs the database too
        client.post("/api/auth/login", json={"username": "someone", "password": "whatever123"}),
    )
    for response in answers:
        assert response.status_code == 503
        assert response.content_type == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
        assert "database is unavailable" in response.json["detail"]
