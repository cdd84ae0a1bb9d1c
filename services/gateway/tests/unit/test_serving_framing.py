"""When a connection's bytes hold a whole request, and the worker's own answers (gateway/serving)."""

import json
import tomllib
from pathlib import Path

import pytest
from gunicorn.http import errors as gunicorn_errors

from gateway.serving import answers
from gateway.serving.framing import Framing, Verdict
from gateway.serving.gunicorn_version import PIN, UntestedGunicorn, require_tested_gunicorn

FRAMING = Framing(line_max=4094, head_max=64 * 1024, body_max=64 * 1024)
HEAD = b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n"


def post(body: bytes, length: int | None = None, extra: bytes = b"") -> bytes:
    size = len(body) if length is None else length
    return b"POST /api/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n%s\r\n%s" % (size, extra, body)


@pytest.mark.parametrize("sent", [b"", b"G", HEAD[:-2], HEAD[:-1], b"\r\n" + HEAD[:10]])
def test_an_unfinished_head_waits_for_more(sent):
    assert FRAMING.assess(sent) is Verdict.MORE


@pytest.mark.parametrize("sent", [HEAD, b"\r\n" + HEAD, HEAD + b"GET / HTTP/1.1\r\n"])
def test_a_whole_head_without_a_body_is_ready(sent):
    assert FRAMING.assess(sent) is Verdict.READY


def test_a_small_body_is_waited_for_whole():
    body = b'{"text": "hello"}'
    assert FRAMING.assess(post(body)[:-1]) is Verdict.MORE
    assert FRAMING.assess(post(body)) is Verdict.READY


def test_the_length_field_is_found_in_any_case():
    assert FRAMING.assess(post(b"ab", 5).replace(b"Content-Length", b"cOnTeNt-LeNgTh")) is Verdict.MORE


def test_a_body_over_the_read_ahead_streams():
    assert FRAMING.assess(post(b"", 64 * 1024 + 1)) is Verdict.READY


@pytest.mark.parametrize(
    "extra",
    [b"Transfer-Encoding: chunked\r\n", b"Expect: 100-continue\r\n", b"Content-Length: 7\r\n"],
    ids=["chunked streams", "the client awaits 100 Continue", "two lengths: gunicorn refuses"],
)
def test_a_body_not_to_wait_for_is_left_to_gunicorn(extra):
    assert FRAMING.assess(post(b"", 10, extra)) is Verdict.READY


@pytest.mark.parametrize("length", [b"-1", b"1e3", b"0x10", b"9" * 30])
def test_a_malformed_length_is_left_to_gunicorn(length):
    head = b"POST /api/jobs HTTP/1.1\r\nContent-Length: " + length + b"\r\n\r\n"
    assert FRAMING.assess(head) is Verdict.READY


def test_a_request_line_over_its_limit_is_refused_before_it_ends():
    assert FRAMING.assess(b"GET /" + b"a" * 4100) is Verdict.URI_TOO_LONG
    assert FRAMING.assess(b"GET /" + b"a" * 4000) is Verdict.MORE


def test_a_head_over_its_limit_is_refused_whole_or_not():
    fields = b"X-Filler: " + b"y" * 1000 + b"\r\n"
    unfinished = b"GET / HTTP/1.1\r\n" + fields * 70
    assert FRAMING.assess(unfinished) is Verdict.HEAD_TOO_LARGE
    assert FRAMING.assess(unfinished + b"\r\n") is Verdict.HEAD_TOO_LARGE


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (gunicorn_errors.InvalidRequestLine("GET <script>"), 400),
        (gunicorn_errors.InvalidRequestMethod("G<script>"), 400),
        (gunicorn_errors.InvalidHTTPVersion("HTTP/<script>"), 400),
        (gunicorn_errors.InvalidHeader("<script>"), 400),
        (gunicorn_errors.InvalidHeaderName("<script>"), 400),
        (gunicorn_errors.LimitRequestLine(9000, 4094), 414),
        (gunicorn_errors.LimitRequestHeaders("<script>"), 431),
        (gunicorn_errors.UnsupportedTransferCoding("<script>"), 501),
        (gunicorn_errors.InvalidResponseHeader("<script>"), 500),
        (answers.RequestStalled(), 408),
        (ValueError("<script>"), 500),
    ],
)
def test_each_refusal_is_a_problem_that_does_not_quote_the_request(error, status):
    answer = answers.render(*answers.refusal(error))
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d " % status)
    assert b"\r\nContent-Type: application/problem+json\r\n" in head and b"\r\nConnection: close" in head
    assert b"Content-Length: %d\r\n" % len(body) in head + b"\r\n"
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"].startswith("/problems/") and problem["title"]
    assert b"script" not in answer


@pytest.mark.parametrize("version", [(23, 0, 0), (26, 1, 0), (27, 1, 0), (28, 0, 0)])
def test_an_untested_gunicorn_is_refused_with_what_to_do(version):
    with pytest.raises(UntestedGunicorn, match=r"gunicorn>=27\.0,<27\.1"):
        require_tested_gunicorn(version)


def test_the_tested_gunicorn_is_what_the_gateway_package_pins():
    require_tested_gunicorn()  # the installed one
    pyproject = Path(__file__).parents[2] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text())["project"]["dependencies"]
    assert PIN in dependencies
