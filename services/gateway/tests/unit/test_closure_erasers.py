"""Closing an account runs the other lines' erasers inside its own transaction: all of it happens, or none."""

import uuid
from datetime import UTC, datetime

import pytest
from fake_accounts import FakeAccountStore
from fake_uow import FakeUnitOfWork

from gateway.accounts import closure, sessions
from gateway.accounts.models import User
from gateway.accounts.passwords import hash_password
from gateway.accounts.sessions import Principal
from gateway.accounts.tokens import TokenService, generate_private_key_pem
from gateway.platform.errors import Forbidden, Unauthenticated

TOKENS = TokenService(generate_private_key_pem(), issuer="gw", audience="api", access_ttl=900, refresh_ttl=3600)
PASSWORD = "a long passphrase"


class Quiet:
    def tell(self, messages) -> None:
        pass

    def login(self, ip: str, identifier: str) -> None:
        pass


class Eraser:
    """Records each call and whether it came inside the closure's open transaction."""

    def __init__(self, uow: FakeUnitOfWork, fails: bool = False):
        self.uow, self.fails, self.calls = uow, fails, []

    def __call__(self, uow, user_id, now) -> None:
        self.calls.append((uow, user_id, now, uow.commits == self.uow.commits))
        if self.fails:
            raise RuntimeError("the careers tables are unreachable")


@pytest.fixture
def store():
    return FakeAccountStore()


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store)


def signed_in(uow, store) -> Principal:
    now = datetime.now(UTC)
    user = User(
        id=uuid.uuid4(),
        email="ann@example.com",
        username="ann",
        roles=["user"],
        email_verified=True,
        password_hash=hash_password(PASSWORD),
        created_at=now,
    )
    store.add(user)
    sessions.start_session(uow, TOKENS, user)
    return Principal(user.id, ("user",), session_id=next(iter(store.refresh_tokens.values())).family_id)


def close(uow, principal, password, *erasers):
    closure.close_account(uow, TOKENS, Quiet(), Quiet(), principal, password, "127.0.0.1", erasers)


def test_each_eraser_runs_once_for_the_account_before_the_commit(uow, store):
    principal = signed_in(uow, store)
    first, second = Eraser(uow), Eraser(uow)
    commits = uow.commits
    close(uow, principal, PASSWORD, first, second)
    for eraser in (first, second):
        [(given_uow, user_id, now, before_commit)] = eraser.calls
        assert given_uow is uow and user_id == principal.user_id and before_commit
        assert now == store.users[principal.user_id].closed_at
    assert uow.commits == commits + 1


def test_what_an_eraser_leaves_for_later_runs_only_after_the_commit(uow, store):
    """Files outside the database (a résumé's photos) go once the account's closure has committed, not before."""
    principal = signed_in(uow, store)
    commits, seen = uow.commits, []
    close(uow, principal, PASSWORD, lambda *_: lambda: seen.append(uow.commits), Eraser(uow))
    assert seen == [commits + 1]


def test_nothing_is_left_for_later_when_the_closure_fails(uow, store):
    principal = signed_in(uow, store)
    seen = []
    with pytest.raises(RuntimeError):
        close(uow, principal, PASSWORD, lambda *_: lambda: seen.append("deleted"), Eraser(uow, fails=True))
    assert seen == []


def test_no_eraser_runs_when_the_closure_is_refused(uow, store):
    principal = signed_in(uow, store)
    eraser = Eraser(uow)
    with pytest.raises(Forbidden):
        close(uow, principal, "not it", eraser)
    with pytest.raises(Forbidden):
        close(uow, Principal(principal.user_id, ("user",), via="api_key"), PASSWORD, eraser)
    assert eraser.calls == []


def test_a_failing_eraser_leaves_the_account_open(uow, store):
    principal = signed_in(uow, store)
    with pytest.raises(RuntimeError):
        close(uow, principal, PASSWORD, Eraser(uow, fails=True))
    assert store.users[principal.user_id].closed_at is None and store.disabled_webhooks == []


def test_hold_open_refuses_a_closed_account(uow, store):
    principal = signed_in(uow, store)
    with uow:
        closure.hold_open(uow, principal.user_id)  # open: nothing happens
    close(uow, principal, PASSWORD)
    with uow, pytest.raises(Unauthenticated):
        closure.hold_open(uow, principal.user_id)
