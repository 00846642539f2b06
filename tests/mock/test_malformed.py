"""Malformed requests to every endpoint: never a 5xx, never a traceback, always an answer saying why."""

from __future__ import annotations

import json
import random
import socket
import ssl

import pytest
import requests

ENDPOINTS = [
    ("POST", "/odoo-enterprise/iot/x509"),
    ("POST", "/publisher-warranty/"),
    ("GET", "/mock/"),
    ("GET", "/mock/ca.pem"),
    ("PUT", "/mock/subscriptions/M1"),
    ("GET", "/mock/subscriptions/M1"),
    ("DELETE", "/mock/subscriptions/M1"),
    ("PUT", "/mock/databases/d1"),
    ("GET", "/mock/databases/d1"),
    ("DELETE", "/mock/databases/d1"),
    ("POST", "/mock/faults"),
    ("GET", "/mock/faults"),
    ("DELETE", "/mock/faults"),
    ("GET", "/mock/settings"),
    ("PUT", "/mock/settings"),
    ("GET", "/mock/requests"),
    ("POST", "/mock/reset"),
]
ODD_VALUES = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5,
    "",
    "x" * 300,
    "é\u0000",
    [],
    [1, "a"],
    {},
    {"a": {"b": []}},
    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
]
KEYS = [
    "params",
    "jsonrpc",
    "id",
    "method",
    "db_uuid",
    "enterprise_code",
    "csr",
    "state",
    "lines",
    "product",
    "quantity",
    "added_at",
    "subscription",
    "kind",
    "mode",
    "endpoint",
    "times",
    "status",
    "seconds",
    "validity_days",
    "key_type",
    "refusal_style",
    "rate_limit",
    "per_db",
    "dns_rebinding_protection",
]


def odd_json(rng: random.Random, depth: int = 0):
    """A JSON value of the right vocabulary and the wrong shape."""
    roll = rng.random()
    if depth > 2 or roll < 0.4:
        return rng.choice(ODD_VALUES)
    if roll < 0.8:
        return {rng.choice(KEYS): odd_json(rng, depth + 1) for _ in range(rng.randint(0, 4))}
    return [odd_json(rng, depth + 1) for _ in range(rng.randint(0, 3))]


def odd_body(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.15:
        return rng.randbytes(rng.randint(0, 200))
    if roll < 0.25:
        return b'{"params": {"db_uuid": "a", "enterprise_code": "b"'  # cut short
    if roll < 0.35:
        return b"[" * 5000 + b"]" * 5000  # deep nesting
    return json.dumps(odd_json(rng)).encode()


def check_answer(response) -> None:
    assert response.status_code < 500, (response.status_code, response.text)
    assert "Traceback" not in response.text and 'File "' not in response.text
    if response.status_code >= 400:
        assert response.text.strip(), "an error says what is wrong"
    if response.headers.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        if response.status_code >= 400 or "error" in body:
            error = body["error"]
            assert error["message"].strip()


def _base(mock, path: str) -> str:
    """The admin API's calls go to its own port, the public endpoints to the public one."""
    return mock.admin_url if path.startswith("/mock/") else mock.url


def test_generated_malformed_requests_to_every_endpoint(mock_odoo_com):
    rng = random.Random(20261127)
    for _ in range(600):  # 600 rounds of 17 endpoints: the 10,000 malformed requests of docs/testing.md
        for method, path in ENDPOINTS:
            response = mock_odoo_com.session.request(
                method, f"{_base(mock_odoo_com, path)}{path}", data=odd_body(rng), timeout=30
            )
            check_answer(response)
    assert mock_odoo_com.call("GET", "/mock/")["calls"]  # still alive and well


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/odoo-enterprise/iot/x509"),
        ("PATCH", "/mock/settings"),
        ("GET", "/nowhere"),
        ("POST", "/mock/subscriptions/"),
        ("GET", "/mock/requests?endpoint=%ff"),
        ("PUT", "/mock/databases/%00"),
        ("PUT", "/mock/subscriptions/" + "M" * 300),
    ],
)
def test_wrong_methods_and_paths_are_clear_4xx(mock_odoo_com, method, path):
    response = mock_odoo_com.session.request(
        method, f"{_base(mock_odoo_com, path)}{path}", json={"subscription": "M1"}
    )
    assert 400 <= response.status_code < 500
    check_answer(response)
    if response.status_code == 405:
        assert response.headers["Allow"]


def test_a_body_over_the_limit_is_413(mock_odoo_com):
    # On a connection of its own: gunicorn closes a connection whose unread body is that large.
    response = requests.post(
        f"{mock_odoo_com.url}/odoo-enterprise/iot/x509",
        data=b" " * 70_000,
        verify=str(mock_odoo_com.ca_path),
        timeout=30,
    )
    assert response.status_code == 413 and "larger than" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b"GARBAGE\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"POST /mock/reset HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"\x16\x03\x01garbage\r\n\r\n",
    ],
)
def test_broken_http_gets_no_5xx(mock_odoo_com, raw):
    context = ssl.create_default_context(cafile=str(mock_odoo_com.ca_path))
    with socket.create_connection(("127.0.0.1", mock_odoo_com.port), timeout=30) as plain:
        with context.wrap_socket(plain, server_hostname="127.0.0.1") as sock:
            sock.sendall(raw)
            answer = b""
            while chunk := sock.recv(4096):
                answer += chunk
    assert not answer.startswith(b"HTTP/1.1 5") and b"Traceback" not in answer
    assert answer.startswith(b"HTTP/1.1 4") or answer == b""


def test_the_request_log_records_bad_requests_with_why(mock_odoo_com):
    mock_odoo_com.session.post(
        f"{mock_odoo_com.url}/odoo-enterprise/iot/x509", json={"params": {"db_uuid": 1}}
    )
    entry = mock_odoo_com.requests(endpoint="x509")[-1]
    assert entry["outcome"] == "bad_request" and "db_uuid" in entry["reason"]
