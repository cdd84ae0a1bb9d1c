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
