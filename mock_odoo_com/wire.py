"""Exact bytes on the wire, for tests that replay a recorded request: what a real box sends, unchanged (its
``Host`` header included), to the mock odoo.com or to the database server, and the answer as it came."""

from __future__ import annotations

import http.client
import socket
import ssl
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
