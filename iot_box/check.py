"""The certificate check of docs/protocols.md §7, step by step in the documented order.

``CertificateCheck.run()`` returns what happened; it never raises for a documented failure. It installs a new
certificate only after ``certs.verify_issued`` accepted it, and leaves the old one in place otherwise.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from iot_box import certs, errors
from iot_box.config import BoxConfig
from iot_box.errors import CheckFailed
from iot_box.installer import CertStore, InstalledPair
from iot_box.names import DOMAIN, box_hostname, subdomain
from iot_box.odoo_com import OdooCom

RENEW_BEFORE = dt.timedelta(days=10)


@dataclass(frozen=True)
class CheckResult:
    error_code: str | None
    error_detail: str | None
    installed: InstalledPair | None  # set when this check installed a new certificate
    certificate: certs.CertInfo | None  # the certificate in place after the check (None: unreadable/absent)
    http_status: int | None = None  # with ERR_IOT_HTTPS_LOAD_REQUEST_STATUS

    @property
    def headline(self) -> str | None:
        return errors.headline(self.error_code, self.http_status) if self.error_code else None

    @property
    def status(self) -> tuple:
        """What the database server is told; a report is due when this changes."""
        cert = self.certificate if self.certificate and not self.certificate.is_placeholder else None
        return (cert.not_after if cert else None, cert.subject_cn if cert else None, self.headline,
                self.http_status, self.error_detail)


@dataclass
class CertificateCheck:
    config: BoxConfig
    store: CertStore
    odoo_com: OdooCom
    advertise_ip: str
    ca_file: Path | None  # --odoo-com-ca; read at each verification: it may appear after the box started
    key_mode: str = "csr"  # "csr": the key never leaves the box; "server": odoo.com sends it

    def run(self, now: dt.datetime | None = None, ask_if_changed: bool = False) -> CheckResult:
        """The check; ``ask_if_changed`` (a (re)start, a new credential or connection) also asks odoo.com when the
        server, the database UUID or the enterprise code changed since the installed certificate was issued
        (docs/box-certificate-check.md)."""
        now = now or certs.utcnow()
        current: certs.CertInfo | None = None
        try:
            current, issued_for = self._current_certificate()
            if (self._still_good(current, now) and self._names_this_database(current)
                    and not (ask_if_changed and issued_for != self._issued_for())):
                return CheckResult(None, None, None, current)
            installed, current = self._obtain(now)
            return CheckResult(None, None, installed, current)
        except CheckFailed as failure:
            return CheckResult(failure.code, failure.detail, None, current, failure.http_status)

    def _current_certificate(self) -> tuple[certs.CertInfo | None, bytes | None]:
        """The installed certificate and the record of what it was issued for (None when there is none)."""
        if not self.config.get("remote_server"):
            raise CheckFailed(errors.NO_SERVER, "no database server is configured: this IoT system is not "
                                                "connected to an Odoo database")
        try:
            pair = self.store.load()
            return (certs.read_info(pair.cert_pem), pair.issued_for) if pair else (None, None)
        except (OSError, ValueError) as exc:
            raise CheckFailed(errors.CERT_READ_EXCEPTION,
                              f"the installed certificate could not be read: {exc}") from None

    def _issued_for(self) -> bytes:
        """What a certificate obtained now is issued for: the server, the database, and a digest of the enterprise
        code (the code itself stays in odoo.conf only)."""
        code = self.config.get("enterprise_code") or ""
        return json.dumps({"server": self.config.get("remote_server"), "db_uuid": self.config.get("db_uuid"),
                           "enterprise_code_sha256": hashlib.sha256(code.encode("utf-8")).hexdigest()},
                          sort_keys=True).encode("utf-8")

    @staticmethod
    def _still_good(current: certs.CertInfo | None, now: dt.datetime) -> bool:
        return (current is not None and not current.is_placeholder and current.not_before <= now
                and current.not_after - now > RENEW_BEFORE)

    def _names_this_database(self, current: certs.CertInfo) -> bool:
        """False once the box is moved to another database: its certificate names the old sub-domain."""
        db_uuid = self.config.get("db_uuid")
        return db_uuid is None or current.subject_cn == f"*.{subdomain(db_uuid)}.{DOMAIN}"

    def _obtain(self, now: dt.datetime) -> tuple[InstalledPair, certs.CertInfo]:
        db_uuid, code = self.config.get("db_uuid"), self.config.get("enterprise_code")
        missing = [name for name, value in (("db_uuid", db_uuid), ("enterprise_code", code)) if not value]
        if missing:
            raise CheckFailed(errors.NO_CREDENTIAL, f"{' and '.join(missing)} not set on this IoT system")
        hostname = box_hostname(self.advertise_ip, db_uuid)
        own_key_pem, csr = None, None
        if self.key_mode == "csr":
            key, own_key_pem = certs.new_key()
            csr = certs.make_csr(key, hostname)
        issued = self.odoo_com.request_certificate(db_uuid, code, csr)
        key_pem = own_key_pem if own_key_pem is not None else issued.key_pem
        try:
            info = certs.verify_issued(issued.chain_pem, key_pem, hostname, certs.load_bundle(self.ca_file), now)
        except certs.CertificateRejected as exc:
            raise CheckFailed(errors.NO_RESULT, f"odoo.com sent a certificate that is not valid for this IoT "
                                                f"system: {exc}") from None
        installed = self.store.install(issued.chain_pem, key_pem, self._issued_for())
        self.config.update(subject=info.subject_cn)
        return installed, info
