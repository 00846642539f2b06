"""How a box is named on the internet (docs/protocols.md §2): ``a-b-c-d.<h>.odoo-iot.com``."""

from __future__ import annotations

import hashlib

DOMAIN = "odoo-iot.com"


def subdomain(db_uuid: str) -> str:
    """The database's sub-domain ``<h>``: the first 8 hex digits of sha256(db_uuid)."""
    return hashlib.sha256(db_uuid.encode("utf-8")).hexdigest()[:8]


def box_hostname(ip: str, db_uuid: str) -> str:
    """The name a box with IPv4 ``ip`` has for the database ``db_uuid``."""
    return f"{ip.replace('.', '-')}.{subdomain(db_uuid)}.{DOMAIN}"


def hostname_from_subject(ip: str, subject_cn: str) -> str | None:
    """The box's name under the certificate's wildcard ``*.<h>.odoo-iot.com``; None for other names."""
    if not subject_cn.startswith("*.") or not subject_cn.endswith("." + DOMAIN):
        return None
    return f"{ip.replace('.', '-')}.{subject_cn[2:]}"


def with_port(host: str, port: int, default_port: int) -> str:
    return host if port == default_port else f"{host}:{port}"
