"""The running server for the addon's HTTP tests: one real ``iot-server`` process per test session, with demo
data, on a database of its own (on the PostgreSQL server of the host's test databases), pointed at the mock
odoo.com of the mock's pytest plugin."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from psycopg2 import sql

from odoo_host.tests import server_dsn

from .stack import Server, start_server


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """The DSN of a new empty database, dropped afterwards (its connections closed)."""
    admin = psycopg2.connect(server_dsn())
    admin.autocommit = True
    name = f"test_iot_https_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield psycopg2.extensions.make_dsn(**{**psycopg2.extensions.parse_dsn(server_dsn()), "dbname": name})
    finally:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, mock_odoo_com_session) -> Iterator[Server]:
    with scratch_database() as dsn:
        running = start_server(tmp_path_factory.mktemp("iot-server"), dsn, mock_odoo_com_session)
        try:
            yield running
        finally:
            running.service.stop()


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new empty database for one test."""
    with scratch_database() as dsn:
        yield dsn
