"""The in-process contenders all do the same work: each one's certificate passes the box's own checks."""

from __future__ import annotations

import datetime as dt

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from bench import issuance
from iot_box.certs import verify_issued
from mock_odoo_com.ca import CertificateAuthority

BOX_NAME = f"127-0-0-1.{issuance.H}.odoo-iot.com"


@pytest.fixture(scope="module")
def ca(tmp_path_factory) -> tuple[CertificateAuthority, object, object]:
    folder = tmp_path_factory.mktemp("ca")
    authority = CertificateAuthority.load_or_create(folder)
    key = serialization.load_pem_private_key((folder / "intermediate.key").read_bytes(), password=None)
    return authority, key, folder


def _accepted(chain: bytes | str, key: bytes | str, root: x509.Certificate) -> None:
    chain, key = (text.encode() if isinstance(text, str) else text for text in (chain, key))
    info = verify_issued(chain, key, BOX_NAME, [root], dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    assert info.subject_cn == issuance.COMMON_NAME


def test_the_mock_the_floor_and_openssl_issue_certificates_a_box_installs(ca, tmp_path):
    authority, key, folder = ca
    for issue in (issuance.mock_issuer(authority), issuance.Floor(authority, key).issue,
                  issuance.openssl_issuer(folder, tmp_path)):
        chain, key_pem = issue()
        _accepted(chain, key_pem, authority.root)


def test_trustme_issues_the_same_kind_of_certificate():
    trustme_ca = trustme.CA(key_type=trustme.KeyType.ECDSA)
    chain, key_pem = issuance.trustme_issuer(trustme_ca)()
    _accepted(chain, key_pem, x509.load_pem_x509_certificate(trustme_ca.cert_pem.bytes()))


def test_in_process_gives_a_time_per_issuance_for_every_contender():
    figures = issuance.in_process(calls=2, openssl_calls=1, batches=1)
    assert set(figures) == {"mock", "floor", "trustme", "openssl"}
    assert all(seconds > 0 for seconds in figures.values())


def test_measure_keeps_each_contenders_best_batch_per_call():
    # A clock of our own: each call advances it by what that contender's call "costs" in this batch.
    now = [0.0]
    costs = {"slow": iter([9.0, 2.0, 2.0, 4.0, 4.0, 3.0, 3.0]), "fast": iter([9.0, 0.5, 0.5, 0.25, 0.25, 1.0, 1.0])}

    def issuer(name):
        def issue():
            now[0] += next(costs[name])  # the first call is the warm-up, which does not count
        return issue

    figures = issuance.measure({"slow": (issuer("slow"), 2), "fast": (issuer("fast"), 2)}, batches=3,
                               clock=lambda: now[0])
    assert figures == {"slow": 2.0, "fast": 0.25}
