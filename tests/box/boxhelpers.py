"""Helpers for the box's tests: names of a test box, certificates issued like odoo.com issues them."""

from __future__ import annotations

import datetime as dt

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from iot_box.names import subdomain

DB_UUID = "0f6d1d2e-1b7a-4c3e-9a55-3b0f2c1d4e5f"
IP = "10.0.0.5"
WILDCARD = f"*.{subdomain(DB_UUID)}.odoo-iot.com"
BOX_HOST = f"10-0-0-5.{subdomain(DB_UUID)}.odoo-iot.com"


def issue(ca: trustme.CA, *names: str, days: float = 90, start_days_ago: float = 1) -> tuple[bytes, bytes]:
    """(chain PEM, key PEM) of a certificate from ``ca`` for ``names`` (default: the box's wildcard)."""
    now = dt.datetime.now(dt.UTC)
    names = names or (WILDCARD,)
    leaf = ca.issue_cert(*names, common_name=names[0], not_before=now - dt.timedelta(days=start_days_ago),
                         not_after=now + dt.timedelta(days=days))
    chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
    return chain, leaf.private_key_pem.bytes()


def pair_matches(cert_pem: bytes, key_pem: bytes) -> bool:
    cert = x509.load_pem_x509_certificate(cert_pem)
    key = serialization.load_pem_private_key(key_pem, None)
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    return (cert.public_key().public_bytes(serialization.Encoding.DER, spki)
            == key.public_key().public_bytes(serialization.Encoding.DER, spki))


def closed_port_url() -> str:
    """An https URL where nothing listens: a request there fails at once (connection refused)."""
    from iot_common.net import free_port

    return f"https://127.0.0.1:{free_port()}"


def new_box(data_dir):
    """A box (no listeners) whose odoo.com is not there: every request to it fails at once."""
    from iot_box.box import Box, BoxOptions

    return Box(BoxOptions(data_dir=data_dir, http_port=8080, https_port=8443, odoo_com_url=closed_port_url(),
                          odoo_com_ca=None, advertise_ip=IP, odoo_com_timeout=2))
