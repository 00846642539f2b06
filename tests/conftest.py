"""Fixtures every part's tests share: free ports and a real PostgreSQL (embedded unless IOT_HTTPS_DB_DSN is set)."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from iot_stack.postgres import DSN_ENV, EmbeddedPostgres, free_port

__all__ = ["free_port"]


def _state_dir_for_postgres() -> Path:
    """A temporary folder for an embedded cluster, outside pytest's own temporary root.

    As root the cluster runs as an unprivileged account that must traverse the folder's ancestors, and pytest
    tightens its root (``pytest-of-<user>``) back to 0700 whenever a pytest starts, so clusters live beside it.
    """
    return Path(tempfile.mkdtemp(prefix="iot-https-pg-"))


@pytest.fixture
def pg_state_dir() -> Iterator[Path]:
    """A folder of its own for an embedded PostgreSQL cluster (or a whole system), removed after the test."""
    folder = _state_dir_for_postgres()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server_dsn() -> Iterator[str]:
    """DSN of a PostgreSQL superuser connection: ``IOT_HTTPS_DB_DSN`` or a cluster started for this test session."""
    if os.environ.get(DSN_ENV):
        yield os.environ[DSN_ENV]
        return
    folder = _state_dir_for_postgres()
    cluster = EmbeddedPostgres(folder)
    cluster.start()
    try:
        yield cluster.dsn()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fresh_db_dsn(pg_server_dsn: str) -> Iterator[str]:
    """DSN of an empty database of its own, dropped after the test."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(pg_server_dsn)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    params = psycopg2.extensions.parse_dsn(pg_server_dsn)
    params["dbname"] = name
    try:
        yield psycopg2.extensions.make_dsn(**params)
    finally:
        with admin.cursor() as cur:
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()
