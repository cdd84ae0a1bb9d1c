"""The answers the HTTP server gives before a request reaches the API, documented on every operation.

gunicorn's worker (gateway/serving) refuses a request whose line or head is
malformed or too large, or that does not arrive in time, before any view sees
it; each is a problem+json answer like the API's own, so every operation of
the OpenAPI document lists them.
"""

from apispec import BasePlugin

DESCRIPTIONS = {
    400: "The request is malformed: its request line or a header field (refused by the server before the API "
    "reads it), or its body",
    408: "The request (its head, or a body of up to REQUEST_BODY_PREREAD_BYTES) did not arrive whole within "
    "REQUEST_HEAD_TIMEOUT_SECONDS, or a larger body stalled that long",
    414: "The request line is longer than the server accepts",
    431: "The header fields are too large or too many",
}


class ServerAnswers(BasePlugin):
    """An apispec plugin adding the server's own answers to each operation that does not document them itself."""

    def __init__(self, response_names: dict[int, str]):
        self._names = response_names

    def operation_helper(self, path=None, operations=None, **kwargs) -> None:
        for operation in (operations or {}).values():
            responses = operation.setdefault("responses", {})
            documented = {str(status) for status in responses}
            for status, name in self._names.items():
                if str(status) not in documented:
                    responses[status] = name
