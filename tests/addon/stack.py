"""The database server with the addon, as a real process the HTTP tests talk to.

It is started through its console command (the fixed contract of the common brief) on a free port in a
temporary folder, pointed at the mock odoo.com of the mock's pytest plugin, and driven only over HTTP:
JSON-RPC like a box, XML-RPC like a script, the web pages like an admin; ``command()`` runs its subcommands.
"""

from __future__ import annotations

import json
import subprocess
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

import psycopg2.extensions
import requests
from odoo.addons.iot_https.tests.common import box_params, token_from_connection_string

from iot_common.net import free_port
from iot_common.procs import Service, console
from mock_odoo_com.testing import MockOdooCom


@dataclass
class Server:
    url: str
    db: str
    options: list[str]  # --data-dir, --db-dsn, --odoo-com-url, --odoo-com-ca: what every subcommand takes
    service: Service | None = None

    def _options(self, **option_changes: str) -> list[str]:
        options = list(self.options)
        for name, value in option_changes.items():
            options[options.index(f"--{name.replace('_', '-')}") + 1] = value
        return options

    def command(self, *args: str, **option_changes: str) -> subprocess.CompletedProcess:
        """Run ``iot-server <args>`` on this server's database; ``odoo_com_url="..."`` changes an option."""
        return subprocess.run(
            [*console("iot-server"), *args, *self._options(**option_changes)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def serve(self, log: Path, **option_changes: str) -> tuple[Service, str]:
        """Start ``iot-server serve`` on this database on a free port (one more server, or the first); the
        running service and its URL."""
        port = free_port()
        service = Service(
            "iot-server",
            [*console("iot-server"), "serve", "--http-port", str(port), *self._options(**option_changes)],
            log,
        )
        service.wait_for_port(port)
        return service, f"http://127.0.0.1:{port}"

    def jsonrpc(self, path: str, params: dict, secret: str | None = None) -> dict:
        """POST a JSON-RPC 2.0 call as a box does; the whole answer (``result`` or ``error``)."""
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
        body = {"jsonrpc": "2.0", "method": "call", "id": 7, "params": params}
        response = requests.post(f"{self.url}{path}", json=body, headers=headers, timeout=30)
        assert response.status_code < 500, response.text
        return response.json()

    def db_uuid(self) -> str:
        return self.xmlrpc()("ir.config_parameter", "get_param", "database.uuid")

    def set_identity(self, **params: str) -> None:
        """Set ``database.<key>`` parameters as an admin does through the external API."""
        admin = self.xmlrpc()
        for key, value in params.items():
            admin("ir.config_parameter", "set_param", f"database.{key}", value)

    def new_token(self) -> str:
        """The secret of a new connection token, from ``iot-server connect-token``."""
        result = self.command("connect-token", "--server-url", self.url)
        assert result.returncode == 0, result.stderr
        return token_from_connection_string(result.stdout.strip())

    def pair(self, identifier: str, **params: str) -> str:
        """Pair a box through /iot/setup with a new token, as the box does; its secret."""
        answer = self.jsonrpc("/iot/setup", {**box_params(identifier, **params), "token": self.new_token()})
        return answer["result"]["box_secret"]

    def xmlrpc(self, login: str = "admin", password: str = "admin") -> XmlRpc:
        return XmlRpc(self.url, self.db, login, password)


class XmlRpc:
    """Odoo's external API as any script uses it (``xmlrpc.client``), logged in as one user."""

    def __init__(self, url: str, db: str, login: str, password: str) -> None:
        self.db, self.password = db, password
        self.common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common")
        self.object = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)
        self.uid = self.common.authenticate(db, login, password, {})

    def __call__(self, model: str, method: str, *args, **kwargs):
        return self.object.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def server_on(data_dir: Path, dsn: str, mock: MockOdooCom) -> Server:
    """The server of database ``dsn``, pointed at ``mock``, before anything runs (``url`` empty until served)."""
    options = ["--data-dir", str(data_dir), "--db-dsn", dsn, "--odoo-com-url", mock.url, "--odoo-com-ca",
               str(mock.ca_path)]
    return Server("", psycopg2.extensions.parse_dsn(dsn)["dbname"], options)


def start_server(data_dir: Path, dsn: str, mock: MockOdooCom) -> Server:
    """Initialise the database with demo data and serve it."""
    server = server_on(data_dir, dsn, mock)
    init = server.command("init", "--demo")
    assert init.returncode == 0, init.stderr + init.stdout
    server.service, server.url = server.serve(data_dir / "server.log")
    return server


def parse_json_output(result: subprocess.CompletedProcess) -> dict:
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
