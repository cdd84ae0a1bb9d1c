"""The accounts' store in memory: the same methods as gateway.accounts.store.AccountStore."""

import uuid
from datetime import datetime

from gateway.accounts.models import ApiKey, RefreshToken, User
from gateway.accounts.store import AccountStore


class FakeAccountStore:
    port = AccountStore

    def __init__(self):
        self.users: dict[uuid.UUID, User] = {}
        self.api_keys: dict[uuid.UUID, ApiKey] = {}
        self.refresh_tokens: dict[uuid.UUID, RefreshToken] = {}
        self.revocations: dict[uuid.UUID, tuple[str, datetime]] = {}
        self.messages: list = []
        self.disabled_webhooks: list[tuple[uuid.UUID, str]] = []

    def add(self, record) -> None:
        table = {User: self.users, ApiKey: self.api_keys, RefreshToken: self.refresh_tokens}[type(record)]
        table[record.jti if isinstance(record, RefreshToken) else record.id] = record

    def add_message(self, message) -> None:
        self.messages.append(message)

    def user(self, user_id, for_update: bool = False) -> User | None:
        return self.users.get(user_id)

    def taken(self, email: str, username: str):
        found = [(u.email.lower() == email, u.username.lower() == username.lower()) for u in self.users.values()]
        return next((row for row in found if any(row)), None)

    def open_user_by_login(self, identifier: str) -> User | None:
        field = "email" if "@" in identifier else "username"
        return self._open(lambda u: getattr(u, field).lower() == identifier)

    def open_user_by_google_sub(self, sub: str) -> User | None:
        return self._open(lambda u: u.google_sub == sub)

    def open_user_by_email(self, email: str) -> User | None:
        return self._open(lambda u: u.email.lower() == email)

    def username_taken(self, username: str) -> bool:
        return any(u.username.lower() == username.lower() for u in self.users.values())

    def set_password_hash(self, user_id, password_hash: str) -> None:
        self.users[user_id].password_hash = password_hash

    def closed_at_for_share(self, user_id) -> datetime | None:
        return self.users[user_id].closed_at

    def open_user_roles(self, user_id) -> list[str] | None:
        user = self.users.get(user_id)
        return user.roles if user is not None and user.closed_at is None else None

    def active_api_keys(self, user_id) -> list[ApiKey]:
        mine = (k for k in self.api_keys.values() if k.user_id == user_id and k.revoked_at is None)
        return sorted(mine, key=lambda k: k.created_at)

    def api_key_for_update(self, key_id) -> ApiKey | None:
        return self.api_keys.get(key_id)

    def revoke_api_keys(self, user_id, now: datetime) -> None:
        for key in self.active_api_keys(user_id):
            key.revoked_at = now

    def refresh_token_for_update(self, jti) -> RefreshToken | None:
        return self.refresh_tokens.get(jti)

    def session_started(self, session_id) -> datetime | None:
        return min((t.issued_at for t in self.refresh_tokens.values() if t.family_id == session_id), default=None)

    def live_sessions(self, user_id, now: datetime) -> list[uuid.UUID]:
        live = {t.family_id for t in self._unrevoked(lambda t: t.user_id == user_id) if t.expires_at > now}
        return sorted(live)

    def revoke_refresh_tokens_of_sessions(self, session_ids, now: datetime) -> None:
        for token in self._unrevoked(lambda t: t.family_id in session_ids):
            token.revoked_at = now

    def revoke_refresh_tokens_of_user(self, user_id, now: datetime) -> None:
        for token in self._unrevoked(lambda t: t.user_id == user_id):
            token.revoked_at = now

    def add_revocation(self, token_id, kind: str, expires_at: datetime) -> None:
        earlier = self.revocations.get(token_id)
        self.revocations[token_id] = (kind, max(expires_at, earlier[1]) if earlier else expires_at)

    def disable_webhooks(self, user_id, reason: str, now: datetime) -> None:
        self.disabled_webhooks.append((user_id, reason))

    def _open(self, match) -> User | None:
        return next((u for u in self.users.values() if u.closed_at is None and match(u)), None)

    def _unrevoked(self, match) -> list[RefreshToken]:
        return [t for t in self.refresh_tokens.values() if t.revoked_at is None and match(t)]
