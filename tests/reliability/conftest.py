"""The whole system as real processes (PostgreSQL, the mock odoo.com, the database server, one paired box with
its certificate), shared by the reliability tests of a session; and the way those tests log in and call it.

Secrets here are distinctive on purpose (no ``admin``/``admin``), so that a test can search logs and pages for
them and find nothing by accident.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import tempfile
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import psycopg2
import pytest
import requests
from reliability_tools import csrf_token_of

from iot_box.box import parse_token
from iot_box.names import box_hostname
from iot_common.procs import Service
from iot_stack.system import Box, Ports, System

ADMIN_LOGIN = "admin"
HREF = re.compile(r'href="(/odoo/action-[^"#?]+)"')
FORM = re.compile(r'<form[^>]*action="(/odoo/action-[^"]+/button)"[^>]*>(.*?)</form>', re.S)
BUTTON = re.compile(r'name="method"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="method"')


@dataclass
class Stack:
    system: System
    dsn: str
    db: str  # the server's database name, as the external API wants it
    db_uuid: str
    enterprise_code: str
    admin_password: str
    box: Box
    services: dict[str, Service]  # the server and the mock odoo.com, by name

    @property
    def url(self) -> str:
        return self.system.server_url

    @property
    def box_hostname(self) -> str:
        return box_hostname("127.0.0.1", self.db_uuid)

    def execute(self, model: str, method: str, *args, login: str = ADMIN_LOGIN, password: str | None = None,
                **kwargs):
        """One external API call (XML-RPC ``execute_kw``), as a script does."""
        password = password or self.admin_password
        uid = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").authenticate(self.db, login, password, {})
        proxy = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, uid, password, model, method, list(args), kwargs)

    def server_cli(self, *args: str, trust_odoo_com: bool = True) -> subprocess.CompletedProcess:
        """Run ``iot-server <args>`` on this system's database, whatever its exit status."""
        return self.system.run_server_command(*args, trust_odoo_com=trust_odoo_com)

    def new_token(self) -> tuple[str, str]:
        """A connection token and its secret part."""
        token = self.system.connect_token()
        return token, parse_token(token)["token"]

    def pair(self, identifier: str, name: str = "simulated box", ip: str = "10.0.0.99:8080") -> str:
        """Pair a box over the wire as a box does (``/iot/setup`` with a new token); returns its secret."""
        return self.system.pair_box(identifier, name, ip)

    def submit_login(self, session: requests.Session, password: str, login: str = ADMIN_LOGIN,
                     **fields: str) -> requests.Response:
        """Fill the login form (its CSRF token from the page) in ``session``; the answer, not followed."""
        token = csrf_token_of(session.get(f"{self.url}/web/login", timeout=30).text)
        return session.post(f"{self.url}/web/login", allow_redirects=False, timeout=30,
                            data={"csrf_token": token, "login": login, "password": password, **fields})

    def login(self, login: str = ADMIN_LOGIN, password: str | None = None) -> requests.Session:
        """A browser session logged in to the web client."""
        session = requests.Session()
        session.trust_env = False
        answer = self.submit_login(session, password or self.admin_password, login)
        assert answer.status_code == 303 and "/web/login" not in answer.headers["Location"], answer.text[:500]
        return session


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The system as ``make run`` starts it (its own PostgreSQL unless IOT_HTTPS_DB_DSN is set), on free ports.

    Its folder is outside pytest's temporary root, which pytest makes 0700 again whenever a pytest starts: as root
    the cluster runs as an unprivileged account that must reach its folder.
    """
    folder = Path(tempfile.mkdtemp(prefix="iot-https-reliability-"))
    system = System(folder, Ports.free())
    try:
        dsn = system.start_postgres()
        odoo_com = system.start_odoo_com()
        system.init_server(demo=True)
        admin_password = f"Adm-{secrets.token_urlsafe(12)}"
        enterprise_code = f"M-REL-{secrets.token_hex(8).upper()}"
        system.server_command("init", "--admin-password", admin_password)
        system.server_command("config", "set", "database.enterprise_code", enterprise_code)
        db_uuid = system.register_database_on_odoo_com(enterprise_code=enterprise_code)
        server = system.start_server()
        box = system.start_box(admin_password=f"Box-{secrets.token_urlsafe(12)}")
        box.wait_for_certificate()
        db = psycopg2.extensions.parse_dsn(dsn)["dbname"]
        yield Stack(system, dsn, db, db_uuid, enterprise_code, admin_password, box,
                    {"iot-server": server, "mock-odoo-com": odoo_com})
    finally:
        system.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def site_map(stack) -> dict:
    """Every action page, record page and form button the admin can reach from the menu."""
    admin = stack.login()
    pages, buttons, todo = set(), set(), ["/odoo"]
    while todo:
        path = todo.pop()
        text = admin.get(urljoin(stack.url, path), timeout=30).text
        for link in HREF.findall(text):
            if link not in pages:
                pages.add(link)
                todo.append(link)
        for action, form in FORM.findall(text):
            buttons.update((action, a or b) for a, b in BUTTON.findall(form))
    assert any(p.endswith("iot_box_action") for p in pages) and buttons, (pages, buttons)
    return {"pages": sorted(pages), "buttons": sorted(buttons)}
