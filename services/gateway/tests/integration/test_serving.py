"""The gateway's sync worker: prompt closes, one-write answers, and the connections it holds before serving them."""

import logging
import selectors
import socket
import threading
import time
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from gateway.serving import OneWriteResponse, close_promptly
from gateway.serving.arrivals import LINGER_SECONDS, Arrival, Arrivals

pytestmark = pytest.mark.integration
ANSWER = b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def _pair() -> tuple[socket.socket, socket.socket]:
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    server, _ = listener.accept()
    listener.close()
    return client, server


def _read_all(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_a_finished_request_is_closed_without_waiting_for_the_client():
    client, server = _pair()
    client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    server.recv(65536)  # the request, read whole
    server.sendall(ANSWER)
    closing = threading.Thread(target=close_promptly, args=(server,))
    closing.start()
    closing.join(5)  # an order, not a speed: it returns while the client still holds its side open
    assert not closing.is_alive(), "it waited for the client to close first"
    assert server.fileno() == -1
    assert _read_all(client) == ANSWER
    client.close()


def test_a_client_still_sending_an_unread_body_gets_the_whole_answer_and_no_reset():
    client, server = _pair()
    # like gunicorn's own linger, up to 64 KiB of unread body is drained before the close
    client.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50000\r\n\r\n" + b"x" * 20_000)
    server.recv(1024)  # only the head: the body is refused unread
    server.sendall(ANSWER)

    def keep_sending():
        for _ in range(3):
            time.sleep(0.05)  # the rest of the body arrives after the answer was sent
            client.sendall(b"x" * 10_000)

    sender = threading.Thread(target=keep_sending)
    sender.start()
    close_promptly(server, timeout=1.0)
    sender.join(5)
    client.shutdown(socket.SHUT_WR)
    assert _read_all(client) == ANSWER  # a reset would have raised ConnectionResetError here
    client.close()


class RecordingSocket:
    """A real socket's peer end, recording each write the response makes."""

    def __init__(self, sock: socket.socket):
        self.sock, self.writes = sock, []

    def sendall(self, data: bytes) -> None:
        self.writes.append(bytes(data))
        self.sock.sendall(data)


def _response(method: str = "GET"):
    client, server = _pair()
    request = SimpleNamespace(version=(1, 1), method=method, should_close=lambda: True)
    recording = RecordingSocket(server)
    return OneWriteResponse(request, recording, Config()), recording, client, server


def _answer(client: socket.socket, server: socket.socket) -> bytes:
    server.close()
    answer = _read_all(client)
    client.close()
    return answer


def test_the_head_of_an_answer_leaves_with_its_body_in_one_write():
    response, recording, client, server = _response()
    response.start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", "11")])
    response.write(b'{"ok":true}')
    response.close()
    assert len(recording.writes) == 1
    answer = _answer(client, server)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b'\r\n\r\n{"ok":true}')
    assert b"Content-Type: application/json\r\n" in answer


def test_an_answer_without_a_body_still_sends_its_head():
    response, recording, client, server = _response()
    response.start_response("204 No Content", [])
    response.close()
    assert len(recording.writes) == 1
    assert _answer(client, server).startswith(b"HTTP/1.1 204 No Content\r\n")


def test_a_head_request_gets_the_head_alone():
    response, _, client, server = _response(method="HEAD")
    response.start_response("200 OK", [("Content-Length", "11")])
    response.write(b'{"ok":true}')
    response.close()
    answer = _answer(client, server)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n") and answer.endswith(b"\r\n\r\n")


def test_a_chunked_answer_keeps_its_framing():
    response, _, client, server = _response()
    response.start_response("200 OK", [("Content-Type", "text/plain")])  # no length: chunked on HTTP/1.1
    for part in (b"one ", b"two"):
        response.write(part)
    response.close()
    head, _, body = _answer(client, server).partition(b"\r\n\r\n")
    assert b"Transfer-Encoding: chunked" in head
    assert body == b"4\r\none \r\n3\r\ntwo\r\n0\r\n\r\n"


class Watched:
    """Connections held by an Arrivals, each with its client's end: what the worker's selector would see."""

    def __init__(self):
        self.selector = selectors.DefaultSelector()
        self.arrivals = Arrivals(self.selector, logging.getLogger("test"))
        self.clients: list[socket.socket] = []

    def arrive(self, deadline: float) -> Arrival:
        client, server = _pair()
        self.clients.append(client)
        arrival = Arrival(server, ("127.0.0.1", 0), None, (server.family, server.type, server.proto), deadline)
        self.arrivals.wait(arrival)
        return arrival


def _status(client: socket.socket) -> int:
    head = _read_all(client).split(b"\r\n", 1)[0]
    return int(head.split()[1])


def test_a_connection_past_its_deadline_gets_a_408_and_lingers_until_the_client_closes():
    watched = Watched()
    late, on_time = watched.arrive(deadline=10.0), watched.arrive(deadline=20.0)
    watched.arrivals.expire(now=15.0)
    assert late.refused and not on_time.refused
    assert _status(watched.clients[0]) == 408
    assert watched.arrivals.timeout(now=15.0, longest=30.0) == pytest.approx(LINGER_SECONDS)  # it lingers
    watched.arrivals.expire(now=15.0 + LINGER_SECONDS)
    assert late.done and late.sock.fileno() == -1 and len(watched.arrivals) == 1


def test_making_room_refuses_the_oldest_arrival_with_a_503():
    watched = Watched()
    oldest, newer = watched.arrive(deadline=10.0), watched.arrive(deadline=11.0)
    assert watched.arrivals.shed(now=5.0, at_once=False)
    assert oldest.refused and not newer.refused
    head = _read_all(watched.clients[0])
    assert head.startswith(b"HTTP/1.1 503 ") and b"\r\nRetry-After: 1\r\n" in head
    assert watched.arrivals.shed(now=5.0, at_once=False)  # the refused one is closed next
    assert oldest.done and watched.arrivals.arriving == {newer.sock.fileno(): newer}
