"""Which characters each kind of string field takes, and what the JSON decoder refuses before any field sees it."""

import marshmallow as ma
import pytest

from gateway.platform.fields import Email, Line, Output, Secret, Text
from gateway.platform.jsoncodec import MalformedJson, decode

pytestmark = pytest.mark.unit

FINE_EVERYWHERE = ["mina_kim", "수채화 풍경", "café ☕", "👩‍🎨 artist", "שלום\u200f abc", "a b"]
BREAKS = ["a\tb", "a\nb", "a\r\nb"]
REFUSED_EVERYWHERE = [
    "a\x00b",
    "a\x07b",  # bell
    "a\x1bb",  # escape: terminal control sequences
    "a\x7fb",  # DEL
    "a\x85b",  # C1 next line
    "a\x9bb",  # C1 control sequence introducer
    "invoice\u202egnp.exe",  # right-to-left override
    "a\u202ab",
    "a\u2066b\u2069",  # isolates
    "a\ud800b",  # a lone surrogate
]


def load(field: ma.fields.Field, value):
    return ma.Schema.from_dict({"value": field})().load({"value": value})["value"]


@pytest.mark.parametrize("value", FINE_EVERYWHERE)
def test_ordinary_text_of_any_script_is_taken_by_every_kind(value):
    for field in (Line(), Text(), Secret()):
        assert load(field, value) == value


@pytest.mark.parametrize("value", [*BREAKS, "a\u2028b"])
def test_a_line_refuses_line_breaks_and_tabs_that_text_takes(value):
    with pytest.raises(ma.ValidationError, match="line break or tab"):
        load(Line(), value)
    assert load(Text(), value) == value


@pytest.mark.parametrize("value", REFUSED_EVERYWHERE)
def test_control_characters_bidi_overrides_and_surrogates_are_refused_with_the_fields_422(value):
    for field in (Line(), Text()):
        with pytest.raises(ma.ValidationError) as refused:
            load(field, value)
        assert list(refused.value.messages) == ["value"]
        assert "U+" in refused.value.messages["value"][0]


def test_a_password_takes_anything_that_can_be_stored():
    assert load(Secret(), "tab\there \u202e and \x07") == "tab\there \u202e and \x07"
    for value in ("a\x00b", "a\udfffb"):
        with pytest.raises(ma.ValidationError):
            load(Secret(), value)


def test_a_workers_output_takes_anything_that_can_be_stored():
    """A model may write any character; refusing it would fail the job after the work was done."""
    assert load(Output(), "\u202e right-to-left \x07") == "\u202e right-to-left \x07"
    for value in ("a\x00b", "a\udfffb"):
        with pytest.raises(ma.ValidationError):
            load(Output(), value)


def test_the_check_comes_first_and_keeps_the_fields_own_validators():
    field = Line(validate=ma.validate.Length(max=3))
    with pytest.raises(ma.ValidationError, match="Longer than maximum length 3"):
        load(field, "abcd")
    with pytest.raises(ma.ValidationError, match="control character"):
        load(field, "\x00")


def test_an_email_is_one_line():
    assert load(Email(), "mina@example.com") == "mina@example.com"
    with pytest.raises(ma.ValidationError, match="bidirectional"):
        load(Email(), "mina\u202e@example.com")


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 10_000 + b"]" * 10_000,  # the standard library recursed
        b'{"a":' * 2000 + b"1" + b"}" * 2000,
        b'{"amount": ' + b"9" * 5000 + b"}",  # int() raised "Exceeds the limit (4300 digits)"
        b'{"text": "\\ud800"}',  # a lone surrogate: it cannot be encoded for the database
        b'{"text": "\\udc00x"}',
        b'{"\\ud800": 1}',
        b'{"a": NaN}',
        b"\xff\xfe",
        b"",
    ],
)
def test_what_no_field_could_take_is_malformed_json(body):
    with pytest.raises(MalformedJson) as refused:
        decode(body)
    assert refused.value.pointer is None and refused.value.detail.startswith("The body is not valid JSON")


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (b'{"text": "a\\u0000b"}', "/text"),
        (b'{"a\\u0000": 1}', "/a\\u0000"),  # shown escaped: the problem carries no NUL
        (b'{"events": [{"data": {"summary": "ok"}}, {"data": {"summary": "\\u0000"}}]}', "/events/1/data/summary"),
        (b'"\\u0000"', "/"),
        (b'{"a/b~c": "\\u0000"}', "/a~1b~0c"),
        (b"[" * 1000 + b'"\\u0000"' + b"]" * 1000, "/0" * 1000),  # walked without recursion
    ],
)
def test_a_nul_anywhere_is_refused_with_where_it_is(body, pointer):
    with pytest.raises(MalformedJson) as refused:
        decode(body)
    assert refused.value.pointer == pointer and "NUL" in refused.value.detail


def test_an_escaped_backslash_before_u0000_is_no_nul_and_valid_json_decodes_as_before():
    assert decode(rb'{"path": "C:\\u0000"}') == {"path": "C:\\u0000"}
    assert decode(b'{"a": [1, 2.5, true, null, "\xea\xb0\x80"]}') == {"a": [1, 2.5, True, None, "가"]}
    assert decode(b"[" * 1000 + b"]" * 1000) is not None  # deep but within the bound
