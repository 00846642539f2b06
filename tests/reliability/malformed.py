"""A generator of malformed HTTP requests: wrong methods, odd paths, bodies that are not what the endpoint reads
(random bytes, broken or deeply nested JSON, JSON-RPC envelopes with wrong types, forms with odd fields, XML-RPC
calls with wrong arguments) and hostile values (SQL, HTML and header injection, control characters, huge
numbers and strings).

Seeded (``random.Random``), so that a failing request can be produced again from its seed and number.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

HOSTILE = [
    "' OR '1'='1' --", "'; DROP TABLE iot_box; --", "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>',
    "\r\nX-Injected: yes", "%0d%0aSet-Cookie: x=1", "../../../../etc/passwd", "%s%s%s%n", "{{7*7}}", "${jndi:x}",
    "\x00", "\x7f\x1b[31m", "\u202egnp.exe", "ü€😀", " ", "", "a" * 5000, "1e309", "-0", "NaN",
]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"]
CONTENT_TYPES = ["application/json", "text/plain", "application/x-www-form-urlencoded", "text/xml",
                 "multipart/form-data", "multipart/form-data; boundary=x", "application/json; charset=latin-1",
                 "image/png", ""]


@dataclass
class Malformed:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    cookies: dict[str, str] = field(default_factory=dict)


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    # -- values ---------------------------------------------------------------------------------------------
    def text(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.5:
            return r.choice(HOSTILE)
        if kind < 0.8:
            return "".join(chr(r.randrange(0x20, 0x2FFF)) for _ in range(r.randrange(0, 40)))
        return "".join(chr(r.randrange(0, 0x80)) for _ in range(r.randrange(0, 20)))

    def value(self, depth: int = 0) -> Any:
        r = self.rng
        kind = r.randrange(12 if depth < 3 else 9)
        return [
            lambda: None, lambda: r.choice([True, False]), lambda: r.choice([0, -1, 2**31, -(2**63), 10**30]),
            lambda: r.choice([1.5, -0.0, 1e308]), self.text, self.text, self.text,
            lambda: "2026-13-45T25:61:00Z", lambda: "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n",
            lambda: [self.value(depth + 1) for _ in range(r.randrange(4))],
            lambda: {self.text()[:20]: self.value(depth + 1) for _ in range(r.randrange(4))},
            lambda: {"id": self.value(depth + 1)},
        ][kind]()

    def params(self, known: list[str], good: dict[str, Any] | None = None) -> Any:
        """A JSON-RPC ``params``: the known names with wrong values (or, half the time, the ``good`` one), some
        missing, some unknown ones added."""
        r = self.rng
        if r.random() < 0.1:
            return self.value()
        good = good or {}
        params = {name: good[name] if name in good and r.random() < 0.5 else self.value()
                  for name in known if r.random() < 0.8}
        for _ in range(r.randrange(3) if r.random() < 0.3 else 0):
            params[self.text()[:30]] = self.value()
        return params

    # -- bodies ---------------------------------------------------------------------------------------------
    def json_bytes(self, document: Any) -> bytes:
        text = json.dumps(document, ensure_ascii=self.rng.random() < 0.5)
        return text.encode("utf-8", "surrogatepass")

    def jsonrpc_body(self, known: list[str], good: dict[str, Any] | None = None) -> bytes:
        r = self.rng
        kind = r.random()
        if kind < 0.06:
            return bytes(r.randrange(256) for _ in range(r.randrange(1, 200)))
        if kind < 0.1:
            return b"[" * r.choice([100, 5000, 100000])  # deep nesting
        if kind < 0.14:
            return b'{"jsonrpc": "2.0", "params": {' + b'"a": [' * 20
        if kind < 0.18:
            return self.json_bytes(self.value())
        envelope: dict[str, Any] = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": self.params(known, good)}
        for key in ("jsonrpc", "method", "id"):
            if r.random() < 0.2:
                envelope[key] = self.value()
            elif r.random() < 0.1:
                del envelope[key]
        return self.json_bytes(envelope)

    def form_body(self, known: list[str]) -> bytes:
        from urllib.parse import urlencode

        r = self.rng
        if r.random() < 0.15:
            return bytes(r.randrange(256) for _ in range(r.randrange(1, 300)))
        fields = [(name, self.text()) for name in known if r.random() < 0.8]
        fields += [(self.text()[:20], self.text()) for _ in range(r.randrange(3))]
        if r.random() < 0.2:
            fields += fields  # a field given twice
        return urlencode(fields).encode()

    def xmlrpc_value(self, depth: int = 0) -> str:
        r = self.rng
        kind = r.randrange(10 if depth < 3 else 7)
        inner = [
            lambda: f"<int>{r.choice([0, -1, 2**31, 10**30, 'x'])}</int>",
            lambda: f"<string>{escape(self.text())}</string>", lambda: f"<boolean>{r.choice([0, 1, 7])}</boolean>",
            lambda: f"<double>{r.choice(['1.5', 'inf', 'nan', 'x'])}</double>", lambda: "<nil/>",
            lambda: f"<dateTime.iso8601>{r.choice(['20261127T10:00:00', 'garbage'])}</dateTime.iso8601>",
            lambda: f"<base64>{r.choice(['AAAA', '!!!'])}</base64>",
            lambda: "<array><data>" + "".join(self.xmlrpc_value(depth + 1) for _ in range(r.randrange(4)))
                    + "</data></array>",
            lambda: "<struct>" + "".join(f"<member><name>{escape(self.text()[:20])}</name>"
                                         f"{self.xmlrpc_value(depth + 1)}</member>" for _ in range(r.randrange(3)))
                    + "</struct>",
            lambda: "<array><data>" + self.xmlrpc_value(depth + 1) + "</data></array>",
        ][kind]()
        return f"<value>{inner}</value>"

    def xmlrpc_body(self, methods: list[str], fixed: list[str]) -> bytes:
        """An XML-RPC call of one of ``methods``; ``fixed`` are literal ``<value>`` params put first (e.g. a
        valid login) and the rest is random."""
        r = self.rng
        kind = r.random()
        if kind < 0.08:
            return bytes(r.randrange(256) for _ in range(r.randrange(1, 200)))
        if kind < 0.14:
            return r.choice([b"<?xml version='1.0'?><methodCall><methodName>", b"<methodCall>" * 500,
                             b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                             b"<methodCall><methodName>&b;</methodName></methodCall>"])
        method = r.choice(methods) if r.random() < 0.9 else escape(self.text())
        params = [*fixed[: r.randrange(len(fixed) + 1)]] if fixed else []
        params += [self.xmlrpc_value() for _ in range(r.randrange(6))]
        body = "".join(f"<param>{p}</param>" for p in params)
        return (f"<?xml version='1.0'?><methodCall><methodName>{method}</methodName><params>{body}</params>"
                f"</methodCall>").encode("utf-8", "surrogatepass")

    # -- requests -------------------------------------------------------------------------------------------
    def headers(self) -> dict[str, str]:
        r = self.rng
        headers = {}
        if r.random() < 0.7:
            headers["Content-Type"] = r.choice(CONTENT_TYPES)
        if r.random() < 0.3:
            headers["Accept-Language"] = r.choice(["nl", "xx-YY;q=abc", "*", ",,,;q=", self.text()[:50]])
        if r.random() < 0.2:
            headers["Authorization"] = r.choice(["Bearer", "Bearer ", "Basic YTpi", "Bearer " + "x" * 3000,
                                                 "Bearer 0123456789ab.wrong", "bearer " + self.text()[:60]])
        return {k: _header_safe(v) for k, v in headers.items()}

    def cookies(self, names: list[str]) -> dict[str, str]:
        return {name: _header_safe(self.text()[:200]) for name in names if self.rng.random() < 0.3}

    def method(self, usual: str) -> str:
        return usual if self.rng.random() < 0.8 else self.rng.choice(METHODS)

    def path(self, usual: str) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.85:
            return usual
        if kind < 0.9:
            return usual + r.choice(["/", "//", "/..", "%00", "%2e%2e/", "/x" * 300, ";a=b"])
        if kind < 0.95:
            return usual + "?" + r.choice(["a=%ff", "lang=%00", "&&&", "x=" + "y" * 3000, "offset=-1&limit=1e9"])
        return usual.rsplit("/", 1)[0] + "/" + "".join(r.choice("abc%20./-_~") for _ in range(r.randrange(1, 30)))

    def request(self, method: str, path: str, body: bytes | None, cookie_names: list[str] = ()) -> Malformed:
        method = self.method(method)
        return Malformed(method, self.path(path), self.headers(), body if method not in ("GET", "HEAD") else None,
                         self.cookies(list(cookie_names)))


def _header_safe(text: str) -> str:
    """What an HTTP client can send in a header: latin-1, no control characters, no leading space (line breaks
    and the rest are the server's to refuse when they come in a body or a URL)."""
    printable = "".join(c if " " <= c != "\x7f" else "?" for c in text)
    return printable.encode("latin-1", "replace").decode("latin-1").lstrip() or "x"
