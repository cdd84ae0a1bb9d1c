"""Login and sign-up throttling, kept in the real Redis so it holds across workers."""

import uuid

import pytest

from gateway.accounts.sessions import WRONG_CREDENTIALS
from gateway.app import create_app


@pytest.fixture
def limited(gateway_settings, redis_prefix):
    """Two 'workers' (apps with their own pools) sharing tight limits under a fresh Redis prefix."""
    settings = gateway_settings.model_copy(
        update={
            "rate_limit_prefix": f"{redis_prefix}:rl-{uuid.uuid4().hex[:8]}",
            "rate_limit_login_per_ip": "5/minute",
            "rate_limit_login_per_account": "3/minute",
            "rate_limit_signup_per_ip": "2/minute",
        }
    )
    return create_app(settings).test_client(), create_app(settings).test_client()


def login(client, username: str, ip: str):
    body = {"username": username, "password": "wrong password here"}
    return client.post("/api/auth/login", json=body, environ_base={"REMOTE_ADDR": ip})


def test_per_account_limit_holds_across_workers_and_addresses(limited, alice):
    one, two = limited
    name = alice.user["username"]
    answers = [login(worker, name, f"10.0.0.{i}").status_code for i, worker in enumerate((one, two, one, two))]
    assert answers == [401, 401, 401, 429]
    refused = login(one, name.upper(), "10.0.0.99")  # another address, the same account in other case
    assert refused.status_code == 429 and refused.content_type == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Even the right password waits: the limit counts attempts, not failures.
    right = one.post("/api/auth/login", json={"username": name, "password": "correct horse battery staple"})
    assert right.status_code == 429


def test_the_e_mail_and_the_username_of_an_account_share_its_budget(limited, alice, accounts):
    one, _ = limited
    email, name = alice.user["email"], alice.user["username"]
    answers = [login(one, who, f"10.3.3.{i}").status_code for i, who in enumerate((email, name.upper(), email))]
    assert answers == [401, 401, 401]
    # Each identifier has an attempt left (2 of 3), the account none: even the right password is refused ...
    right = {"username": name, "password": accounts.PASSWORD}
    refused = one.post("/api/auth/login", json=right, environ_base={"REMOTE_ADDR": "10.3.3.9"})
    assert refused.status_code == 401 and refused.json["detail"] == WRONG_CREDENTIALS
    # ... while another account is not affected.
    bob = accounts.new()
    assert login(one, bob.user["username"], "10.3.3.10").status_code == 401
    right = {"username": bob.user["username"], "password": accounts.PASSWORD}
    assert one.post("/api/auth/login", json=right, environ_base={"REMOTE_ADDR": "10.3.3.11"}).status_code == 200


def test_the_limits_answer_alike_whether_or_not_an_account_exists(limited, alice):
    one, _ = limited
    unknown = f"nobody{uuid.uuid4().hex[:8]}"

    def answers(email: str, name: str, net: int) -> list:
        tried = [login(one, who, f"10.4.{net}.{i}") for i, who in enumerate((email, name) * 3 + (email,))]
        return [(r.status_code, r.json["detail"].split(";")[0]) for r in tried]

    existing = answers(alice.user["email"], alice.user["username"], 1)
    assert existing == answers(f"{unknown}@example.com", unknown, 2)
    assert [status for status, _ in existing] == [401] * 6 + [429]


def test_per_ip_limit_holds_across_workers(limited):
    one, two = limited
    answers = [login((one, two)[i % 2], f"nobody{i}", "10.1.1.1").status_code for i in range(6)]
    assert answers == [401] * 5 + [429]
    assert login(one, "nobody-else", "10.1.1.2").status_code == 401  # other addresses are unaffected


def test_sign_up_is_limited_per_ip(limited):
    one, two = limited

    def sign_up(client):
        name = f"rl{uuid.uuid4().hex[:8]}"
        body = {"email": f"{name}@x.org", "username": name, "password": "correct horse battery"}
        return client.post("/api/auth/signup", json=body, environ_base={"REMOTE_ADDR": "10.2.2.2"})

    assert [sign_up(c).status_code for c in (one, two, one)] == [201, 201, 429]


def test_when_redis_is_down_logins_go_through(gateway_settings, alice):
    settings = gateway_settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    client = create_app(settings).test_client()
    body = {"username": alice.user["username"], "password": "correct horse battery staple"}
    assert client.post("/api/auth/login", json=body).status_code == 200
