"""X.509 for the box: the self-signed placeholder, keys and CSRs, reading a certificate, and the checks a new
certificate must pass before it is installed (docs/protocols.md §7)."""

from __future__ import annotations

import datetime as dt
import ssl
import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.utils import CryptographyDeprecationWarning
from cryptography.x509.oid import ExtensionOID, NameOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

PLACEHOLDER_CN = "OdooTempIoTBoxCertificate"


class CertificateRejected(Exception):
    """A certificate (or its key) that must not be installed; the message says why."""


@dataclass(frozen=True)
class CertInfo:
    subject_cn: str
    not_before: dt.datetime
    not_after: dt.datetime
    issuer: str
    serial: str

    @property
    def is_placeholder(self) -> bool:
        return self.subject_cn == PLACEHOLDER_CN

    def as_json(self) -> dict:
        return {
            "subject_cn": self.subject_cn,
            "not_before": iso(self.not_before),
            "not_after": iso(self.not_after),
            "issuer": self.issuer,
            "serial": self.serial,
        }


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _common_name(name: x509.Name) -> str:
    values = name.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(values[0].value) if values else name.rfc4514_string()


def describe(cert: x509.Certificate) -> CertInfo:
    return CertInfo(
        subject_cn=_common_name(cert.subject),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        issuer=_common_name(cert.issuer),
        serial=format(cert.serial_number, "x"),
    )


def read_info(cert_pem: bytes) -> CertInfo:
    """The leaf (first certificate) of a PEM chain; raises ValueError when it does not parse."""
    return describe(x509.load_pem_x509_certificate(cert_pem))


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def new_key() -> tuple[ec.EllipticCurvePrivateKey, bytes]:
    key = ec.generate_private_key(ec.SECP256R1())
    return key, _pem_key(key)


def make_placeholder(now: dt.datetime | None = None) -> tuple[bytes, bytes]:
    """A self-signed (certificate, key) PEM pair with CN ``OdooTempIoTBoxCertificate``, served until the first
    real certificate arrives; browsers warn about it, which is the point."""
    now = now or utcnow()
    key, key_pem = new_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, PLACEHOLDER_CN)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def make_csr(key: ec.EllipticCurvePrivateKey, hostname: str) -> bytes:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM)


def load_bundle(bundle: Path | None) -> list[x509.Certificate]:
    """The certificates of the ``--odoo-com-ca`` bundle (none without one); CertificateRejected if unreadable."""
    if bundle is None:
        return []
    try:
        return x509.load_pem_x509_certificates(Path(bundle).read_bytes())
    except (OSError, ValueError) as exc:
        raise CertificateRejected(f"the CA bundle {bundle} cannot be read ({exc})") from None


@cache
def system_roots() -> list[x509.Certificate]:
    """The machine's trusted roots, read once and only when a certificate does not chain to the bundle."""
    paths = ssl.get_default_verify_paths()
    for candidate in (paths.cafile, paths.openssl_cafile):
        if candidate and Path(candidate).is_file():
            with warnings.catch_warnings():  # some old system roots have negative serials; they still count
                warnings.simplefilter("ignore", CryptographyDeprecationWarning)
                return x509.load_pem_x509_certificates(Path(candidate).read_bytes())
    return []


# The leaf must name the box in its subjectAltName; its other extensions are not ours to police (the strict
# Web PKI profile refuses e.g. a critical subjectAltName, which TLS clients accept). CAs get the full profile.
_LEAF_POLICY = ExtensionPolicy.permit_all().require_present(x509.SubjectAlternativeName, Criticality.AGNOSTIC,
                                                            None)
_CA_POLICY = ExtensionPolicy.webpki_defaults_ca()


def _names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_oid(ExtensionOID.SUBJECT_ALTERNATIVE_NAME).value
    except x509.ExtensionNotFound:
        return []
    return san.get_values_for_type(x509.DNSName)


def _matches(pattern: str, hostname: str) -> bool:
    """RFC 6125 matching: exact, or a ``*.`` wildcard standing for exactly one label."""
    pattern, hostname = pattern.lower(), hostname.lower()
    if pattern.startswith("*."):
        first, _, rest = hostname.partition(".")
        return bool(first) and rest == pattern[2:]
    return pattern == hostname


def verify_issued(chain_pem: bytes, key_pem: bytes, hostname: str, bundle: list[x509.Certificate],
                  now: dt.datetime | None = None) -> CertInfo:
    """Check a certificate chain and key from odoo.com before installing them; raise CertificateRejected.

    In order: the chain parses, the key parses and matches the leaf, the leaf names ``hostname``, it is valid
    now, and it chains to a root of ``bundle`` or of the system store.
    """
    now = now or utcnow()
    try:
        chain = x509.load_pem_x509_certificates(chain_pem)
    except ValueError as exc:
        raise CertificateRejected(f"the certificate is not valid PEM ({exc})") from None
    leaf, intermediates = chain[0], chain[1:]
    try:
        key = serialization.load_pem_private_key(key_pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CertificateRejected(f"the private key is not valid PEM ({exc})") from None
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, public) != leaf.public_key().public_bytes(
            serialization.Encoding.DER, public):
        raise CertificateRejected("the private key does not match the certificate")
    names = _names(leaf)
    if not any(_matches(name, hostname) for name in names):
        raise CertificateRejected(f"the certificate names {', '.join(names) or 'no host'}, not {hostname}")
    if now < leaf.not_valid_before_utc:
        raise CertificateRejected(f"the certificate is not valid before {iso(leaf.not_valid_before_utc)}")
    if now > leaf.not_valid_after_utc:
        raise CertificateRejected(f"the certificate expired on {iso(leaf.not_valid_after_utc)}")
    failure = "no trusted root certificate is available"
    for roots_of in (lambda: bundle, system_roots):  # the system store only if the bundle does not do
        roots = roots_of()
        if not roots:
            continue
        verifier = (PolicyBuilder().store(Store(roots)).time(now)
                    .extension_policies(ca_policy=_CA_POLICY, ee_policy=_LEAF_POLICY)
                    .build_server_verifier(x509.DNSName(hostname)))
        try:
            verifier.verify(leaf, intermediates)
            return describe(leaf)
        except VerificationError as exc:
            failure = str(exc)
    raise CertificateRejected(
        f"the certificate does not chain to a trusted root (issuer {_common_name(leaf.issuer)}: {failure})")
