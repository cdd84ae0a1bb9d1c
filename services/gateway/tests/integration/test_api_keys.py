"""API keys: created once, listed without the secret, usable as a bearer credential, deleted for good."""

import uuid

import psycopg
import pytest


def test_a_key_is_shown_once_works_as_a_bearer_and_stops_when_deleted(client, alice, database_url):
    created = client.post("/api/api-keys", json={"name": "nightly import"}, headers=alice.headers)
    assert created.status_code == 201 and created.headers["Location"] == f"/api/api-keys/{created.json['id']}"
    key = created.json["key"]
    assert key.startswith(f"ak_{created.json['prefix']}_")
    listed = client.get("/api/api-keys", headers=alice.headers).json
    assert [k["id"] for k in listed] == [created.json["id"]] and "key" not in listed[0]
    with psycopg.connect(database_url.replace("+psycopg", "")) as conn:
        stored = conn.execute("SELECT secret_hash FROM api_keys WHERE id = %s", (created.json["id"],)).fetchone()[0]
    assert key.encode() not in bytes(stored)

    as_key = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/auth/me", headers=as_key).json["id"] == alice.user["id"]
    job = client.post("/api/jobs", json={"text": "Lock the door."}, headers=as_key).json
    assert client.get(f"/api/jobs/{job['event_id']}", headers=alice.headers).status_code == 200
    assert client.get("/api/api-keys", headers=as_key).json[0]["last_used_at"] is not None

    assert client.delete(f"/api/api-keys/{created.json['id']}", headers=alice.headers).status_code == 204
    refused = client.get("/api/auth/me", headers=as_key)
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
    assert client.get("/api/api-keys", headers=alice.headers).json == []
    assert client.delete(f"/api/api-keys/{created.json['id']}", headers=alice.headers).status_code == 404


def test_another_users_key_is_a_404_and_survives(client, alice, bob):
    created = client.post("/api/api-keys", json={"name": "mine"}, headers=alice.headers).json
    assert client.delete(f"/api/api-keys/{created['id']}", headers=bob.headers).status_code == 404
    assert client.get("/api/api-keys", headers=bob.headers).json == []
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {created['key']}"}).status_code == 200


def test_a_forged_key_with_a_real_prefix_is_refused(client, alice):
    created = client.post("/api/api-keys", json={"name": "x"}, headers=alice.headers).json
    forged = f"ak_{created['prefix']}_{'A' * 43}"
    assert client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_an_api_key_cannot_log_out(client, alice):
    key = client.post("/api/api-keys", json={"name": "x"}, headers=alice.headers).json["key"]
    response = client.post("/api/auth/logout", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 403 and response.content_type == "application/problem+json"


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "x" * 101}, {"name": "ok", "scope": "all"}])
def test_bad_bodies_are_422_and_create_nothing(client, alice, body):
    assert client.post("/api/api-keys", json=body, headers=alice.headers).status_code == 422
    assert client.get("/api/api-keys", headers=alice.headers).json == []


@pytest.mark.parametrize("key_id", ["nope", str(uuid.uuid4())])
def test_unknown_or_malformed_ids_are_404(client, alice, key_id):
    response = client.delete(f"/api/api-keys/{key_id}", headers=alice.headers)
    assert response.status_code == 404 and response.content_type == "application/problem+json"
