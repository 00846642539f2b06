"""The test databases and the test case classes.

One database per (addons path, modules) per test process, with the addons installed (no demo data; the admin
password is ``admin``), on ``IOT_HTTPS_DB_DSN``'s server or on an embedded cluster started for the process.
Both are removed when the process ends."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
import unittest
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import requests
from lxml import html
from psycopg2 import sql
from werkzeug.serving import make_server

from .. import db
from .. import modules as M
from ..api import SUPERUSER_ID, Environment, Transaction
from ..http import Application
from ..postgres import DSN_ENV, EmbeddedPostgres
from ..registry import Registry
from ..tools import DEFAULTS

_lock = threading.Lock()
_server: dict[str, str] = {}
_registries: dict[tuple, Registry] = {}


def server_dsn() -> str:
    """A PostgreSQL superuser DSN: ``IOT_HTTPS_DB_DSN``, or an embedded cluster for this process."""
    if "dsn" not in _server:
        if os.environ.get(DSN_ENV):
            _server["dsn"] = os.environ[DSN_ENV]
        else:
            folder = tempfile.mkdtemp(prefix="odoo_host_tests_")
            cluster = EmbeddedPostgres(folder)
            _server["dsn"] = cluster.start()

            def stop() -> None:
                db.close_pools()
                cluster.stop()
                shutil.rmtree(folder, ignore_errors=True)

            atexit.register(stop)
    return _server["dsn"]


def _create_database() -> str:
    server = server_dsn()
    name = f"test_odoo_host_{uuid.uuid4().hex[:10]}"
    conn = psycopg2.connect(server)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    conn.close()

    def drop() -> None:
        db.close_pools()
        try:
            admin = psycopg2.connect(server)
        except psycopg2.OperationalError:
            return  # the embedded cluster is already stopped: the database went with it
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()

    atexit.register(drop)
    params = psycopg2.extensions.parse_dsn(server)
    params["dbname"] = name
    return psycopg2.extensions.make_dsn(**params)


def test_registry(addons_path: list[str] | None = None, modules: list[str] | None = None) -> Registry:
    """A registry on a test database with ``modules`` (default: every addon of the path) installed."""
    addons_path = [str(p) for p in (addons_path or DEFAULTS["addons_path"])]
    key = (tuple(addons_path), tuple(modules or ()))
    with _lock:
        if key not in _registries:
            names = list(modules or M.available(addons_path))
            registry = Registry(_create_database(), addons_path)
            registry.install(names)
            with registry.cursor() as cr:
                Environment(cr, SUPERUSER_ID, {}).ref("base.user_admin").write({"password": "admin"})
            _registries[key] = registry
        return _registries[key]


test_registry.__test__ = False  # not a test, whatever its name


def tagged(*tags: str) -> Callable[[type], type]:
    """Odoo 17's ``@tagged("post_install", "-at_install")``: the host keeps the tags on the class (``test_tags``)
    and runs every test after its addons are installed, whatever the tags say."""

    def tag(cls: type) -> type:
        cls.test_tags = {*getattr(cls, "test_tags", ()), *tags}
        return cls

    return tag


class BaseCase(unittest.TestCase):
    """Odoo 17's ``BaseCase``: a test case without a database."""


class TransactionCase(BaseCase):
    """``self.env`` is the superuser's environment on the test database; what a test does is rolled back after
    it, what ``setUpClass`` does after the class. Set ``addons_path``/``modules`` to test other addons."""

    addons_path: list[str] | None = None
    modules: list[str] | None = None
    registry: Registry
    cr: db.Cursor
    env: Environment

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.registry = test_registry(cls.addons_path, cls.modules)
        pool = db.pool_for(cls.registry.dsn)
        connection = pool.getconn()
        cls.cr = connection.cursor(cursor_factory=db.Cursor)
        cls.cr.transaction = Transaction(cls.registry)
        cls.env = Environment(cls.cr, SUPERUSER_ID, {})

        def release() -> None:
            connection.rollback()
            pool.putconn(connection)

        cls.addClassCleanup(release)

    def setUp(self) -> None:
        super().setUp()
        self.cr.execute("SAVEPOINT test_method")
        self.addCleanup(self._rollback)

    def _rollback(self) -> None:
        self.env.invalidate_all()
        self.cr.execute("ROLLBACK TO SAVEPOINT test_method")

    @contextlib.contextmanager
    def captured_statements(self) -> Iterator[list[str]]:
        """The SQL statements the block sends (each round trip one string), to check a code path's cost."""
        statements: list[str] = []
        original = self.cr.execute
        self.cr.execute = lambda query, params=None: statements.append(query) or original(query, params)
        try:
            yield statements
        finally:
            del self.cr.execute


class HttpCase(TransactionCase):
    """A threaded HTTP server on a free port serves the test database; requests see what the test created, and
    what they change is rolled back with the test. ``self.url_open``, ``self.authenticate``,
    ``self.make_jsonrpc_request``."""

    http_port: int

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.registry.test_cr = cls.cr
        server = make_server("127.0.0.1", 0, Application(cls.registry), threaded=True)
        cls.http_port = server.server_port
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()

        def stop() -> None:
            server.shutdown()
            server.server_close()
            cls.registry.test_cr = None

        cls.addClassCleanup(stop)

    def setUp(self) -> None:
        super().setUp()
        self.opener = requests.Session()
        self.addCleanup(self.opener.close)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.http_port}{path}"

    def url_open(
        self, path: str, data: dict | None = None, method: str | None = None, **kwargs: Any
    ) -> requests.Response:
        method = method or ("POST" if data is not None else "GET")
        kwargs.setdefault("timeout", 30)
        return self.opener.request(method, self.url(path), data=data, **kwargs)

    def csrf_token(self, path: str = "/web/login") -> str:
        """The CSRF token of the form on the page at ``path``."""
        page = html.fromstring(self.url_open(path).text)
        return page.xpath("//input[@name='csrf_token']/@value")[0]

    def authenticate(self, login: str, password: str) -> requests.Response:
        """Log in through the login form, as a browser does."""
        response = self.url_open(
            "/web/login", {"login": login, "password": password, "csrf_token": self.csrf_token("/web/login")}
        )
        self.env.invalidate_all()
        return response

    def make_jsonrpc_request(
        self, path: str, params: dict | None = None, headers: dict | None = None
    ) -> requests.Response:
        body = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params or {}}
        return self.opener.post(self.url(path), json=body, headers=headers or {}, timeout=30)
