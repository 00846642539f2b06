"""Helpers the addon's tests share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from odoo.tools import config

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


@contextlib.contextmanager
def odoo_com_unreachable() -> Iterator[None]:
    """Point the server at an address where nothing listens (the discard port), as if odoo.com were down."""
    options = config.misc.setdefault("iot_https", {})
    saved = options.get("odoo_com_url")
    options["odoo_com_url"] = "http://127.0.0.1:9"
    try:
        yield
    finally:
        options["odoo_com_url"] = saved
