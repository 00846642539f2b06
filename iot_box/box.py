"""The running box: its state folder, the certificate it serves, the check (at start, on homepage load, daily;
docs/box-certificate-check.md) and the reports to the database server. The homepage and the command line act
through it."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from iot_box import __version__, certs
from iot_box.check import CertificateCheck, CheckResult
from iot_box.config import BoxConfig
from iot_box.dns_check import DnsResult, check_dns
from iot_box.installer import CertStore
from iot_box.names import hostname_from_subject, with_port
from iot_box.odoo_com import OdooCom
from iot_box.reporting import Identity, Reporter, token_digest
from iot_box.serving import ServedCertificate
from iot_common.secret_hash import hash_secret, needs_rehash, verify_secret

log = logging.getLogger(__name__)

HOMEPAGE_CHECK_INTERVAL = 10.0  # a successful result is reused this long by homepage loads
# After an error a homepage load (or "Check again") checks again, so a refresh after the cause is fixed shows the
# certificate; this spacing keeps a storm of refreshes from sending odoo.com more than one request per interval.
ERROR_RECHECK_INTERVAL = 2.0
DAILY = 24 * 3600.0


@dataclass(frozen=True)
class BoxOptions:
    data_dir: Path
    http_port: int
    https_port: int
    odoo_com_url: str
    odoo_com_ca: Path | None
    advertise_ip: str
    key_mode: str = "csr"
    dns_server: tuple[str, int] | None = None
    odoo_com_timeout: float = 10.0


class InvalidToken(ValueError):
    pass


def parse_token(text: str) -> dict[str, str]:
    """``<server_url>?token=<secret>&db_uuid=<uuid>&enterprise_code=<code>`` -> its four parts."""
    parts = urlsplit(text.strip())
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    if parts.scheme not in ("http", "https") or not parts.netloc or not query.get("token"):
        raise InvalidToken(text)
    server = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return {"remote_server": server, "token": query["token"], "db_uuid": query.get("db_uuid"),
            "enterprise_code": query.get("enterprise_code")}


class Box:
    def __init__(self, options: BoxOptions, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.options = options
        self._clock, self._sleep = clock, sleep
        options.data_dir.mkdir(parents=True, exist_ok=True)
        self.config = BoxConfig(options.data_dir / "odoo.conf")
        self.store = CertStore(options.data_dir / "certs")
        self.served = ServedCertificate()
        self.check_runner = CertificateCheck(
            config=self.config, store=self.store,
            odoo_com=OdooCom(options.odoo_com_url, options.odoo_com_ca, options.odoo_com_timeout),
            advertise_ip=options.advertise_ip, ca_file=options.odoo_com_ca,
            key_mode=options.key_mode)
        self.last_result: CheckResult | None = None
        self.checked_at: dt.datetime | None = None  # when last_result's check started (UTC)
        self._last_check_at = float("-inf")
        self._check_lock = threading.Lock()
        self._reported: tuple | None = None
        self._dns: tuple[float, str, DnsResult] | None = None
        self._stop = threading.Event()
        if not self.config.get("identifier"):
            self.config.update(identifier=secrets.token_hex(6))
        self._serve_installed_or_placeholder()
        self.reporter = Reporter(self.config, self.identity)

    # --- the local admin password -------------------------------------------------------------------------
    def ensure_admin_password(self, given: str | None) -> str | None:
        """Store the hash of ``given``; without one, make a password at first start and return it (once)."""
        if given:
            self.config.update(admin_password_hash=hash_secret(given))
            return None
        if self.config.get("admin_password_hash"):
            return None
        password = secrets.token_urlsafe(12)
        self.config.update(admin_password_hash=hash_secret(password))
        return password

    def password_ok(self, password: str) -> bool:
        stored = self.config.get("admin_password_hash")
        if not verify_secret(password, stored):
            return False
        if needs_rehash(stored):  # a hash of an older format or a lower cost: store today's
            self.config.update(admin_password_hash=hash_secret(password))
        return True

    # --- what the box serves and how it is reached ----------------------------------------------------------
    def _serve_installed_or_placeholder(self) -> None:
        try:
            self.store.tidy()
            self.served.use(self.store.load() or self.store.install(*certs.make_placeholder()))
        except (OSError, ValueError) as exc:
            # The check reports the unreadable certificate; meanwhile serve a placeholder kept apart from it.
            log.error("cannot serve the installed certificate (%s); serving a temporary placeholder", exc)
            spare = CertStore(self.options.data_dir / "placeholder")
            self.served.use(spare.install(*certs.make_placeholder()))

    def https_hostname(self) -> str | None:
        info = self.served.info
        if info is None or info.is_placeholder:
            return None
        return hostname_from_subject(self.options.advertise_ip, info.subject_cn)

    def https_url(self) -> str | None:
        host = self.https_hostname()
        return f"https://{with_port(host, self.options.https_port, 443)}" if host else None

    def identity(self) -> Identity:
        host = self.https_hostname()
        ip = (with_port(host, self.options.https_port, 443) if host
              else with_port(self.options.advertise_ip, self.options.http_port, 80))
        return Identity(self.config.get("identifier"), self.config.get("name") or socket.gethostname(), ip,
                        __version__)

    # --- the certificate check ------------------------------------------------------------------------------
    def check(self, *, if_older_than: float = 0.0, ask_if_changed: bool = False) -> CheckResult:
        """Run the check unless one started less than ``if_older_than`` seconds ago; one at a time.
        ``ask_if_changed``: a (re)start or a new credential or connection, which also asks odoo.com when the server
        or the credential changed since the certificate was issued (docs/box-certificate-check.md)."""
        with self._check_lock:
            if self.last_result is not None and self._clock() - self._last_check_at < if_older_than:
                return self.last_result
            return self._check_locked(ask_if_changed)

    def check_for_homepage(self) -> CheckResult:
        """A homepage load: a recent success is reused; after an error it checks again (spaced, see above)."""
        last = self.last_result
        return self.check(if_older_than=ERROR_RECHECK_INTERVAL if last is not None and last.error_code
                          else HOMEPAGE_CHECK_INTERVAL)

    def check_again(self) -> CheckResult:
        """The homepage's "Check again": the result of a check that starts after this call, never an older one.
        A click sooner than ERROR_RECHECK_INTERVAL after the last check waits for its turn."""
        with self._check_lock:
            wait = self._last_check_at + ERROR_RECHECK_INTERVAL - self._clock()
            if wait > 0:
                self._sleep(wait)
            return self._check_locked(False)

    def _check_locked(self, ask_if_changed: bool) -> CheckResult:
        self._last_check_at = self._clock()
        checked_at = certs.utcnow()
        result = self.check_runner.run(checked_at, ask_if_changed=ask_if_changed)
        if result.installed is not None:
            self.served.use(result.installed, result.certificate)
            log.info("serving the new certificate %s until %s", result.certificate.subject_cn,
                     certs.iso(result.certificate.not_after))
        if result.error_code:
            log.warning("certificate check: %s %s", result.headline, result.error_detail)
        self.last_result, self.checked_at = result, checked_at
        self._report_if_changed(result)
        return result

    def _report_if_changed(self, result: CheckResult) -> None:
        if result.status == self._reported or not self.config.get("remote_server"):
            return
        self._reported = result.status
        end, subject, code, http_status, detail = result.status
        self.reporter.report({"ssl_certificate_end_date": certs.iso(end) if end else None, "subject": subject,
                              "error_code": code, "error_status": http_status, "error_detail": detail})

    def dns_check(self, max_age: float = HOMEPAGE_CHECK_INTERVAL) -> DnsResult | None:
        """Whether the https name resolves to this box (an answer up to ``max_age`` s old will do); None
        without an https name."""
        host = self.https_hostname()
        if host is None:
            return None
        cached = self._dns
        if cached and cached[1] == host and self._clock() - cached[0] < max_age:
            return cached[2]
        result = check_dns(host, self.options.advertise_ip, self.options.dns_server)
        self._dns = (self._clock(), host, result)
        return result

    # --- settings -------------------------------------------------------------------------------------------
    def save_connection(self, token_text: str) -> None:
        """Keep a connection token's server and credentials (InvalidToken if it is not one)."""
        settings = parse_token(token_text)
        if self.config.get("box_secret") and token_digest(settings["token"]) == self.config.get("token_used"):
            # The same --connect on a restart: that token is spent; the box secret it gave still pairs.
            settings["token"] = None
        self.config.update(**settings)
        self._reported = None  # a new server has heard nothing yet

    def connect(self, token_text: str) -> CheckResult:
        """Pair with a database server and check the certificate: the homepage's token form."""
        self.save_connection(token_text)
        self.reporter.pair()
        return self.check(ask_if_changed=True)

    def set_credential(self, db_uuid: str | None, enterprise_code: str | None) -> CheckResult:
        self.config.update(db_uuid=db_uuid or None, enterprise_code=enterprise_code or None)
        return self.check(ask_if_changed=True)

    # --- life cycle -----------------------------------------------------------------------------------------
    def start_background(self) -> None:
        """Pair with the configured server, run the start-up check, then the daily ones, in the background."""
        if self.config.get("remote_server") and (self.config.get("token") or self.config.get("box_secret")):
            self.reporter.pair()
        threading.Thread(target=self._checks_forever, name="daily-check", daemon=True).start()

    def _checks_forever(self) -> None:
        at_start = True
        while True:
            try:
                self.check(ask_if_changed=at_start)
            except Exception:  # a bug must not end the daily checks; it is logged with its traceback
                log.exception("certificate check failed unexpectedly")
            at_start = False
            if self._stop.wait(DAILY):
                return

    def stop(self) -> None:
        self._stop.set()
        self.reporter.stop()

    def status(self) -> dict:
        """``GET /status.json`` (docs/protocols.md §5): never a key, a token or an enterprise code."""
        result, info = self.last_result, self.served.info
        return {
            "https_url": self.https_url(),
            "certificate": info.as_json() if info else None,
            # The code as the documentation writes it ("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"); the HTTP status
            # also on its own, for scripts.
            "error_code": result.headline if result else None,
            "error_status": result.http_status if result else None,
            "error_detail": result.error_detail if result else None,
            "checked_at": certs.iso(self.checked_at) if self.checked_at else None,
            "server": self.config.get("remote_server"),
        }
