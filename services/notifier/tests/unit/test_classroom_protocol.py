"""Client messages of the classroom socket: the two shapes the apps send, and everything refused."""

import json

import pytest

from notifier.classroom import actions
from notifier.classroom.protocol import BadMessage, close_reason, error, heartbeat_ack, last_seq, last_seqs, parse
from notifier.classroom.watchers import LEARNER, Seat


def test_fields_may_sit_in_data_or_beside_type():
    nested = parse('{"type": "step_complete", "id": "a-1", "data": {"subtask_id": "s"}}')
    flat = parse('{"type": "step_complete", "subtask_id": "s"}')
    assert (nested.type, nested.fields, nested.reply_to) == ("step_complete", {"subtask_id": "s"}, "a-1")
    assert flat.fields == {"subtask_id": "s"} and flat.reply_to is None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "malformed"),
        ("nope", "malformed"),
        ("null", "malformed"),
        ('"join"', "malformed"),
        ("{" * 5000, "malformed"),
        ("[" * 50_000, "malformed"),
        ("{}", "unknown_type"),
        ('{"type": "next_step"}', "unknown_type"),
        ('{"type": ["join"]}', "unknown_type"),
        ('{"type": "join", "data": "x"}', "invalid"),
        ('{"type": "join", "id": 7}', "invalid"),
        ('{"type": "join", "id": "has space"}', "invalid"),
        ('{"type": "join", "id": "' + "x" * 65 + '"}', "invalid"),
    ],
)
def test_what_is_refused_with_an_error(text, code):
    with pytest.raises(BadMessage) as refused:
        parse(text)
    assert refused.value.code == code and refused.value.detail


@pytest.mark.parametrize("value", [-1, 1.5, "3", True, 2**53, [1], {"a": 1}])
def test_last_seq_is_a_whole_number_a_client_can_hold(value):
    with pytest.raises(BadMessage, match="last_seq"):
        last_seq(parse(json.dumps({"type": "join", "data": {"last_seq": value}})))


def test_last_seq_absent_or_given():
    assert last_seq(parse('{"type": "join"}')) is None
    assert last_seq(parse('{"type": "join", "last_seq": 0}')) == 0
    assert last_seq(parse('{"type": "join", "data": {"last_seq": 12}}')) == 12


def test_a_dashboards_last_seqs():
    assert last_seqs(parse('{"type": "join", "data": {"last_seqs": {"s1": 4}}}')) == {"s1": 4}
    for bad in ('{"s1": -4}', "[1]", '{"s1": "4"}', json.dumps({str(i): 1 for i in range(1001)})):
        with pytest.raises(BadMessage):
            last_seqs(parse('{"type": "join", "data": {"last_seqs": ' + bad + "}}"))


def test_replies_are_ascii_json_even_with_an_echoed_lone_surrogate():
    ack = heartbeat_ack(parse('{"type": "heartbeat", "id": "h", "timestamp": "\\ud800"}'))
    assert ack.isascii() and json.loads(ack)["reply_to"] == "h"
    expected = {"type": "error", "reply_to": "r1", "code": "busy", "detail": "wait"}
    assert json.loads(error("busy", "wait", "r1")) == expected


def test_a_close_reason_fits_a_close_frame():
    assert len(close_reason("é" * 200)) <= 123
    close_reason("é" * 200).decode()


def test_each_action_is_its_http_call():
    seat = Seat(LEARNER, "lec", "ses/../x", "C", "p1")
    done = actions.step_complete(seat, {"subtask_id": "s", "device_id": "d"})
    assert done == actions.Call("/api/sessions/ses%2F..%2Fx/report-completion", {"subtask_id": "s"})
    assert actions.progress_update(seat, {"subtask_id": "s", "status": "Done"}).path.endswith("/report-completion")
    where = actions.progress_update(seat, {"subtask_id": "s", "status": "in_progress", "x": 1})
    assert where == actions.Call("/api/sessions/ses%2F..%2Fx/progress", {"subtask_id": "s", "status": "in_progress"})
    asked = actions.request_help(seat, {"subtask_id": "s", "error_message": "no Wi-Fi", "session_id": "another"})
    assert asked == actions.Call(
        "/api/help/request", {"session_id": "ses/../x", "subtask_id": "s", "context": {"error_message": "no Wi-Fi"}}
    )
    given = actions.request_help(seat, {"context": {"screenshot_id": "x"}, "error_message": "ignored", "message": "m"})
    assert given.body == {"session_id": "ses/../x", "context": {"screenshot_id": "x"}}
    assert given.idempotency_key is None
    assert actions.request_help(seat, {"idempotency_key": "h-1"}).idempotency_key == "h-1"
