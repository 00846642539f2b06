"""Fixtures every part's tests share: a real PostgreSQL (embedded unless IOT_HTTPS_DB_DSN is set)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from odoo_host.postgres import scratch_database
from odoo_host.tests import server_dsn


@pytest.fixture
def pg_state_dir() -> Iterator[Path]:
    """A folder of its own for an embedded PostgreSQL cluster (or a whole system), removed after the test.

    It is outside pytest's own temporary root: as root the cluster runs as an unprivileged account that must
    traverse the folder's ancestors, and pytest tightens its root (``pytest-of-<user>``) back to 0700 whenever a
    pytest starts, so clusters live beside it.
    """
    folder = Path(tempfile.mkdtemp(prefix="iot-https-pg-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server_dsn() -> str:
    """DSN of a PostgreSQL superuser connection: ``IOT_HTTPS_DB_DSN``, or the one embedded cluster of this test
    session, which the host's ``TransactionCase`` uses too."""
    return server_dsn()


@pytest.fixture
def fresh_db_dsn(pg_server_dsn: str) -> Iterator[str]:
    """DSN of an empty database of its own, dropped after the test."""
    with scratch_database(pg_server_dsn) as dsn:
        yield dsn
