"""Closing an account (DELETE /api/users/me): confirmed by its owner, every credential stops at once.

Kept: the account's row and what refers to it (jobs, payments and receipts,
the wallet ledger, styles, generations, comments, likes, follows), because
they are other people's records too (a buyer's images of an artist's style,
the accounting of payments); they stay attributed to an anonymised name.
Gone: the e-mail address (a random placeholder under `.invalid`, so the
address may sign up again), the username (`closed-<random>`), the password
hash and the Google link. Sessions and API keys are revoked, webhook endpoints
switched off, and every open push stream of the account is closed.
Other lines erase what only the account's owner had there (the careers line: the
career profile, résumés, postings and the AI work on them) through the erasers
the composition root hands in, in the closure's own transaction: the account
closes with its data gone, or not at all.
"""

import secrets
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from gateway.accounts.models import User
from gateway.accounts.passwords import verify_password
from gateway.accounts.revocation_notice import RevocationNotice
from gateway.accounts.revocations import close_access
from gateway.accounts.sessions import Principal
from gateway.accounts.store import AccountStore
from gateway.accounts.throttle import Throttle
from gateway.accounts.tokens import TokenService
from gateway.platform.db import UnitOfWork
from gateway.platform.errors import Forbidden, InvalidInput, Unauthenticated

# An account without a password (Google only) proves its owner by a sign-in this recent.
RECENT_SIGN_IN = timedelta(minutes=5)

# Another line's named function that erases what it keeps of a closing account, in the closure's transaction; it
# may answer what to do once that transaction has committed (delete files outside the database).
Eraser = Callable[[UnitOfWork, uuid.UUID, datetime], Callable[[], None] | None]


def close_account(
    uow: UnitOfWork,
    tokens: TokenService,
    throttle: Throttle,
    notice: RevocationNotice,
    principal: Principal,
    password: str | None,
    ip: str,
    erasers: Sequence[Eraser] = (),
) -> None:
    """Close the caller's account once its owner has confirmed it; the same credentials never work again."""
    if principal.via != "session":
        raise Forbidden("An API key cannot close its account; sign in and confirm with the password.")
    throttle.login(ip, str(principal.user_id))  # a password guess here counts like one at sign-in
    now = datetime.now(UTC)
    with uow:
        store = uow.store(AccountStore)
        # FOR UPDATE: a sign-in of this account (FOR SHARE) finishes first, or finds the account closed.
        user = store.user(principal.user_id, for_update=True)
        if user is None or user.closed_at is not None:
            raise Unauthenticated("The account behind this token no longer exists.")
        _confirm(store, user, principal.session_id, password, now)
        _anonymise(user, now)
        store.disable_webhooks(user.id, "the account was closed", now)
        afterwards = [erase(uow, user.id, now) for erase in erasers]
        closed = close_access(store, user.id, tokens.access_ttl, now)
        uow.commit()
    notice.tell(closed)
    for then in filter(None, afterwards):
        then()


def hold_open(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    """Keep the account from closing until the caller's transaction ends; 401 if it has closed already.

    For a line's write of personal data: a closure (FOR UPDATE) waits for it and then erases it, or it finds
    the account closed, so nothing is written after the erasure.
    """
    if uow.store(AccountStore).closed_at_for_share(user_id) is not None:
        raise Unauthenticated("The account behind this token no longer exists.")


def _confirm(store: AccountStore, user: User, session_id: uuid.UUID, password: str | None, now: datetime) -> None:
    if user.password_hash is not None:
        if not password:
            raise InvalidInput("Give the account's current password to close it.", "password")
        if not verify_password(user.password_hash, password):
            raise Forbidden("The password is wrong; the account stays open.")
        return
    started = store.session_started(session_id)
    if started is None or now - started > RECENT_SIGN_IN:
        minutes = int(RECENT_SIGN_IN.total_seconds() // 60)
        raise Forbidden(f"This account has no password: sign in with Google again, then close it within {minutes} min.")


def _anonymise(user: User, now: datetime) -> None:
    # Random, not derived from the id: nobody can take the placeholder name before the account is closed.
    tag = secrets.token_hex(10)
    user.email = f"closed-{tag}@accounts.invalid"
    user.username = f"closed-{tag}"
    user.password_hash = None
    user.google_sub = None
    user.email_verified = False
    user.closed_at = now
    user.updated_at = now
