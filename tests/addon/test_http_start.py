"""The subscription is synchronised with odoo.com when the addon is installed and at every server start (docs/server.md:
"at start, daily by cron, and before each check"); odoo.com out of reach does not keep the server from starting.
"""

import psycopg2

from .stack import Server, server_on

CODE = "M-DEMO-IOT-0001"  # the demo data's enterprise code


def subscription_row(dsn):
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT found, state, last_sync_error FROM iot_subscription")
        row = cur.fetchone()
    conn.close()
    return row


def test_init_synchronises_after_the_demo_data_and_an_upgrade_does_not(
    fresh_database, mock_odoo_com, tmp_path
):
    mock_odoo_com.add_subscription(CODE)
    server = server_on(tmp_path, fresh_database, mock_odoo_com)
    assert server.command("init", "--demo").returncode == 0
    assert len(mock_odoo_com.requests("publisher-warranty")) == 1
    assert subscription_row(fresh_database) == (True, "in_progress", None)
    assert server.command("init").returncode == 0
    assert len(mock_odoo_com.requests("publisher-warranty")) == 1, "an upgrade is no installation"


def test_every_server_start_synchronises(server, mock_odoo_com, tmp_path):
    uuid = server.db_uuid()
    server.set_identity(enterprise_code=CODE)
    for start, state in enumerate(("paused", "in_progress"), 1):  # odoo.com changes between the two starts
        mock_odoo_com.add_subscription(CODE, state=state)
        service, url = server.serve(tmp_path / f"start{start}.log")
        try:
            assert len(mock_odoo_com.requests("publisher-warranty", db_uuid=uuid)) == start
            admin = Server(url, server.db, server.options).xmlrpc()
            [subscription] = admin("iot.subscription", "search_read", [], fields=["found", "state"])
            assert (subscription["found"], subscription["state"]) == (True, state)
        finally:
            service.stop()


def test_odoo_com_out_of_reach_at_start_is_logged_once_and_the_server_starts(server, tmp_path):
    server.set_identity(enterprise_code=CODE)
    service, url = server.serve(tmp_path / "server.log", odoo_com_url="http://127.0.0.1:9")
    try:
        admin = Server(url, server.db, server.options).xmlrpc()
        [subscription] = admin("iot.subscription", "search_read", [], fields=["last_sync_error"])
    finally:
        service.stop()
    assert "http://127.0.0.1:9 could not be reached" in subscription["last_sync_error"]
    log = service.log_tail(400)
    failures = [line for line in log.splitlines() if "odoo.com" in line and "failed" in line]
    assert len(failures) == 1, log
    assert "Synchronising the subscription with odoo.com at server start failed" in failures[0]
    assert "Traceback" not in log and CODE not in log
