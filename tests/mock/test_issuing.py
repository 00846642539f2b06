"""Certificates issued to an eligible database, checked from the outside: chain, names, key, validity."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from x509_checks import check_box_certificate, key_of


def rsa_key(bits: int):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def make_csr(key, name: str = "box") -> str:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def issue(mock, db_uuid, code, csr=None) -> dict:
    response = mock.request_certificate(db_uuid, code, csr)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["jsonrpc"] == "2.0" and body["id"] == 1
    return body["result"]


def test_server_key_mode_issues_an_ecdsa_p256_certificate_valid_90_days(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    before = dt.datetime.now(dt.UTC)
    result = issue(mock_odoo_com, db_uuid, code)
    key = key_of(result["private_key_pem"])
    assert result["private_key_pem"].startswith("-----BEGIN PRIVATE KEY-----")  # PKCS#8
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    leaf = check_box_certificate(
        result["x509_pem"], mock_odoo_com.ca_path.read_text(), db_uuid, public_key=key.public_key()
    )
    h = mock_odoo_com.subdomain(db_uuid)
    assert result["subject_cn"] == f"*.{h}.odoo-iot.com"
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc == dt.timedelta(days=90)
    assert leaf.not_valid_before_utc <= before <= leaf.not_valid_after_utc - dt.timedelta(days=89)
    entry = mock_odoo_com.requests(endpoint="x509")[-1]
    assert entry["outcome"] == "issued" and entry["serial"] == format(leaf.serial_number, "x")
    assert entry["enterprise_code_fingerprint"] == mock_odoo_com.fingerprint(code)
    assert code not in str(entry)


@pytest.mark.parametrize(
    "key",
    [ec.generate_private_key(ec.SECP256R1()), rsa_key(2048)],
    ids=["ecdsa-p256", "rsa-2048"],
)
def test_csr_mode_certifies_the_csr_key_and_returns_no_key(mock_odoo_com, key):
    db_uuid, code = mock_odoo_com.eligible_database()
    result = issue(mock_odoo_com, db_uuid, code, make_csr(key, name="ignored.example.com"))
    assert result["private_key_pem"] == ""
    check_box_certificate(
        result["x509_pem"], mock_odoo_com.ca_path.read_text(), db_uuid, public_key=key.public_key()
    )
    assert mock_odoo_com.requests(endpoint="x509")[-1]["csr"] is True


def test_key_type_and_validity_settings_apply_to_the_next_certificate(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    mock_odoo_com.settings(key_type="rsa-2048", validity_days=7)
    result = issue(mock_odoo_com, db_uuid, code)
    key = key_of(result["private_key_pem"])
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    leaf = check_box_certificate(
        result["x509_pem"], mock_odoo_com.ca_path.read_text(), db_uuid, public_key=key.public_key()
    )
    assert leaf.not_valid_after_utc - leaf.not_valid_before_utc == dt.timedelta(days=7)


def test_serials_are_unique(mock_odoo_com):
    db_uuid, code = mock_odoo_com.eligible_database()
    serials = {
        x509.load_pem_x509_certificate(issue(mock_odoo_com, db_uuid, code)["x509_pem"].encode()).serial_number
        for _ in range(20)
    }
    assert len(serials) == 20


def with_broken_signature(csr_pem: str) -> str:
    """The same CSR with the last byte of its (RSA) signature flipped: the signature no longer verifies."""
    der = bytearray(x509.load_pem_x509_csr(csr_pem.encode()).public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0xFF
    return x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM).decode()


@pytest.mark.parametrize(
    ("csr", "words"),
    [
        ("not a csr", "not a PEM certificate signing request"),
        (make_csr(rsa_key(1024)), "2048"),
        (with_broken_signature(make_csr(rsa_key(2048))), "signature does not match"),
    ],
    ids=["garbage", "rsa-1024", "bad-signature"],
)
def test_a_bad_csr_gets_a_clear_error(mock_odoo_com, csr, words):
    db_uuid, code = mock_odoo_com.eligible_database()
    response = mock_odoo_com.request_certificate(db_uuid, code, csr)
    assert response.status_code == 200
    error = response.json()["error"]
    assert error["code"] == -32602 and "csr" in error["message"] and words in error["message"]
    assert "Traceback" not in response.text
    assert mock_odoo_com.requests(endpoint="x509")[-1]["outcome"] == "bad_request"


def test_a_tls_client_trusting_the_mock_ca_accepts_the_certificate_for_the_box_name(mock_odoo_com, tmp_path):
    db_uuid, code = mock_odoo_com.eligible_database()
    result = issue(mock_odoo_com, db_uuid, code)
    (tmp_path / "cert.pem").write_text(result["x509_pem"])
    (tmp_path / "key.pem").write_text(result["private_key_pem"])
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    with socket.create_server(("127.0.0.1", 0)) as listener:

        def serve_one():
            conn, _ = listener.accept()
            with server_context.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"hello")

        threading.Thread(target=serve_one, daemon=True).start()
        client_context = ssl.create_default_context(cafile=str(mock_odoo_com.ca_path))
        name = f"10-0-0-5.{mock_odoo_com.subdomain(db_uuid)}.odoo-iot.com"
        with socket.create_connection(listener.getsockname(), timeout=30) as plain:
            with client_context.wrap_socket(plain, server_hostname=name) as tls:
                assert tls.recv(5) == b"hello"
