"""The mock's HTTPS: one TLS context per worker for all its connections (gunicorn would build one per connection)."""

from __future__ import annotations

import ssl

import requests

from mock_odoo_com.server import reused_ssl_context


def test_the_hook_builds_the_context_once_and_reuses_it():
    built: list[ssl.SSLContext] = []

    def build() -> ssl.SSLContext:
        built.append(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))
        return built[-1]

    hook = reused_ssl_context()
    assert hook(None, build) is hook(None, build) is built[0]
    assert len(built) == 1


def test_many_new_connections_are_all_served_with_the_mock_certificate(mock_odoo_com):
    for _ in range(20):  # a new session each time: a new TLS connection, as each box makes
        with requests.Session() as session:
            answer = session.get(f"{mock_odoo_com.url}/mock/ca.pem", verify=str(mock_odoo_com.ca_path), timeout=30)
        assert answer.status_code == 200 and "BEGIN CERTIFICATE" in answer.text
