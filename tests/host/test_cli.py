"""``iot-server`` as a user runs it: init and upgrade, config, an addon's command, cron with row locks, serve.
"""

import logging
import re
import subprocess
import sys

import psycopg2
import pytest
import requests

from iot_common.procs import Service, console
from odoo_host import cli
from odoo_host.security import verify_secret
from odoo_host.tools import config

from .common import DEMO_ADDONS


def server(dsn, *args, check=True):
    argv = [*console("iot-server"), *args, "--db-dsn", dsn, "--addons-path", DEMO_ADDONS]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=180, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"{argv} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


def query(dsn, sql, params=()):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else None
    conn.close()
    return rows


def param(dsn, key):
    rows = query(dsn, "SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
    return rows[0][0] if rows else None


def serve(dsn, log, *options):
    """A running ``iot-server serve`` on a free port (stop it with ``.stop()``), and its port."""
    from iot_common.net import free_port

    port = free_port()
    argv = ["serve", "--http-port", str(port), "--db-dsn", dsn, "--addons-path", DEMO_ADDONS, *options]
    service = Service("iot-server", [*console("iot-server"), *argv], log)
    service.wait_for_port(port)
    return service, port


@pytest.fixture
def demo_db(fresh_db_dsn):
    server(fresh_db_dsn, "init", "--demo")
    return fresh_db_dsn


def test_init_demo_and_upgrade_adds_missing_columns(demo_db):
    assert query(demo_db, "SELECT name, state FROM demo_box") == [("Counter box", "draft")]
    # An older schema: the columns of fields added since then are missing.
    query(demo_db, "ALTER TABLE demo_box DROP COLUMN version, DROP COLUMN state")
    refused = server(demo_db, "cron", check=False)
    assert refused.returncode == 2
    assert "older than its addons (no column demo_box.state, demo_box.version)" in refused.stderr
    assert "run `iot-server init` to upgrade it" in refused.stderr
    result = server(demo_db, "init")
    assert "ready with addons: base, host_demo" in result.stdout
    assert query(demo_db, "SELECT name, state, version FROM demo_box") == [("Counter box", "draft", None)]
    indexes = query(demo_db, "SELECT indexname FROM pg_indexes WHERE tablename = 'demo_box'")
    assert ("demo_box__identifier_index",) in indexes


def test_post_init_hook_runs_after_the_first_install_and_its_demo_data_only(demo_db):
    assert param(demo_db, "host_demo.installed_with_boxes") == "1", "the demo box was there"
    query(demo_db, "DELETE FROM ir_config_parameter WHERE key = 'host_demo.installed_with_boxes'")
    server(demo_db, "init")
    assert param(demo_db, "host_demo.installed_with_boxes") is None, "an upgrade is no installation"


def test_register_hooks_run_at_each_serve_start_only(demo_db, tmp_path):
    server(demo_db, "cron")
    server(demo_db, "config", "get", "database.uuid")
    assert param(demo_db, "host_demo.serve_starts") is None
    for start in (1, 2):
        service, _port = serve(demo_db, tmp_path / f"server{start}.log", "--workers", "0")
        service.stop()
        assert param(demo_db, "host_demo.serve_starts") == str(start)


def test_a_failing_start_hook_is_logged_and_the_server_starts_anyway(demo_db, tmp_path):
    server(demo_db, "config", "set", "host_demo.fail_at_start", "yes")
    service, port = serve(demo_db, tmp_path / "server.log", "--workers", "0")
    try:
        assert requests.get(f"http://127.0.0.1:{port}/web/login", timeout=30).status_code == 200
    finally:
        service.stop()
    log = service.log_tail(400)
    assert "the start hook of model demo.box failed; the server starts without it" in log
    assert "The demo start hook fails, as asked" in log
    assert param(demo_db, "host_demo.serve_starts") is None, "what the failed hook wrote is rolled back"


def test_init_without_password_prints_a_generated_one_once(fresh_db_dsn):
    first = server(fresh_db_dsn, "init")
    assert "Admin password (login 'admin'): " in first.stdout
    password = first.stdout.split("Admin password (login 'admin'): ")[1].split()[0]
    assert len(password) >= 12
    assert "Admin password" not in server(fresh_db_dsn, "init").stdout
    hashed = query(fresh_db_dsn, "SELECT password FROM res_users WHERE login = 'admin'")[0][0]
    assert hashed.startswith("scrypt$") and password not in hashed
    assert verify_secret(password, hashed), "the printed password is the admin's"


def test_config_get_set_and_read_only_uuid(demo_db):
    uuid = server(demo_db, "config", "get", "database.uuid").stdout.strip()
    assert len(uuid) == 36
    refused = server(demo_db, "config", "set", "database.uuid", "x", check=False)
    assert refused.returncode == 1
    assert refused.stderr.strip() == "error: database.uuid is read-only"
    assert server(demo_db, "config", "set", "demo.mode", "on").stdout.strip() == "demo.mode = on"
    assert server(demo_db, "config", "get", "demo.mode").stdout.strip() == "on"
    invalid = server(demo_db, "config", "set", "demo.mode", "maybe", check=False)
    assert invalid.stderr.strip() == "error: demo.mode must be on or off"
    missing = server(demo_db, "config", "get", "nothing.here", check=False)
    assert (missing.returncode, missing.stderr.strip()) == (1, "nothing.here is not set")


def test_api_key_command_makes_a_key_for_the_external_api(demo_db, tmp_path):
    import xmlrpc.client

    from iot_common.net import free_port

    key = server(demo_db, "api-key", "--description", "monitoring").stdout.strip()
    assert len(key) == 40
    assert query(demo_db, "SELECT name FROM res_users_apikeys") == [("monitoring",)]
    assert key not in str(query(demo_db, "SELECT * FROM res_users_apikeys"))
    missing = server(demo_db, "api-key", "--login", "nobody", check=False)
    assert (missing.returncode, missing.stderr.strip()) == (1, "error: no active user with login 'nobody'")
    port = free_port()
    argv = ["serve", "--http-port", str(port), "--db-dsn", demo_db, "--addons-path", DEMO_ADDONS, "--workers", "0"]
    service = Service("iot-server", [*console("iot-server"), *argv], tmp_path / "server.log")
    try:
        service.wait_for_port(port)
        db = psycopg2.extensions.parse_dsn(demo_db)["dbname"]
        common = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/common")
        uid = common.authenticate(db, "admin", key, {})
        models = xmlrpc.client.ServerProxy(f"http://127.0.0.1:{port}/xmlrpc/2/object")
        assert models.execute_kw(db, uid, key, "demo.box", "search_count", [[]]) == 1
    finally:
        service.stop()


def test_addon_command_and_options_before_the_subcommand(demo_db):
    result = subprocess.run(
        [*console("iot-server"), "--db-dsn", demo_db, "--addons-path", DEMO_ADDONS, "demo-count", "--json"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert (result.returncode, result.stdout.strip()) == (0, '{"boxes": 1}')
    help_text = subprocess.run(
        [*console("iot-server"), "--addons-path", DEMO_ADDONS, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "demo-count" in help_text and "check-eligibility" not in help_text


def test_uninitialised_database_says_what_to_do(fresh_db_dsn):
    result = server(fresh_db_dsn, "cron", check=False)
    assert result.returncode == 2
    assert "run `iot-server init` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_cron_runs_due_jobs_once_and_skips_locked_ones(demo_db):
    query(demo_db, "UPDATE demo_box SET end_date = '2000-01-01'")
    query(demo_db, "UPDATE ir_cron SET nextcall = '2000-01-01'")
    holder = psycopg2.connect(demo_db)
    with holder.cursor() as cur:  # another server is running the demo job right now
        cur.execute(
            "SELECT c.id FROM ir_cron c JOIN ir_model m ON m.id = c.model_id "
            "WHERE m.model = 'demo.box' FOR UPDATE"
        )
    result = server(demo_db, "cron")
    assert result.stdout.strip() == "1 scheduled job(s) run", "the session clean-up only"
    assert query(demo_db, "SELECT note FROM demo_box") == [(None,)]
    holder.rollback()
    holder.close()
    assert server(demo_db, "cron").stdout.strip() == "1 scheduled job(s) run"
    assert query(demo_db, "SELECT note FROM demo_box") == [("swept",)]
    assert server(demo_db, "cron").stdout.strip() == "0 scheduled job(s) run", "next run in an hour"
    nextcall = query(demo_db, "SELECT nextcall > now() at time zone 'UTC' FROM ir_cron")
    assert nextcall == [(True,), (True,)]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_serve_listens_and_shares_sessions_between_workers(demo_db, tmp_path, workers):
    from iot_common.net import free_port

    port = free_port()
    service = Service(
        "iot-server",
        [
            *console("iot-server"),
            "serve",
            "--http-port",
            str(port),
            "--db-dsn",
            demo_db,
            "--addons-path",
            DEMO_ADDONS,
            "--workers",
            workers,
        ],
        tmp_path / "server.log",
    )
    try:
        service.wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        with requests.Session() as browser:
            page = browser.get(f"{base}/web/login", timeout=30).text
            token = page.split('name="csrf_token" value="')[1].split('"')[0]
            response = browser.post(
                f"{base}/web/login",
                data={"login": "admin", "password": "admin", "csrf_token": token},
                timeout=30,
            )
            assert response.url == f"{base}/odoo"
            for _ in range(6):  # whichever worker answers knows the session
                assert (
                    "Counter box"
                    in browser.get(f"{base}/odoo/action-host_demo.action_demo_box", timeout=30).text
                )
    finally:
        service.stop()
    assert f"iot-server listening on http://127.0.0.1:{port}" in service.log_tail()
    assert param(demo_db, "host_demo.serve_starts") == "1", "once per start, not once per worker"


def test_serve_on_a_taken_port_says_so(demo_db):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = server(demo_db, "serve", "--http-port", str(port), check=False)
    assert result.returncode == 2
    message = f"error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --http-port"
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_python_dash_m_is_the_same_command():
    result = subprocess.run(
        [sys.executable, "-m", "odoo_host", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "usage: iot-server" in result.stdout
    for command in ("init", "serve", "cron", "config"):
        assert command in result.stdout


def test_host_and_port_are_the_same_options_as_odoos_http_interface_and_http_port():
    import argparse

    from odoo_host.tools import add_common_options

    parser = argparse.ArgumentParser()
    add_common_options(parser, suppress=False)
    ours = parser.parse_args(["--host", "0.0.0.0", "--port", "8070"])
    odoos = parser.parse_args(["--http-interface", "0.0.0.0", "-p", "8070"])
    assert (ours.http_interface, ours.http_port) == (odoos.http_interface, odoos.http_port) == ("0.0.0.0", 8070)


def test_the_command_list_shows_a_command_without_help_or_docstring():
    class Quiet(cli.Command):
        def run(self, cmdargs):
            """Does nothing."""

    try:
        help_text = cli.build_parser().format_help()
    finally:
        cli.commands.pop("quiet")
    assert re.search(r"^  quiet *$", help_text, re.MULTILINE), help_text


def test_log_level_sets_the_level_and_leaving_it_out_keeps_it():
    root = logging.getLogger()
    level = root.level
    try:
        config.parse_config(["--log-level", "debug"])
        assert root.level == logging.DEBUG
        config.parse_config(["--workers", "0"])
        assert root.level == logging.DEBUG, "an option without --log-level leaves the level as it was"
    finally:
        root.setLevel(level)
        config.reset()
