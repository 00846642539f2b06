"""Checks of issued certificates from the outside, as a box or a browser makes them (no code of the mock)."""

from __future__ import annotations

import datetime as dt
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store


def common_name(name: x509.Name) -> str:
    return name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def public_bytes(key) -> bytes:
    return key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def check_box_certificate(
    x509_pem: str, root_pem: str, db_uuid: str, *, now: dt.datetime | None = None, public_key=None
) -> x509.Certificate:
    """Assert that ``x509_pem`` is leaf + intermediate for ``db_uuid``'s names, up to ``root_pem``, valid
    at ``now``; with ``public_key``, that the leaf is for that key. Returns the leaf."""
    chain = x509.load_pem_x509_certificates(x509_pem.encode())
    root = x509.load_pem_x509_certificate(root_pem.encode())
    assert len(chain) == 2, "the chain is leaf + intermediate"
    leaf, intermediate = chain
    # Each signature on the way up, then a full path validation with names, as a TLS client does it.
    leaf.verify_directly_issued_by(intermediate)
    intermediate.verify_directly_issued_by(root)
    root.verify_directly_issued_by(root)
    assert common_name(intermediate.subject) == "Mock R12"
    assert common_name(root.subject) == "Mock Root X1"
    h = hashlib.sha256(db_uuid.encode()).hexdigest()[:8]
    verifier = (
        PolicyBuilder()
        .store(Store([root]))
        .time(now or dt.datetime.now(dt.UTC))
        .build_server_verifier(x509.DNSName(f"10-0-0-5.{h}.odoo-iot.com"))
    )
    verifier.verify(leaf, [intermediate])
    assert common_name(leaf.subject) == f"*.{h}.odoo-iot.com"
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert sorted(sans.get_values_for_type(x509.DNSName)) == sorted(
        [f"*.{h}.odoo-iot.com", f"{h}.odoo-iot.com"]
    )
    if public_key is not None:
        assert public_bytes(leaf.public_key()) == public_bytes(public_key)
    return leaf


def key_of(private_key_pem: str):
    return serialization.load_pem_private_key(private_key_pem.encode(), password=None)
