"""The running server for the addon's HTTP tests: one real ``iot-server`` process per test session, with demo
data, on a database of its own (on the PostgreSQL server of the host's test databases), pointed at the mock
odoo.com of the mock's pytest plugin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from odoo.tests.common import server_dsn

from odoo_host.postgres import scratch_database

from .stack import Server, start_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, mock_odoo_com_session) -> Iterator[Server]:
    with scratch_database(server_dsn(), "test_iot_https") as dsn:
        running = start_server(tmp_path_factory.mktemp("iot-server"), dsn, mock_odoo_com_session)
        try:
            yield running
        finally:
            running.service.stop()


@pytest.fixture
def fresh_database() -> Iterator[str]:
    """A new empty database for one test."""
    with scratch_database(server_dsn(), "test_iot_https") as dsn:
        yield dsn
