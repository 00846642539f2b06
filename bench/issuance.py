"""In-process issuance: the mock's CA against the bare ``cryptography`` floor, ``trustme`` and ``openssl``.

Every contender issues the same kind of certificate: a new ECDSA P-256 key, a leaf for ``*.<h>.odoo-iot.com``
and ``<h>.odoo-iot.com`` signed by the same intermediate, its chain and key as PEM. The floor does only that,
with nothing but ``cryptography`` calls; the mock adds what it does on top (its own bookkeeping). Each figure is
CPU time (this process's and its children's, so that the ``openssl`` processes count), not elapsed time: the floor
is the peer of CPU costs measured over HTTP, and on a shared machine elapsed time also counts the waits for a core.
It is the best of many short batches, the contenders' batches interleaved (in turn first): the slower batches
measure the other processes, whose work still slows ours through the caches, as ``timeit`` warns.
"""

from __future__ import annotations

import datetime as dt
import resource
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mock_odoo_com.ca import CertificateAuthority

H = "5e2c0a1b"  # any sub-domain: the work does not depend on it
COMMON_NAME = f"*.{H}.odoo-iot.com"
Issuer = Callable[[], tuple[bytes | str, bytes | str]]  # one issuance: (chain PEM, key PEM)


class Floor:
    """The least one issuance takes: key generation, the builder, the signature and PEM, by ``cryptography``."""

    def __init__(self, ca: CertificateAuthority, ca_key: ec.EllipticCurvePrivateKey) -> None:
        self.issuer, self.key = ca.intermediate.subject, ca_key
        self.intermediate_pem = ca.intermediate.public_bytes(serialization.Encoding.PEM)
        self.authority = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())

    def issue(self) -> tuple[bytes, bytes]:
        key = ec.generate_private_key(ec.SECP256R1())
        now = dt.datetime.now(dt.UTC)
        leaf = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, COMMON_NAME)]))
            .issuer_name(self.issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(COMMON_NAME), x509.DNSName(f"{H}.odoo-iot.com")]),
                           critical=False)
            .add_extension(self.authority, critical=False)
            .sign(self.key, hashes.SHA256())
        )
        chain = leaf.public_bytes(serialization.Encoding.PEM) + self.intermediate_pem
        key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        return chain, key_pem


def mock_issuer(ca: CertificateAuthority) -> Issuer:
    """One issuance as the mock's x509 endpoint does it once the policy said yes."""

    def issue() -> tuple[str, str]:
        cert = ca.issue_box_certificate(H, key_type="ecdsa-p256", validity_days=90,
                                        serial=x509.random_serial_number(), now=dt.datetime.now(dt.UTC))
        return cert.x509_pem, cert.private_key_pem  # text, as the endpoint puts them in its JSON answer

    return issue


def trustme_issuer(ca: trustme.CA) -> Issuer:
    def issue() -> tuple[bytes, bytes]:
        cert = ca.issue_cert(COMMON_NAME, f"{H}.odoo-iot.com", common_name=COMMON_NAME,
                             key_type=trustme.KeyType.ECDSA)
        return b"".join(blob.bytes() for blob in cert.cert_chain_pems), cert.private_key_pem.bytes()

    return issue


def openssl_issuer(ca_folder: Path, work: Path) -> Issuer:
    """``openssl req -x509 -CA``: a new P-256 key and a leaf signed by the mock's intermediate, one process."""
    argv = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-noenc",
        "-keyout", str(work / "leaf.key"), "-out", str(work / "leaf.pem"), "-subj", f"/CN={COMMON_NAME}",
        "-CA", str(ca_folder / "intermediate.pem"), "-CAkey", str(ca_folder / "intermediate.key"), "-days", "90",
        "-addext", f"subjectAltName=DNS:{COMMON_NAME},DNS:{H}.odoo-iot.com",
        "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "keyUsage=critical,digitalSignature",
        "-addext", "extendedKeyUsage=serverAuth",
    ]

    def issue() -> tuple[bytes, bytes]:
        subprocess.run(argv, check=True, capture_output=True, timeout=30)
        chain = (work / "leaf.pem").read_bytes() + (ca_folder / "intermediate.pem").read_bytes()
        return chain, (work / "leaf.key").read_bytes()

    return issue


def cpu_seconds() -> float:
    """CPU time used so far by this process and its ended children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def per_call(issue: Issuer, count: int, clock: Callable[[], float] = cpu_seconds) -> float:
    """Seconds of CPU (or of ``clock``) per call over ``count`` calls."""
    start = clock()
    for _ in range(count):
        issue()
    return (clock() - start) / count


def measure(contenders: dict[str, tuple[Issuer, int]], batches: int,
            clock: Callable[[], float] = cpu_seconds) -> dict[str, float]:
    """Best CPU seconds per issuance of each contender (``name -> (issue, calls per batch)``), interleaved."""
    for issue, _count in contenders.values():
        issue()  # warm up: imports, caches, the first key of a curve
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for batch in range(batches):
        for name in names[batch % len(names):] + names[:batch % len(names)]:
            issue, count = contenders[name]
            samples[name].append(per_call(issue, count, clock))
    return {name: min(values) for name, values in samples.items()}


def in_process(calls: int, openssl_calls: int, batches: int) -> dict[str, float]:
    """CPU seconds per issuance: ``mock``, ``floor``, ``trustme`` and ``openssl`` (the command line)."""
    with tempfile.TemporaryDirectory(prefix="bench-ca-") as folder:
        ca_folder = Path(folder) / "ca"
        ca = CertificateAuthority.load_or_create(ca_folder)
        ca_key = serialization.load_pem_private_key((ca_folder / "intermediate.key").read_bytes(), password=None)
        return measure({
            "mock": (mock_issuer(ca), calls),
            "floor": (Floor(ca, ca_key).issue, calls),
            "trustme": (trustme_issuer(trustme.CA(key_type=trustme.KeyType.ECDSA)), max(1, calls // 4)),
            "openssl": (openssl_issuer(ca_folder, Path(folder)), openssl_calls),
        }, batches)
