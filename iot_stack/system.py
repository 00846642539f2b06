"""The whole system on one machine: PostgreSQL, the mock odoo.com, the database server and boxes.

``make run`` starts it on the default ports; the end-to-end tests and the benchmarks start it on free ports in a
temporary folder. Each part is started as its own process through its console command, and they talk to each other
only over the wire, as they would on separate machines.
"""

from __future__ import annotations

import contextlib
import dataclasses
import subprocess
import time
from pathlib import Path

import requests

from iot_box.box import parse_token
from iot_common.net import free_port
from iot_common.procs import ProcessFailed, Service, console
from iot_stack.register import DEMO_ENTERPRISE_CODE, register_database
from mock_odoo_com.testing import MockOdooCom
from odoo_host.postgres import database_dsn


@dataclasses.dataclass
class Ports:
    """Where each part listens (the defaults of docs/deployment.md); ``Ports.free()`` picks unused ones for tests."""

    server: int = 8069
    odoo_com: int = 8070
    box_http: int = 8080
    box_https: int = 8443
    dns: int = 5353
    odoo_com_admin: int = 8071

    @classmethod
    def free(cls) -> Ports:
        return cls(*(free_port() for _ in dataclasses.fields(cls)))


@dataclasses.dataclass
class Box:
    """A running box process and what a user needs to reach it."""

    service: Service
    data_dir: Path
    http_url: str
    https_port: int
    admin_password: str

    def status(self) -> dict:
        return requests.get(f"{self.http_url}/status.json", timeout=10).json()

    def wait_for_certificate(self, timeout: float = 60.0) -> dict:
        """Poll ``/status.json`` until the box serves a certificate from odoo.com (or raise with its last error)."""
        deadline = time.monotonic() + timeout
        status: dict = {}
        while time.monotonic() < deadline:
            status = self.status()
            if status.get("https_url") and status.get("certificate"):
                return status
            time.sleep(0.1)
        raise ProcessFailed(f"box got no certificate; last status {status}:\n{self.service.log_tail()}")


class System:
    """Start the parts one by one with ``start_*`` methods; ``stop()`` ends them in reverse order."""

    def __init__(self, state_dir: Path, ports: Ports | None = None, db_dsn: str | None = None) -> None:
        self.state_dir = Path(state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.ports = ports or Ports()
        self._configured_dsn = db_dsn
        self.db_dsn: str | None = None
        self._postgres = contextlib.ExitStack()
        self._services: list[Service] = []
        self.odoo_com_url = f"https://127.0.0.1:{self.ports.odoo_com}"
        self.odoo_com_admin_url = f"https://127.0.0.1:{self.ports.odoo_com_admin}"
        self.odoo_com_ca = self.state_dir / "odoo-com" / "ca.pem"
        self.server_url = f"http://127.0.0.1:{self.ports.server}"

    # -- the parts --------------------------------------------------------------------------------------------
    def start_postgres(self) -> str:
        """The configured database (``db_dsn`` or ``IOT_HTTPS_DB_DSN``), else the embedded cluster in ``pg/``."""
        self.db_dsn = self._postgres.enter_context(
            database_dsn(self.state_dir / "pg", "iot_https", self._configured_dsn))
        return self.db_dsn

    def start_odoo_com(self) -> Service:
        service = self._start(
            "mock-odoo-com",
            ["--data-dir", self.state_dir / "odoo-com", "--port", self.ports.odoo_com,
             "--admin-port", self.ports.odoo_com_admin, "--dns-port", self.ports.dns],
        )
        return service.wait_for_port(self.ports.odoo_com)

    def init_server(self, demo: bool = True) -> None:
        self.server_command("init", *(["--demo"] if demo else []))

    def register_database_on_odoo_com(self, enterprise_code: str = DEMO_ENTERPRISE_CODE) -> str:
        """Tell the mock odoo.com about the server's database and its subscription; returns the ``db_uuid``."""
        db_uuid = self.server_command("config", "get", "database.uuid").strip()
        register_database(self.odoo_com_admin_url, str(self.odoo_com_ca), db_uuid, enterprise_code)
        return db_uuid

    def start_server(self) -> Service:
        return self._start("iot-server", ["serve", *self._server_options()]).wait_for_port(self.ports.server)

    def start_demo_server(self) -> str:
        """PostgreSQL, the mock odoo.com and the database server with its demo data, the server's database
        registered on the mock with the demo subscription; returns its ``db_uuid``. Boxes are started apart."""
        self.start_postgres()
        self.start_odoo_com()
        self.init_server(demo=True)
        db_uuid = self.register_database_on_odoo_com()
        self.start_server()
        return db_uuid

    def start_box(self, name: str = "box", http_port: int | None = None, https_port: int | None = None,
                  connect: bool | str = True, admin_password: str = "box-admin-pw", extra: tuple = ()) -> Box:
        """A box process; ``connect`` is True (paired with a new connection token of the server), a token string,
        or False (no ``--connect``: a box that keeps the pairing of its data folder, or has none)."""
        http_port = http_port or self.ports.box_http
        https_port = https_port or self.ports.box_https
        data_dir = self.state_dir / name
        argv = [
            "--data-dir", data_dir, "--http-port", http_port, "--https-port", https_port,
            "--odoo-com-url", self.odoo_com_url, "--odoo-com-ca", self.odoo_com_ca, "--advertise-ip", "127.0.0.1",
            "--dns-server", f"127.0.0.1:{self.ports.dns}", "--admin-password", admin_password, *extra,
        ]
        if connect:
            argv += ["--connect", self.connect_token() if connect is True else connect]
        service = self._start("iot-box", argv, log_name=name).wait_for_port(http_port)
        return Box(service, data_dir, f"http://127.0.0.1:{http_port}", https_port, admin_password)

    # -- helpers ------------------------------------------------------------------------------------------------
    def service(self, name: str) -> Service:
        """The started service ``name`` (``mock-odoo-com``, ``iot-server``...): its processes, for measurements."""
        return next(service for service in self._services if service.name == name)

    def odoo_com_admin(self) -> MockOdooCom:
        """The mock odoo.com's admin API (faults, settings, request log) as ``MockOdooCom`` offers it, pointed at
        the mock this system runs: it starts no process."""
        return MockOdooCom.attach(self.odoo_com_ca.parent, self.ports.odoo_com, self.ports.odoo_com_admin,
                                  self.ports.dns)

    def connect_token(self) -> str:
        return self.server_command("connect-token", "--server-url", self.server_url).strip().splitlines()[-1]

    def pair_box(self, identifier: str, name: str | None = None, ip: str = "127.0.0.1:8080",
                 version: str = "24.10") -> str:
        """Pair a simulated box over the wire as ``iot-box --connect`` does (``/iot/setup`` with a new connection
        token); returns its box secret."""
        params = {"identifier": identifier, "name": name or identifier, "ip": ip, "version": version,
                  "token": parse_token(self.connect_token())["token"]}
        answer = requests.post(f"{self.server_url}/iot/setup", json={"jsonrpc": "2.0", "method": "call", "id": 1,
                                                                     "params": params}, timeout=30).json()
        if not answer.get("result"):
            raise RuntimeError(f"pairing {identifier} failed: {answer.get('error')}")
        return answer["result"]["box_secret"]

    def run_server_command(self, *args: str, trust_odoo_com: bool = True) -> subprocess.CompletedProcess:
        """Run one ``iot-server`` subcommand against this system's database, whatever its exit status.

        ``trust_odoo_com=False`` leaves ``--odoo-com-ca`` out, so the server trusts only the system's CA store.
        """
        options = self._server_options()
        if not trust_odoo_com:
            at = options.index("--odoo-com-ca")
            del options[at:at + 2]
        argv = [str(a) for a in [*console("iot-server"), *args, *options]]
        return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)

    def server_command(self, *args: str) -> str:
        """Run one ``iot-server`` subcommand that must succeed; return its standard output."""
        result = self.run_server_command(*args)
        if result.returncode != 0:
            raise ProcessFailed(f"iot-server {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result.stdout

    def stop(self) -> None:
        for service in reversed(self._services):
            service.stop()
        self._services.clear()
        self._postgres.close()  # stops the embedded cluster if this system started it

    def __enter__(self) -> System:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _server_options(self) -> list:
        return [
            "--data-dir", self.state_dir / "server", "--http-port", self.ports.server, "--db-dsn", self.db_dsn,
            "--odoo-com-url", self.odoo_com_url, "--odoo-com-ca", self.odoo_com_ca,
        ]

    def _start(self, command: str, args: list, log_name: str | None = None) -> Service:
        name = log_name or command
        service = Service(name, [str(a) for a in [*console(command), *args]], self.state_dir / "logs" / f"{name}.log")
        self._services.append(service)
        return service
