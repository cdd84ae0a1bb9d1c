"""The careers line's hottest reads, a résumé by id and the résumé and posting lists, answered without Flask.

For these GETs Flask's request machinery, routing, flask-smorest and webargs cost more CPU than the reads
themselves. This WSGI middleware takes only a plain, well-formed request: GET (not HEAD), no body, the exact
path, a query of nothing but `page`, `page_size` and `title` (each at most once, in the plain form a client
sends, within what the view's schema takes) and credentials that check out. It answers with the view's own
functions: `authenticate`, the same service call (`get_resume`, `listed`), the same response schema's dump and
the app's JSON encoding. Anything else (no or bad credentials, another method, a trailing slash, an id that is
no UUID, an unknown, repeated or doubtful parameter, a body) goes to the Flask view untouched, and so does a
read that fails (a 404 or any error): a read has no effect, so the view reads again and answers as it always
does. Its answer is the view's, byte for byte (a test holds both to it). Off with FAST_PATHS=0.
"""

import re
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl

import marshmallow as ma
import orjson
from flask import Flask

from gateway.accounts.authentication import authenticate
from gateway.careers import postings_api, resumes_api
from gateway.careers import resumes_service as resumes
from gateway.careers.postings_schemas import PostingListArgs, PostingPageSchema
from gateway.careers.resumes_schemas import ResumeListArgs, ResumePageSchema, ResumeSchema
from gateway.fastpaths.answers import ENCODING

RESUMES = "/api/resumes"
POSTINGS = "/api/job-postings"
ONE_RESUME = RESUMES + "/"
UUID_LENGTH = 36
NUMBER = re.compile(r"[1-9][0-9]{0,5}", re.ASCII)  # what int() and the Integer field read alike
RESUME = ResumeSchema()


class ListShape:
    """One list view: its service call, its query's schema (what it takes) and its answer's schema."""

    def __init__(self, listed: Callable, args: ma.Schema, schema: ma.Schema):
        self.listed, self.schema = listed, schema
        self.title = args.fields["title"]
        self.default_size = args.fields["page_size"].load_default
        self.max_page = next(v.max for v in args.fields["page"].validators if isinstance(v, ma.validate.Range))


LISTS = {
    RESUMES: ListShape(resumes_api.listed, ResumeListArgs(), ResumePageSchema()),
    POSTINGS: ListShape(postings_api.listed, PostingListArgs(), PostingPageSchema()),
}


class CareersReads:
    """Wraps the Flask app's WSGI callable; see the module's doc for what it takes and what it passes on."""

    def __init__(self, app: Flask, inner: Callable):
        self._app = app
        self._inner = inner

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        body = self._read(environ)
        if body is None:
            return self._inner(environ, start_response)
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def _read(self, environ: dict) -> bytes | None:
        """The view's 200 for a plain read, or None to leave the request to the view."""
        if environ["REQUEST_METHOD"] != "GET":
            return None
        path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
        shape = LISTS.get(path)
        one = shape is None and path.startswith(ONE_RESUME) and len(path) == len(ONE_RESUME) + UUID_LENGTH
        if not (shape or (one and not query)) or environ.get("CONTENT_LENGTH", "0") not in ("", "0"):
            return None
        if "HTTP_TRANSFER_ENCODING" in environ:
            return None
        d = self._app.extensions["gateway"]
        args = shape and _list_args(query, shape, d.settings.max_page_size)
        if shape and args is None:
            return None
        try:
            caller = authenticate(d.db.uow(), d.tokens, environ.get("HTTP_AUTHORIZATION"))
            if caller is None:
                return None
            if shape:
                return _json(shape.schema.dump(shape.listed(d.db.uow(), caller.user_id, args)))
            resume = resumes.get_resume(d.db.uow(), d.store, caller.user_id, path[len(ONE_RESUME) :])
            return _json(RESUME.dump(resume))
        except Exception:  # noqa: BLE001 - a 404, bad credentials, any error: the view reads again and answers
            return None


def _json(data) -> bytes:
    return orjson.dumps(data, option=ENCODING)


def _list_args(query: str, shape: ListShape, max_size: int) -> dict | None:
    """The list view's arguments from a plain query, as its schema loads them; None for anything else."""
    try:  # split as werkzeug splits it, refusing what it would keep percent-encoded
        pairs = parse_qsl(query.encode("latin-1").decode(), keep_blank_values=True, errors="strict")
    except (UnicodeError, ValueError):
        return None
    given = dict(pairs)
    if len(given) != len(pairs) or not given.keys() <= {"page", "page_size", "title"}:
        return None
    if any("\x00" in value for value in given.values()):  # the request's own 400
        return None
    page, size = _number(given.get("page", "1")), _number(given.get("page_size", str(shape.default_size)))
    if page is None or size is None or page > shape.max_page or size > max_size:
        return None
    if "title" not in given:
        return {"page": page, "page_size": size}
    try:
        return {"page": page, "page_size": size, "title": shape.title.deserialize(given["title"])}
    except ma.ValidationError:
        return None


def _number(text: str) -> int | None:
    """A positive integer written plainly (no sign, space or leading zero), else None."""
    return int(text) if NUMBER.fullmatch(text) else None
