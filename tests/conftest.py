"""Fixtures every part's tests share: free ports and a real PostgreSQL (embedded unless IOT_HTTPS_DB_DSN is set)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import psycopg2
import pytest
from psycopg2 import sql

from iot_stack.postgres import DSN_ENV, EmbeddedPostgres, free_port

__all__ = ["free_port"]


@pytest.fixture(scope="session")
def pg_server_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """DSN of a PostgreSQL superuser connection: ``IOT_HTTPS_DB_DSN`` or a cluster started for this test session."""
    if os.environ.get(DSN_ENV):
        yield os.environ[DSN_ENV]
        return
    cluster = EmbeddedPostgres(tmp_path_factory.mktemp("pg"))
    cluster.start()
    try:
        yield cluster.dsn()
    finally:
        cluster.stop()


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
