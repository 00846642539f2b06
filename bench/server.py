"""The database server's figures: the admin's box list at 10,000 boxes, and boxes' status reports per second.

The boxes of the list are written into the database with one SQL statement (as many boxes as the figure names,
their stored fields as the addon computes them); the page is the one an admin opens, requested by a session
logged in through the login form. The reports come from boxes paired through connection tokens, each call
authenticated with its box secret as a box sends it. The peer of both is the same server's trivial endpoint,
``GET /web/static/style.css``, under the same load.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import psycopg2
import requests

from bench import loadgen
from bench.report import PER_SECOND, SECONDS, Bar, Row
from iot_box.names import subdomain
from iot_stack.system import System

LIST_PATH = "/odoo/action-iot_https.iot_box_action"
TRIVIAL = loadgen.Call("/web/static/style.css")
ADMINS = 1  # docs/benchmark.md times one page, as one admin waits for it (no other load on the server meanwhile)
REPORTERS = 16  # keep-alive connections sending reports
PAIRED = REPORTERS  # boxes sending them: each box reports on its own record, as in the field
REPORTED_SUBJECT = "*.5e2c0a1b.odoo-iot.com"

SEED_BOXES = """
INSERT INTO iot_box (create_date, write_date, name, identifier, ip, ip_url, version, ssl_certificate_end_date,
                     certificate_subject, certificate_state, connected_at, certificate_reported_at)
SELECT now, now, 'Bench box ' || lpad(n::text, 6, '0'), 'bench-' || n, ip, 'https://' || ip, '24.10', now + interval
       '80 days', %(subject)s, 'valid', now, now
FROM (SELECT n, now() AT TIME ZONE 'UTC' AS now,
             format('127-0-%%s-%%s.%%s.odoo-iot.com:8443', n / 256 %% 256, n %% 256, %(h)s::text) AS ip
      FROM generate_series(1, %(count)s) AS n) AS boxes
"""


def seed_boxes(dsn: str, db_uuid: str, count: int) -> None:
    h = subdomain(db_uuid)
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute(SEED_BOXES, {"count": count, "h": h, "subject": f"*.{h}.odoo-iot.com"})
    conn.close()


def admin_cookie(server_url: str, login: str = "admin", password: str = "admin") -> str:
    """``session_id=...`` of a session logged in through the login form (with its CSRF token)."""
    session = requests.Session()
    session.trust_env = False
    page = session.get(f"{server_url}/web/login", timeout=30)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    if not csrf:
        raise RuntimeError("the login page has no CSRF token")
    session.post(f"{server_url}/web/login", data={"login": login, "password": password,
                                                  "csrf_token": csrf.group(1)}, timeout=30)
    cookie = session.cookies.get("session_id")
    if not cookie:
        raise RuntimeError(f"could not log in as {login} on {server_url}")
    return f"session_id={cookie}"


def recorded_reports(dsn: str, identifiers: list[str]) -> int:
    """How many of these boxes' records hold the reported certificate: the answers alone prove nothing."""
    with psycopg2.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM iot_box WHERE identifier = ANY(%s) AND certificate_subject = %s "
                    "AND ssl_certificate_end_date IS NOT NULL", (identifiers, REPORTED_SUBJECT))
        count = cur.fetchone()[0]
    conn.close()
    return count


def report_call(identifier: str, secret: str) -> loadgen.Call:
    end = (datetime.now(UTC) + timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    params = {"identifier": identifier, "ip": "127.0.0.1:8080", "ssl_certificate_end_date": end,
              "subject": REPORTED_SUBJECT, "error_code": None, "error_detail": None}
    return loadgen.json_rpc("/iot/box/update_certificate_status", params, (("Authorization", f"Bearer {secret}"),))


def rows(system: System, db_uuid: str, boxes: int, seconds: float, rounds: int) -> list[Row]:
    seed_boxes(system.db_dsn, db_uuid, boxes)
    page = loadgen.Call(LIST_PATH, headers=(("Cookie", admin_cookie(system.server_url)),))
    loads = loadgen.compare(system.server_url, {"list": ([page], "Bench box"), "trivial": ([TRIVIAL], None)},
                            connections=ADMINS, seconds=seconds, rounds=rounds)
    listed, trivial_list = loads["list"], loads["trivial"]

    names = [f"bench-reporter-{i}" for i in range(PAIRED)]
    with ThreadPoolExecutor(4) as pool:  # each pairing waits for an `iot-server connect-token` process
        secrets = list(pool.map(lambda name: system.pair_box(name, version="bench"), names))
    calls = [report_call(name, secret) for name, secret in zip(names, secrets, strict=True)]
    loads = loadgen.compare(system.server_url, {"reports": (calls, '"result"'), "trivial": ([TRIVIAL], None)},
                            connections=REPORTERS, seconds=seconds, rounds=rounds)
    reports, trivial = loads["reports"], loads["trivial"]
    recorded = recorded_reports(system.db_dsn, names)

    return [
        Row(f"admin box list, {boxes:,} boxes, one page: p95", listed.p95, SECONDS,
            "trivial endpoint", trivial_list.p95, Bar("<= 50 ms", 0.050), listed.error_note, ok=not listed.errors),
        Row(f"status reports into the server, {REPORTERS} clients", reports.rate, PER_SECOND, "trivial endpoint",
            trivial.rate, Bar(">= 500/s", 500, upper=False),
            reports.error_note
            or ("" if recorded == PAIRED else f"only {recorded} of {PAIRED} records hold the report"),
            ok=not reports.errors and recorded == PAIRED),
    ]
