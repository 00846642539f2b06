"""Helpers the addon's tests share."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

ENTERPRISE_CODE = "M-TEST-IOT-0001"


def token_from_connection_string(connection: str) -> str:
    """The token's secret inside ``<server_url>?token=...&db_uuid=...&enterprise_code=...``."""
    return parse_qs(urlsplit(connection).query)["token"][0]


def box_params(identifier: str = "00:11:22:33:44:55", **overrides) -> dict:
    """What a box sends to /iot/setup, without the token."""
    return {
        "identifier": identifier,
        "name": "Counter box",
        "ip": "10.0.0.5:8080",
        "version": "24.10",
        **overrides,
    }
