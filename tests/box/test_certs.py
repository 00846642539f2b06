"""What a certificate from odoo.com must pass before the box installs it (docs/protocols.md §7)."""

from __future__ import annotations

import pytest
import trustme
from boxhelpers import BOX_HOST, WILDCARD, issue
from cryptography import x509

from iot_box import certs
from iot_box.certs import CertificateRejected, verify_issued


def roots(ca: trustme.CA):
    return x509.load_pem_x509_certificates(ca.cert_pem.bytes())


def test_a_good_certificate_passes_and_is_described(ca):
    chain, key = issue(ca)
    info = verify_issued(chain, key, BOX_HOST, roots(ca))
    assert info.subject_cn == WILDCARD
    assert not info.is_placeholder
    assert info.not_after > certs.utcnow()


@pytest.mark.parametrize("damage, reason", [
    (lambda chain, key, other: (b"not a pem", key), "not valid PEM"),
    (lambda chain, key, other: (chain, b"garbage"), "private key is not valid PEM"),
    (lambda chain, key, other: (chain, other[1]), "does not match"),
])
def test_broken_answers_are_rejected(ca, damage, reason):
    chain, key = issue(ca)
    other = issue(ca)
    bad_chain, bad_key = damage(chain, key, other)
    with pytest.raises(CertificateRejected, match=reason):
        verify_issued(bad_chain, bad_key, BOX_HOST, roots(ca))


def test_a_certificate_for_another_sub_domain_is_rejected(ca):
    chain, key = issue(ca, "*.deadbeef.odoo-iot.com")
    with pytest.raises(CertificateRejected, match=r"names \*\.deadbeef\.odoo-iot\.com, not " + BOX_HOST):
        verify_issued(chain, key, BOX_HOST, roots(ca))


def test_the_wildcard_covers_one_label_only(ca):
    chain, key = issue(ca)
    with pytest.raises(CertificateRejected, match="not x.10-0-0-5"):
        verify_issued(chain, key, "x." + BOX_HOST, roots(ca))


def test_an_expired_certificate_is_rejected(ca):
    chain, key = issue(ca, days=-1, start_days_ago=30)
    with pytest.raises(CertificateRejected, match="expired on"):
        verify_issued(chain, key, BOX_HOST, roots(ca))


def test_a_certificate_from_an_untrusted_root_is_rejected(ca):
    chain, key = issue(trustme.CA())
    with pytest.raises(CertificateRejected, match="does not chain to a trusted root"):
        verify_issued(chain, key, BOX_HOST, roots(ca))


def test_the_placeholder_is_self_signed_with_the_documented_name():
    cert_pem, key_pem = certs.make_placeholder()
    info = certs.read_info(cert_pem)
    assert info.subject_cn == "OdooTempIoTBoxCertificate" == info.issuer
    assert info.is_placeholder
    with pytest.raises(CertificateRejected):  # never accepted as a real certificate
        verify_issued(cert_pem, key_pem, BOX_HOST, [])
