"""The gateway's sync worker closes promptly, yet never resets a connection whose client is still sending."""

import socket
import threading
import time

import pytest

from gateway.serving import close_promptly

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
    started = time.monotonic()
    close_promptly(server)
    assert time.monotonic() - started < 0.05  # the client has not closed its side yet
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
