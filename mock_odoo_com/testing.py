"""Run a mock odoo.com as a real process and drive it through its admin API: for any project's tests, with
pytest (see ``pytest_plugin``) or without::

    with MockOdooCom(tmp_dir) as mock:
        db_uuid, code = mock.eligible_database()
        ...  # point the system under test at mock.url, trusting mock.ca_path
        assert mock.requests(endpoint="x509")[-1]["outcome"] == "issued"
"""

from __future__ import annotations

import hashlib
import time
import uuid
from pathlib import Path
from typing import Any

import requests

from iot_common.net import free_port, free_udp_port
from iot_common.procs import ProcessFailed, Service, console


class MockError(RuntimeError):
    """The mock answered an admin call with an error; the message is the mock's."""


class MockOdooCom:
    """One mock process on free ports with its state in ``data_dir``.

    ``url`` is its public base URL (https unless ``plain_http``), ``admin_url`` that of its admin API (on a port of
    its own), ``ca_path`` the root certificate to trust, and ``dns_port`` the UDP port of its ``*.odoo-iot.com``
    DNS on 127.0.0.1 (None with ``dns=False``).
    """

    def __init__(
        self,
        data_dir: str | Path,
        *,
        workers: int = 2,
        plain_http: bool = False,
        dns: bool = True,
        extra_args: list[str] | None = None,
        port: int | None = None,
        dns_port: int | None = None,
        admin_port: int | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.workers, self.plain_http, self.extra_args = workers, plain_http, list(extra_args or [])
        self.port = port or free_port()
        self.admin_port = admin_port or free_port()
        self.dns_port = dns_port or (free_udp_port() if dns else None)
        scheme = "http" if plain_http else "https"
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.admin_url = f"{scheme}://127.0.0.1:{self.admin_port}"
        self.ca_path = self.data_dir / "ca.pem"
        self.service: Service | None = None
        self.session = requests.Session()
        # Without this, REQUESTS_CA_BUNDLE (set on many machines) would replace session.verify, and the mock's
        # CA would not be trusted; a mock on a loopback address needs no proxy or .netrc either.
        self.session.trust_env = False

    @classmethod
    def attach(cls, data_dir: str | Path, port: int, admin_port: int, dns_port: int | None = None) -> MockOdooCom:
        """The client of a mock already running (HTTPS on 127.0.0.1:``port``, its admin API on ``admin_port``, its
        state in ``data_dir``): the admin API and the helpers below, without a process of its own."""
        mock = cls(data_dir, port=port, admin_port=admin_port, dns_port=dns_port, dns=False)
        mock.session.verify = str(mock.ca_path)
        return mock

    # -- the process -------------------------------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> MockOdooCom:
        argv = [
            *console("mock-odoo-com"),
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(self.port),
            "--admin-port",
            str(self.admin_port),
            "--workers",
            str(self.workers),
            *self.extra_args,
        ]
        if self.dns_port is not None:
            argv += ["--dns-port", str(self.dns_port)]
        if self.plain_http:
            argv.append("--plain-http")
        self.service = Service("mock-odoo-com", argv, self.data_dir / "mock-odoo-com.log")
        self.service.wait_for_port(self.port, timeout=timeout)
        self.session.verify = False if self.plain_http else str(self.ca_path)
        deadline = time.monotonic() + timeout
        while True:  # the port listens before the workers have booted; wait until one answers
            try:
                self.session.get(f"{self.admin_url}/mock/", timeout=5).raise_for_status()
                return self
            except requests.RequestException:
                if time.monotonic() > deadline or self.service.process.poll() is not None:
                    raise ProcessFailed(
                        f"mock-odoo-com does not answer:\n{self.service.log_tail()}"
                    ) from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.session.close()
        if self.service is not None:
            self.service.stop()

    def restart(self) -> MockOdooCom:
        self.stop()
        return self.start()

    @property
    def running(self) -> bool:
        return self.service is not None and self.service.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return self.service.log_tail(lines) if self.service else ""

    def __enter__(self) -> MockOdooCom:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the admin API -----------------------------------------------------------------------------------

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        """One admin call (``path`` under ``/mock/``, on the admin port); its JSON answer, or ``MockError`` with the
        mock's message."""
        response = self.session.request(
            method, f"{self.admin_url}{path}", json=body, params=params or None, timeout=30
        )
        if response.status_code >= 400:
            raise MockError(f"{method} {path}: {response.status_code} {response.text}")
        return response.json()

    def add_subscription(
        self, code: str, state: str = "in_progress", iot_lines: int = 1, added_at: str | None = None
    ) -> dict[str, Any]:
        """Create or replace a subscription, with one IoT box line of ``iot_lines`` boxes (none when 0)."""
        lines = [{"product": "iot_box", "quantity": iot_lines, "added_at": added_at}] if iot_lines else []
        return self.call("PUT", f"/mock/subscriptions/{code}", {"state": state, "lines": lines})

    def add_database(self, db_uuid: str, subscription: str, kind: str = "production") -> dict[str, Any]:
        return self.call("PUT", f"/mock/databases/{db_uuid}", {"subscription": subscription, "kind": kind})

    def eligible_database(self) -> tuple[str, str]:
        """A fresh production database, its subscription In Progress with an IoT box line: (db_uuid, code)."""
        db_uuid, code = str(uuid.uuid4()), f"M{uuid.uuid4().hex[:15]}"
        self.add_subscription(code)
        self.add_database(db_uuid, code)
        return db_uuid, code

    def set_fault(
        self, mode: str, *, endpoint: str = "x509", times: int | None = 1, **params: Any
    ) -> dict[str, Any]:
        """Inject a fault for the next ``times`` requests of ``endpoint`` (None: until ``clear_faults()``)."""
        return self.call(
            "POST", "/mock/faults", {"endpoint": endpoint, "mode": mode, "times": times, **params}
        )

    def faults(self) -> list[dict[str, Any]]:
        return self.call("GET", "/mock/faults")["faults"]

    def clear_faults(self, endpoint: str | None = None) -> int:
        return self.call("DELETE", "/mock/faults", **({"endpoint": endpoint} if endpoint else {}))["cleared"]

    def settings(self, **changes: Any) -> dict[str, Any]:
        """Change some settings (none: just read them); all settings after the change."""
        if changes:
            return self.call("PUT", "/mock/settings", changes)
        return self.call("GET", "/mock/settings")

    def requests(
        self,
        endpoint: str | None = None,
        db_uuid: str | None = None,
        since: str | float | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The request log, oldest first; ``endpoint`` (x509, publisher-warranty), ``db_uuid`` filter it, ``since``
        (ISO 8601 or epoch seconds, inclusive) starts it at a time, ``limit`` returns the first ``limit`` only."""
        filters = {"endpoint": endpoint, "db_uuid": db_uuid, "since": since, "limit": limit}
        return self.call(
            "GET", "/mock/requests", **{name: value for name, value in filters.items() if value is not None}
        )["requests"]

    def rotate_requests(self) -> str:
        """Start a new request log; the old one's folder (relative to the data dir). The rate limit's counts
        stay."""
        return self.call("POST", "/mock/requests/rotate")["rotated_to"]

    def clear_requests(self) -> None:
        """Forget the request log, rotated parts too; the rate limit's counts stay."""
        self.call("DELETE", "/mock/requests")

    def reset(self) -> None:
        """Forget subscriptions, databases, settings, faults and the request log; the CA stays."""
        self.call("POST", "/mock/reset")

    # -- the public endpoints, as a box or a database server calls them ----------------------------------

    def request_certificate(
        self, db_uuid: str, enterprise_code: str, csr_pem: str | None = None
    ) -> requests.Response:
        """``POST /odoo-enterprise/iot/x509`` as a box sends it; the raw answer."""
        params = {"db_uuid": db_uuid, "enterprise_code": enterprise_code}
        if csr_pem is not None:
            params["csr"] = csr_pem
        return self._json_rpc("/odoo-enterprise/iot/x509", params)

    def publisher_warranty(self, db_uuid: str, enterprise_code: str) -> dict[str, Any]:
        response = self._json_rpc("/publisher-warranty/", {"db_uuid": db_uuid, "enterprise_code": enterprise_code})
        response.raise_for_status()
        return response.json()["result"]

    def _json_rpc(self, path: str, params: dict[str, Any]) -> requests.Response:
        body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        return self.session.post(f"{self.url}{path}", json=body, timeout=30)

    @staticmethod
    def subdomain(db_uuid: str) -> str:
        """``<h>`` of a database: its certificate names ``*.<h>.odoo-iot.com``."""
        return hashlib.sha256(db_uuid.encode()).hexdigest()[:8]

    @staticmethod
    def fingerprint(enterprise_code: str) -> str:
        """What the request log shows in place of an enterprise code."""
        return hashlib.sha256(enterprise_code.encode()).hexdigest()[:16]
