"""The hottest request of the API, a well-formed job submission, answered without Flask's request machinery.

`POST /api/jobs` is the request the platform exists for, and its work is one
prepared INSERT: Flask, flask-smorest, webargs and marshmallow around it cost
more CPU than the statement and its commit. This WSGI middleware takes only a
submission that cannot go wrong before it is stored: a JSON object holding
nothing but a valid `text`, sent anonymously (where allowed) or with
credentials that check out. Anything else (another content type, a body that
does not parse or validate, a chunked or oversized body, bad credentials)
goes to the documented Flask view untouched, body and all, which answers it
exactly as before; so there is one place for every error and the OpenAPI
document still describes the endpoint. Its answer is the view's, byte for
byte (a test holds both to it).

It runs every check of the view's policy (gateway/jobs/submission.py POLICY)
through the view's own functions: RUNS says which, and a test holds it, the
policy and the view's decorators to one list. Off with FAST_PATHS=0.
"""

import io
from collections.abc import Callable, Iterable

import marshmallow as ma
from flask import Flask

from gateway.accounts.authentication import authenticate
from gateway.fastpaths.answers import accepted, app_error
from gateway.jobs import service as jobs
from gateway.jobs.schemas import JobAcceptedSchema, JobCreateSchema
from gateway.jobs.submission import BODY_SCHEMA, BODY_SIZE, CREDENTIALS, JSON_BODY, SUBMITTER, job_owner
from gateway.platform.errors import ServiceError
from gateway.platform.jsoncodec import decode

PATHS = frozenset({"/api/jobs", "/api/jobs/"})
JSON_TYPES = frozenset({"application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"})
ACCEPTED = JobAcceptedSchema()
TEXT_VALIDATORS = JobCreateSchema().fields["text"].validators  # the characters the view's field refuses
RUNS = (JSON_BODY, BODY_SIZE, BODY_SCHEMA, CREDENTIALS, SUBMITTER)  # the view's policy, in this path's order


class FastSubmit:
    """Wraps the Flask app's WSGI callable; see the module's doc for what it takes and what it passes on."""

    def __init__(self, app: Flask, inner: Callable):
        self._app = app
        self._inner = inner

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] == "POST" and environ.get("PATH_INFO") in PATHS:
            answer = self._submit(environ)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self._inner(environ, start_response)

    def _submit(self, environ: dict) -> tuple[str, list, bytes] | None:
        """The 202 for a submission that can only succeed, or None to leave the request to the view."""
        # JSON_BODY: exactly a JSON content type, never chunked
        if environ.get("CONTENT_TYPE", "").lower() not in JSON_TYPES or environ.get("HTTP_TRANSFER_ENCODING"):
            return None
        d = self._app.extensions["gateway"]
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 < length <= d.settings.max_body_bytes:  # BODY_SIZE
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the view reads it again if the request goes there
        environ["CONTENT_LENGTH"] = str(len(body))
        text = _text(body)  # BODY_SCHEMA: its one field, the field's validators and its _text hook
        if text is None or jobs.text_problem(text, d.settings.max_job_text_bytes) or not _valid(text):
            return None
        try:  # CREDENTIALS, then SUBMITTER: the view's functions; their 401 and its headers are the view's to give
            caller = authenticate(d.db.uow(), d.tokens, environ.get("HTTP_AUTHORIZATION"))
            owner = job_owner(caller, d.settings.allow_anonymous_jobs)
        except ServiceError:
            return None
        try:
            job = jobs.submit_job(d.db.uow(), text, owner)
        except Exception as error:  # noqa: BLE001 - stored or not, it must not be submitted twice: the app's handlers answer
            return app_error(self._app, environ, error)
        return accepted(ACCEPTED.dump(job), f"/api/jobs/{job.id}")


def _valid(text: str) -> bool:
    """Whether the view's `text` field would take it."""
    try:
        for validate in TEXT_VALIDATORS:
            validate(text)
    except ma.ValidationError:
        return False
    return True


def _text(body: bytes) -> str | None:
    """The `text` of a body that is exactly {"text": <string>} and decodes as the view decodes it, else None."""
    try:
        data = decode(body)
    except ValueError:
        return None
    if type(data) is not dict or len(data) != 1:
        return None
    text = data.get("text")
    return text if type(text) is str else None
