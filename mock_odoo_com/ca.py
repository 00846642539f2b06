"""The mock CA: root "Mock Root X1" and intermediate "Mock R12", made once and kept in the data dir.

Box certificates are signed by the intermediate and name ``*.<h>.odoo-iot.com`` and ``<h>.odoo-iot.com``,
where ``<h>`` is the first 8 hex digits of the SHA-256 of the database's UUID. What is fixed per CA (its
PEM, its name, its key identifier) is computed once, and the names per database once per database, so issuing
a certificate is key generation, one signature and PEM encoding."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from iot_common.files import atomic_write

ROOT_NAME = "Mock Root X1"
INTERMEDIATE_NAME = "Mock R12"
ORGANIZATION = "Mock odoo.com"
# Certificates start an hour in the past, as Let's Encrypt's do, so that a client whose clock is a little
# behind accepts them at once.
BACKDATE = dt.timedelta(hours=1)
# The CA starts a year in the past, so that the certificate of the ``expired`` fault
# (valid until two days ago) lies within its issuer's validity and fails for the one reason it should.
CA_BACKDATE = dt.timedelta(days=365)

PrivateKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
PublicKey = ec.EllipticCurvePublicKey | rsa.RSAPublicKey


class CsrError(ValueError):
    """A certificate signing request the mock cannot sign; the message says why."""


def subdomain(db_uuid: str) -> str:
    """``<h>``: the database's sub-domain of odoo-iot.com."""
    return hashlib.sha256(db_uuid.encode()).hexdigest()[:8]


def validity(now: dt.datetime, days: int) -> tuple[dt.datetime, dt.datetime]:
    """notBefore and notAfter of a box certificate issued at ``now``."""
    return now - BACKDATE, now - BACKDATE + dt.timedelta(days=days)


def new_private_key(key_type: str) -> PrivateKey:
    if key_type == "rsa-2048":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ec.generate_private_key(ec.SECP256R1())


def private_key_pem(key: PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def certificate_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def public_key_from_csr(pem: str) -> PublicKey:
    """The key a CSR asks a certificate for, once its signature proves the sender holds the private key."""
    try:
        csr = x509.load_pem_x509_csr(pem.encode())
    except (ValueError, UnicodeEncodeError) as exc:
        raise CsrError(f"the csr is not a PEM certificate signing request ({exc})") from None
    try:
        key = csr.public_key()
        valid = csr.is_signature_valid
    except Exception as exc:  # unsupported algorithms and broken encodings raise various errors
        raise CsrError(f"the csr cannot be checked ({exc})") from None
    if not valid:
        raise CsrError("the csr's signature does not match its public key")
    if isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name in ("secp256r1", "secp384r1"):
        return key
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048:
        return key
    raise CsrError("the csr's key must be ECDSA P-256/P-384 or RSA of 2048 bits or more")


@dataclass(frozen=True)
class BoxCertificate:
    """What the x509 endpoint returns, and what the request log keeps of it."""

    x509_pem: str
    private_key_pem: str
    subject_cn: str
    serial: int
    not_after: dt.datetime


def _key_usage(**granted: bool) -> x509.KeyUsage:
    """A KeyUsage extension with the ``granted`` uses and no other."""
    names = (
        "digital_signature",
        "content_commitment",
        "key_encipherment",
        "data_encipherment",
        "key_agreement",
        "key_cert_sign",
        "crl_sign",
        "encipher_only",
        "decipher_only",
    )
    return x509.KeyUsage(**{**dict.fromkeys(names, False), **granted})


# Leaf key usage by key type: an RSA key may also encipher keys (TLS 1.2 RSA key exchange).
LEAF_KEY_USAGE = {
    False: _key_usage(digital_signature=True),
    True: _key_usage(digital_signature=True, key_encipherment=True),
}


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _common_name(value: str) -> x509.Name:
    """A leaf's subject: its common name alone."""
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, value)])


@functools.lru_cache(maxsize=1024)
def _box_names(h: str) -> tuple[str, x509.Name, x509.SubjectAlternativeName]:
    """The common name, subject and alternative names of sub-domain ``h``'s certificates. Every box of a database
    gets the same names, and building them (their checks included) is a twentieth of an issuance's instructions
    (docs/benchmark.md): they are built once per database."""
    common_name = f"*.{h}.odoo-iot.com"
    names = x509.SubjectAlternativeName([x509.DNSName(common_name), x509.DNSName(f"{h}.odoo-iot.com")])
    return common_name, _common_name(common_name), names


def _ca_certificate(
    subject: str,
    key: PrivateKey,
    issuer: x509.Certificate | None,
    issuer_key: PrivateKey,
    path_length: int | None,
) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer.subject if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CA_BACKDATE)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_length), critical=True)
        .add_extension(
            _key_usage(digital_signature=True, key_cert_sign=True, crl_sign=True),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


class CertificateAuthority:
    """A root and an intermediate kept in a folder; leaf certificates are signed by the intermediate."""

    def __init__(self, root: x509.Certificate, intermediate: x509.Certificate, intermediate_key: PrivateKey):
        self.root = root
        self.root_pem = certificate_pem(root)
        self.intermediate = intermediate
        self._intermediate_pem = certificate_pem(intermediate)
        self._key = intermediate_key
        # What every leaf shares, built once. No subject key identifier in leaves: the CA/Browser Forum's
        # rules advise against it there; verifiers use the authority key identifier.
        self._leaf_template = (
            x509.CertificateBuilder()
            .issuer_name(intermediate.subject)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(intermediate_key.public_key()),
                critical=False,
            )
        )

    @classmethod
    def load_or_create(
        cls, folder: Path, root_name: str = ROOT_NAME, intermediate_name: str = INTERMEDIATE_NAME
    ) -> CertificateAuthority:
        """The CA kept in ``folder``, made there (keys readable by their owner alone) on the first call."""
        files = {
            name: folder / name for name in ("root.pem", "root.key", "intermediate.pem", "intermediate.key")
        }
        if not files["intermediate.key"].exists():
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            root_key, intermediate_key = new_private_key("ecdsa-p256"), new_private_key("ecdsa-p256")
            root = _ca_certificate(root_name, root_key, None, root_key, path_length=None)
            intermediate = _ca_certificate(intermediate_name, intermediate_key, root, root_key, path_length=0)
            atomic_write(files["root.key"], private_key_pem(root_key).encode())
            atomic_write(files["root.pem"], root.public_bytes(serialization.Encoding.PEM))
            atomic_write(files["intermediate.pem"], intermediate.public_bytes(serialization.Encoding.PEM))
            # Written last: its presence says the CA is complete.
            atomic_write(files["intermediate.key"], private_key_pem(intermediate_key).encode())
        key = serialization.load_pem_private_key(files["intermediate.key"].read_bytes(), password=None)
        return cls(
            x509.load_pem_x509_certificate(files["root.pem"].read_bytes()),
            x509.load_pem_x509_certificate(files["intermediate.pem"].read_bytes()),
            key,
        )

    def sign(
        self,
        public_key: PublicKey,
        subject: x509.Name,
        names: x509.SubjectAlternativeName,
        serial: int,
        not_before: dt.datetime,
        not_after: dt.datetime,
    ) -> x509.Certificate:
        """A server certificate (TLS server authentication) for ``subject`` and the alternative ``names``."""
        return (
            self._leaf_template.subject_name(subject)
            .public_key(public_key)
            .serial_number(serial)
            .not_valid_before(not_before)
            .not_valid_after(not_after)
            .add_extension(LEAF_KEY_USAGE[isinstance(public_key, rsa.RSAPublicKey)], critical=True)
            .add_extension(names, critical=False)
            .sign(self._key, hashes.SHA256())
        )

    def chain_pem(self, leaf: x509.Certificate) -> str:
        """Leaf then intermediate, as a TLS server sends them."""
        return certificate_pem(leaf) + self._intermediate_pem

    def issue_box_certificate(
        self,
        h: str,
        *,
        key_type: str,
        validity_days: int,
        serial: int,
        now: dt.datetime,
        public_key: PublicKey | None = None,
    ) -> BoxCertificate:
        """The certificate of sub-domain ``h``: for ``public_key`` (a CSR's), or for a key made here."""
        key = None if public_key is not None else new_private_key(key_type)
        common_name, subject, names = _box_names(h)
        not_before, not_after = validity(now, validity_days)
        leaf = self.sign(public_key or key.public_key(), subject, names, serial, not_before, not_after)
        return BoxCertificate(
            self.chain_pem(leaf), private_key_pem(key) if key else "", common_name, serial, not_after
        )

    def write_server_certificate(self, names: list[str], cert_path: Path, key_path: Path) -> None:
        """The mock's own HTTPS certificate (chain and key files) for host names and addresses ``names``."""
        general_names: list[x509.GeneralName] = []
        for name in dict.fromkeys(names):
            try:
                general_names.append(x509.IPAddress(ipaddress.ip_address(name)))
            except ValueError:
                general_names.append(x509.DNSName(name))
        key = new_private_key("ecdsa-p256")
        now = dt.datetime.now(dt.UTC)
        leaf = self.sign(
            key.public_key(),
            _common_name(names[0]),
            x509.SubjectAlternativeName(general_names),
            x509.random_serial_number(),
            now - BACKDATE,
            now + dt.timedelta(days=365),
        )
        atomic_write(key_path, private_key_pem(key).encode())
        atomic_write(cert_path, self.chain_pem(leaf).encode())
