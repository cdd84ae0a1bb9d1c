"""The accounts' rules through a fake unit of work: API key limits, refresh reuse, closure, linking to Google."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fake_accounts import FakeAccountStore
from fake_uow import FakeUnitOfWork

from gateway.accounts import api_keys, closure, sessions
from gateway.accounts import service as accounts
from gateway.accounts.models import ApiKey, User
from gateway.accounts.passwords import hash_password
from gateway.accounts.sessions import Principal
from gateway.accounts.tokens import TokenService, generate_private_key_pem
from gateway.platform.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from shared.messages import AccountClosed, SessionRevoked

TOKENS = TokenService(generate_private_key_pem(), issuer="gw", audience="api", access_ttl=900, refresh_ttl=3600)


class Notice:
    """A revocation notice that remembers what it was told."""

    def __init__(self):
        self.told = []

    def tell(self, messages) -> None:
        self.told += messages


class Throttle:
    def login(self, ip: str, identifier: str) -> None:
        pass


@pytest.fixture
def store():
    return FakeAccountStore()


@pytest.fixture
def uow(store):
    return FakeUnitOfWork(store)


def a_user(store, password: str | None = "a long passphrase", **fields) -> User:
    now = datetime.now(UTC)
    values = {"email": "ann@example.com", "username": "ann", "roles": ["user"], "email_verified": False} | fields
    user = User(id=uuid.uuid4(), password_hash=password and hash_password(password), created_at=now, **values)
    store.add(user)
    return user


def a_key(store, user_id) -> ApiKey:
    key = ApiKey(id=uuid.uuid4(), user_id=user_id, name="ci", prefix=uuid.uuid4().hex[:12], secret_hash=b"")
    key.created_at = datetime.now(UTC)
    store.add(key)
    return key


def test_a_user_holds_at_most_the_limit_of_api_keys_and_a_refusal_adds_none(uow, store):
    user = a_user(store)
    for _ in range(api_keys.MAX_KEYS_PER_USER):
        api_keys.create_api_key(uow, user.id, "ci")
    with pytest.raises(InvalidInput, match="At most 50 API keys"):
        api_keys.create_api_key(uow, user.id, "one more")
    assert len(store.api_keys) == api_keys.MAX_KEYS_PER_USER


def test_another_users_key_or_a_revoked_one_is_a_404_and_stays_as_it_was(uow, store):
    owner, other = a_user(store), a_user(store, email="bob@example.com", username="bob")
    key = a_key(store, owner.id)
    with pytest.raises(NotFound):
        api_keys.delete_api_key(uow, other.id, str(key.id))
    assert store.api_keys[key.id].revoked_at is None
    api_keys.delete_api_key(uow, owner.id, str(key.id))
    with pytest.raises(NotFound):
        api_keys.delete_api_key(uow, owner.id, str(key.id))
    assert api_keys.list_api_keys(uow, owner.id) == []


def test_a_reused_refresh_token_ends_its_session_and_no_other(uow, store):
    user, notice = a_user(store), Notice()
    first = sessions.start_session(uow, TOKENS, user)
    other = sessions.start_session(uow, TOKENS, user)
    sessions.refresh(uow, TOKENS, notice, first.refresh_token)
    with pytest.raises(Unauthenticated, match="already used"):
        sessions.refresh(uow, TOKENS, notice, first.refresh_token)
    [revoked] = notice.told
    assert isinstance(revoked, SessionRevoked) and revoked.reason == "refresh_token_reused"
    assert store.messages == [revoked] and list(store.revocations) == [uuid.UUID(revoked.session_id)]
    [live] = store.live_sessions(user.id, datetime.now(UTC))
    assert str(live) != revoked.session_id
    sessions.refresh(uow, TOKENS, notice, other.refresh_token)  # the other session goes on


def test_a_wrong_password_keeps_the_account_open_and_the_right_one_ends_every_credential(uow, store):
    user, notice = a_user(store), Notice()
    a_key(store, user.id)
    sessions.start_session(uow, TOKENS, user)
    principal = Principal(user.id, ("user",), session_id=next(iter(store.refresh_tokens.values())).family_id)
    with pytest.raises(Forbidden, match="password is wrong"):
        closure.close_account(uow, TOKENS, Throttle(), notice, principal, "not it", "127.0.0.1")
    assert store.users[user.id].closed_at is None and store.messages == [] and store.disabled_webhooks == []
    with pytest.raises(Forbidden, match="API key cannot close"):
        closure.close_account(uow, TOKENS, Throttle(), notice, Principal(user.id, ("user",), via="api_key"), "", "")
    closure.close_account(uow, TOKENS, Throttle(), notice, principal, "a long passphrase", "127.0.0.1")
    closed = store.users[user.id]
    assert closed.closed_at is not None and closed.password_hash is None and closed.email.endswith(".invalid")
    assert store.active_api_keys(user.id) == [] and store.live_sessions(user.id, datetime.now(UTC)) == []
    assert store.disabled_webhooks == [(user.id, "the account was closed")]
    assert [type(m) for m in notice.told] == [AccountClosed] and store.messages == notice.told


def test_an_account_without_password_is_closed_only_soon_after_a_sign_in(uow, store):
    user = a_user(store, password=None)
    sessions.start_session(uow, TOKENS, user)
    token = next(iter(store.refresh_tokens.values()))
    token.issued_at -= closure.RECENT_SIGN_IN + timedelta(seconds=1)
    principal = Principal(user.id, ("user",), session_id=token.family_id)
    with pytest.raises(Forbidden, match="sign in with Google again"):
        closure.close_account(uow, TOKENS, Throttle(), Notice(), principal, None, "127.0.0.1")
    assert store.users[user.id].closed_at is None


def test_google_proving_an_address_drops_the_credentials_made_without_that_proof(uow, store):
    squatter, notice = a_user(store), Notice()
    a_key(store, squatter.id)
    sessions.start_session(uow, TOKENS, squatter)
    linked = accounts.upsert_google_user(uow, notice, 900, "sub-1", "ANN@example.com", True, None)
    assert linked.id == squatter.id and linked.password_hash is None and linked.google_sub == "sub-1"
    assert store.active_api_keys(squatter.id) == [] and store.live_sessions(squatter.id, datetime.now(UTC)) == []
    assert [m.reason for m in notice.told] == ["credentials_reset"]


def test_a_new_google_account_takes_a_free_username(uow, store):
    a_user(store, email="al@example.com", username="aluser")
    user = accounts.upsert_google_user(uow, Notice(), 900, "sub-2", "al@elsewhere.example", True, "al")
    assert user.username.startswith("aluser") and user.username != "aluser" and user.email_verified
