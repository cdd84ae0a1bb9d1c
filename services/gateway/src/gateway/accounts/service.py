"""Use cases of accounts: sign up, read yourself, become an artist, sign in with Google."""

import uuid
from datetime import UTC, datetime

from gateway.accounts.models import User
from gateway.accounts.passwords import hash_password
from gateway.accounts.revocation_notice import RevocationNotice
from gateway.accounts.revocations import revoke_sessions
from gateway.accounts.rules import normalise_email, password_problem, username_problem
from gateway.accounts.store import AccountStore, Taken
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Conflict, InvalidInput, NotFound, Unauthenticated


def signup(uow: UnitOfWork, email: str, username: str, password: str) -> User:
    """Create an account with the `user` role; 409 if the e-mail or username is taken."""
    email = normalise_email(email)
    if problem := username_problem(username):
        raise InvalidInput(problem, "username")
    if problem := password_problem(password, username, email):
        raise InvalidInput(problem, "password")
    now = datetime.now(UTC)
    user = User(
        id=uuid.uuid4(),
        email=email,
        username=username,
        password_hash=hash_password(password),
        roles=["user"],
        email_verified=False,
        created_at=now,
        updated_at=now,
    )
    with uow:
        store = uow.store(AccountStore)
        _ensure_free(store, email, username)
        store.add(user)
        try:
            uow.commit()
        except Taken:  # a concurrent sign-up won the race for the same e-mail or username
            raise Conflict("That e-mail or username is already registered.") from None
    return user


def _ensure_free(store: AccountStore, email: str, username: str) -> None:
    taken = store.taken(email, username)
    if taken:
        field = "e-mail" if taken[0] else "username"
        raise Conflict(f"That {field} is already registered.")


def get_user(uow: UnitOfWork, user_id: uuid.UUID) -> User:
    with uow:
        user = uow.store(AccountStore).user(user_id)
        if user is None or user.closed_at is not None:  # a token outliving its account
            raise Unauthenticated("The account behind this token no longer exists.")
        return user


def find_for_login(uow: UnitOfWork, identifier: str) -> User | None:
    """The user whose e-mail or username is `identifier` (case-insensitive)."""
    identifier = identifier.strip().lower()
    with uow:
        return uow.store(AccountStore).open_user_by_login(identifier)


def grant_role(uow: UnitOfWork, user_id: uuid.UUID, role: str) -> User:
    """Add `role` to the user's roles (idempotent)."""
    with uow:
        user = uow.store(AccountStore).user(user_id, for_update=True)
        if user is None:
            raise NotFound(f"no user with id {user_id}")
        if role not in user.roles:
            user.roles = [*user.roles, role]
            user.updated_at = datetime.now(UTC)
        uow.commit()
        return user


def upsert_google_user(
    uow: UnitOfWork, notice: RevocationNotice, access_ttl: int, sub: str, email: str, verified: bool, name: str | None
) -> User:
    """The user behind a Google identity: by `sub`, else by verified e-mail, else a new account."""
    if not verified:
        raise Unauthenticated("Google has not verified this account's e-mail address.", invalid_token=False)
    try:
        return _upsert_google_user(uow, notice, access_ttl, sub, normalise_email(email), name)
    except Taken:  # a concurrent first login created the row: the second attempt finds it
        return _upsert_google_user(uow, notice, access_ttl, sub, normalise_email(email), name)


def _upsert_google_user(
    uow: UnitOfWork, notice: RevocationNotice, access_ttl: int, sub: str, email: str, name: str | None
) -> User:
    revoked = []
    with uow:
        store = uow.store(AccountStore)
        user = store.open_user_by_google_sub(sub)
        if user is None:
            user = store.open_user_by_email(email)
            if user is not None and not user.email_verified:
                revoked = _discard_unproven_credentials(store, user, access_ttl)
        now = datetime.now(UTC)
        if user is None:
            user = User(
                id=uuid.uuid4(),
                email=email,
                username=_free_username(store, name or email.split("@", 1)[0]),
                password_hash=None,
                roles=["user"],
                created_at=now,
            )
            store.add(user)
        user.google_sub, user.email_verified, user.updated_at = sub, True, now
        uow.commit()
    notice.tell(revoked)
    return user


def _discard_unproven_credentials(store: AccountStore, user: User, access_ttl: int) -> list:
    """Google proved the e-mail; whoever set the account's password never did.

    Someone may have signed up with another person's address before that person
    ever used Google: the password, sessions and API keys made without proof of
    the address are revoked, so linking never hands the account to them.
    """
    user.password_hash = None
    now = datetime.now(UTC)
    store.revoke_api_keys(user.id, now)
    sessions = store.live_sessions(user.id, now)
    return revoke_sessions(store, user.id, sessions, "credentials_reset", access_ttl, now)


def _free_username(store: AccountStore, wanted: str) -> str:
    """A valid, unused username derived from `wanted`."""
    base = "".join(c for c in wanted if c.isalnum() or c in "._-").lstrip("._-")[:24] or "user"
    if len(base) < 3:
        base = f"{base}user"
    candidate = base
    while store.username_taken(candidate):
        candidate = f"{base}{uuid.uuid4().hex[:5]}"
    return candidate
