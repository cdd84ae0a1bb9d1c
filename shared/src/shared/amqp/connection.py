"""Connection parameters every service uses: heartbeats, timeouts and a readable name."""

import os
import socket

import pika


def connection_parameters(url: str, name: str, heartbeat: int = 30) -> pika.URLParameters:
    """Parameters for `url` whose connection shows up as `name@host:pid` in the management console."""
    params = pika.URLParameters(url)
    params.heartbeat = heartbeat
    params.blocked_connection_timeout = 60
    params.connection_attempts = 1
    params.socket_timeout = 5
    params.client_properties = {"connection_name": f"{name}@{socket.gethostname()}:{os.getpid()}"}
    return params
