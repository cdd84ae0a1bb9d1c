"""Errors the service layer raises; the web layer maps them to HTTP in one table."""


class ServiceError(Exception):
    """Base of every expected failure of a use case."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotFound(ServiceError):
    """The resource does not exist (or the caller may not know that it does)."""


class InvalidInput(ServiceError):
    """The request is well-formed but its content breaks a rule."""

    def __init__(self, detail: str, field: str | None = None):
        super().__init__(detail)
        self.field = field


class Conflict(ServiceError):
    """The request clashes with the current state (a taken e-mail, say)."""


class Unauthenticated(ServiceError):
    """No credentials, or credentials that do not hold; `invalid_token` says which (RFC 6750)."""

    def __init__(self, detail: str, invalid_token: bool = True):
        super().__init__(detail)
        self.invalid_token = invalid_token


class Forbidden(ServiceError):
    """Authenticated, but not allowed to do this."""


class RateLimited(ServiceError):
    """Too many attempts; try again after `retry_after` seconds."""

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


class Unavailable(ServiceError):
    """Something this use case needs (a provider, a store) is down; try again after `retry_after` seconds."""

    def __init__(self, detail: str, retry_after: int = 5):
        super().__init__(detail)
        self.retry_after = retry_after


class PaymentRequired(ServiceError):
    """Not enough tokens (or a payment was declined) for what was asked."""
