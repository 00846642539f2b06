"""The embedded PostgreSQL default (docs/deployment.md): a private cluster, as root or not, and a clear error
without binaries."""

import os
import stat

import psycopg2
import pytest

from odoo_host.postgres import EmbeddedPostgres, PostgresError, database_dsn, find_bindir


def test_cluster_starts_serves_and_stops(pg_state_dir):
    cluster = EmbeddedPostgres(pg_state_dir / "pg")
    cluster.start()
    try:
        dsn = cluster.create_database("iot_demo")
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SELECT current_database(), current_setting('listen_addresses')")
            assert cur.fetchone() == ("iot_demo", "127.0.0.1")
        assert cluster.is_running()
    finally:
        cluster.stop()
    assert not cluster.is_running()
    # The superuser's password is readable by its owner alone.
    assert stat.S_IMODE(os.stat(pg_state_dir / "pg" / "password").st_mode) == 0o600


def test_cluster_restarts_with_its_data(pg_state_dir):
    cluster = EmbeddedPostgres(pg_state_dir / "pg")
    dsn = cluster.start()
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE kept (v text)")
        cur.execute("INSERT INTO kept VALUES ('still here')")
    cluster.stop()
    dsn = cluster.start()
    try:
        with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
            cur.execute("SELECT v FROM kept")
            assert cur.fetchone() == ("still here",)
    finally:
        cluster.stop()


def test_running_cluster_is_shared_and_left_running(pg_state_dir):
    state = pg_state_dir / "pg"
    with database_dsn(state, "first"):
        with database_dsn(state, "second") as inner:
            with psycopg2.connect(inner) as conn, conn.cursor() as cur:
                cur.execute("SELECT current_database()")
                assert cur.fetchone() == ("second",)
        assert EmbeddedPostgres(state).is_running()
    assert not EmbeddedPostgres(state).is_running()


def test_configured_dsn_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("IOT_HTTPS_DB_DSN", "host=db.example dbname=x")
    with database_dsn(tmp_path, "ignored") as dsn:
        assert dsn == "host=db.example dbname=x"
    assert not (tmp_path / "data").exists()


def test_missing_binaries_give_a_one_line_error_naming_the_fixes(monkeypatch):
    monkeypatch.delenv("IOT_HTTPS_PG_BINDIR", raising=False)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr("glob.glob", lambda pattern: [])
    with pytest.raises(PostgresError) as info:
        find_bindir()
    message = str(info.value)
    assert "\n" not in message
    for fix in ("install PostgreSQL", "IOT_HTTPS_DB_DSN", "docker compose"):
        assert fix in message


def test_a_pg_bindir_set_on_purpose_is_never_swapped_for_another_folder(tmp_path, monkeypatch):
    (tmp_path / "initdb").touch(mode=0o755)  # pg_ctl and postgres are missing
    monkeypatch.setenv("IOT_HTTPS_PG_BINDIR", str(tmp_path))
    with pytest.raises(PostgresError) as info:
        find_bindir()
    assert f"IOT_HTTPS_PG_BINDIR={tmp_path}" in str(info.value) and "unset it" in str(info.value)
    (tmp_path / "pg_ctl").touch(mode=0o755)
    (tmp_path / "postgres").touch(mode=0o755)
    assert find_bindir() == tmp_path
