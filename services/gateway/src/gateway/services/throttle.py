"""Throttling of sign-in and sign-up attempts, per client IP and per account."""

from dataclasses import dataclass

from gateway.security.ratelimit import RateLimiter
from gateway.services.errors import RateLimited


@dataclass(frozen=True)
class Throttle:
    limiter: RateLimiter
    login_per_ip: str
    login_per_account: str
    signup_per_ip: str

    def login(self, client_ip: str, account: str) -> None:
        self._check(self.login_per_ip, "login-ip", client_ip)
        self._check(self.login_per_account, "login-account", account.strip().lower())

    def signup(self, client_ip: str) -> None:
        self._check(self.signup_per_ip, "signup-ip", client_ip)

    def _check(self, rule: str, *key: str) -> None:
        wait = self.limiter.hit(rule, *key)
        if wait is not None:
            raise RateLimited(f"Too many attempts ({rule}); try again in {wait} s.", wait)
