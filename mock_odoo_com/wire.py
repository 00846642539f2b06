"""Exact bytes on the wire, for tests of recorded requests: replay what a real box sends, unchanged (its ``Host``
header included), to the mock odoo.com or to the database server; and catch what a client library sends, to
check a recording against it."""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def exchange(url: str, request: bytes, ca_path: Path | None = None, timeout: float = 30.0) -> Answer:
    """Send ``request`` (a whole HTTP/1.1 request) to the server of ``url`` as is; its answer.

    An ``https`` URL is reached over TLS, the server's certificate checked against ``ca_path`` for the URL's
    host name (the recorded ``Host`` header stays what the box sent)."""
    parts = urlsplit(url)
    https = parts.scheme == "https"
    raw = socket.create_connection((parts.hostname, parts.port or (443 if https else 80)), timeout=timeout)
    if https:
        context = ssl.create_default_context(cafile=str(ca_path) if ca_path else None)
        raw = context.wrap_socket(raw, server_hostname=parts.hostname)
    with raw:
        raw.sendall(request)
        response = http.client.HTTPResponse(raw, method=request.split(b" ", 1)[0].decode("ascii"))
        response.begin()
        return Answer(response.status, response.headers, response.read())


def captured(send: Callable[[str], object], path: str) -> bytes:
    """The bytes ``send(url)`` puts on the wire for ``url`` = a loopback listener's ``path``; the listener
    answers ``{"jsonrpc":"2.0","id":null,"result":false}``."""
    listener = socket.create_server(("127.0.0.1", 0))
    caught: list[bytes] = []

    def serve() -> None:
        connection, _address = listener.accept()
        with connection:
            data = b""
            while b"\r\n\r\n" not in data:
                data += connection.recv(65536)
            head, _sep, body = data.partition(b"\r\n\r\n")
            length = int(re.search(rb"(?i)\r\ncontent-length: *(\d+)", head).group(1))
            while len(body) < length:
                body += connection.recv(65536)
            caught.append(head + b"\r\n\r\n" + body)
            answer = b'{"jsonrpc":"2.0","id":null,"result":false}'
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                               b"Connection: close\r\n\r\n%s" % (len(answer), answer))

    thread = threading.Thread(target=serve)
    thread.start()
    with listener:
        send(f"http://127.0.0.1:{listener.getsockname()[1]}{path}")
        thread.join(timeout=30)
    return caught[0]


def comparable(raw: bytes) -> bytes:
    """A request without what differs from one machine to another: the host it went to, the library's version,
    the compressions it can undo (requests adds br and zstd when their libraries are installed)."""
    raw = re.sub(rb"\r\nHost: [^\r]*", b"\r\nHost: -", raw)
    raw = re.sub(rb"\r\nAccept-Encoding: gzip, deflate[^\r]*", b"\r\nAccept-Encoding: gzip, deflate", raw)
    return re.sub(rb"\r\nUser-Agent: (python-[a-z0-9]+)/[^\r]*", rb"\r\nUser-Agent: \1/-", raw)
