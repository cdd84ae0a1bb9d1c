"""Throttling of sign-in and sign-up attempts, per client IP, per identifier and per account; and of guessed
session codes, per guesser.

A sign-in is counted three times: per client address and per identifier as
typed (normalised), both answered with 429 when spent, and per account, which
the e-mail address and the username share. The account's budget is checked
only once the identifier is known to name an account, so a spent one must not
answer differently from a wrong password (a 429 there would tell that this
e-mail address and that username are one account, and that it exists): the
attempt is refused with the same 401, its password never checked.
"""

import uuid
from dataclasses import dataclass

from gateway.platform.errors import RateLimited
from gateway.platform.ratelimit import RateLimiter


@dataclass(frozen=True)
class Throttle:
    limiter: RateLimiter
    login_per_ip: str
    login_per_account: str
    signup_per_ip: str
    signature_verify_per_ip: str
    code_misses: str = "30/minute"

    def login(self, client_ip: str, identifier: str) -> None:
        """Before the account is looked up: 429 when this address or this identifier has no attempt left."""
        self._check(self.login_per_ip, "login-ip", client_ip)
        self._check(self.login_per_account, "login-account", identifier.strip().lower())

    def provider_sign_in(self, client_ip: str) -> None:
        """A code or an ID token a client brings from Google: an attempt of this address, as a sign-in is."""
        self._check(self.login_per_ip, "login-ip", client_ip)

    def account_allows(self, user_id: uuid.UUID) -> bool:
        """Count one attempt on the account whichever identifier named it; False once its budget is spent."""
        return self.limiter.hit(self.login_per_account, "login-user", str(user_id)) is None

    def signup(self, client_ip: str) -> None:
        self._check(self.signup_per_ip, "signup-ip", client_ip)

    def signature_verify(self, client_ip: str) -> None:
        """Each verification decodes a whole image: a few anonymous requests must not take the memory."""
        self._check(self.signature_verify_per_ip, "signature-verify-ip", client_ip)

    def code_guess(self, guesser: str) -> None:
        """Before a session code is looked up: 429 while `guesser` has named too many codes that name nothing."""
        wait = self.limiter.spent(self.code_misses, "code-miss", guesser)
        if wait is not None:
            raise RateLimited(f"Too many unknown session codes ({self.code_misses}); try again in {wait} s.", wait)

    def code_missed(self, guesser: str) -> None:
        self.limiter.hit(self.code_misses, "code-miss", guesser)

    def _check(self, rule: str, *key: str) -> None:
        wait = self.limiter.hit(rule, *key)
        if wait is not None:
            raise RateLimited(f"Too many attempts ({rule}); try again in {wait} s.", wait)
