"""Issuance over HTTP with the mock's rate limit set, beside the same without one: on the log as it is, then again
after a large number of further requests are in the log (the limit's cost must not grow with it).

The limit is set so high that nothing is refused: each request pays for the counting, not for a refusal. The
further requests are subscription lookups (``POST /publisher-warranty/``) of the same database, the cheapest
request the mock logs, and the one whose entries a count that read the log would have had to read.
"""

from __future__ import annotations

from bench import loadgen
from bench.report import PER_SECOND, Bar, Row
from mock_odoo_com.testing import MockOdooCom

CLIENTS = 16
HIGH_LIMIT = 10**9
WINDOW_S = 3600
X509_PATH = "/odoo-enterprise/iot/x509"
LOOKUP_PATH = "/publisher-warranty/"


def _call(path: str, db_uuid: str, code: str) -> loadgen.Call:
    return loadgen.json_rpc(path, {"db_uuid": db_uuid, "enterprise_code": code})


def _issuance(mock: MockOdooCom, issue: loadgen.Call, seconds: float, rounds: int) -> dict[str, loadgen.Load]:
    """Issuance without and with the limit, in turn ``rounds`` times (a shared machine's busy moments fall on both)."""
    limits = {"free": None, "limited": HIGH_LIMIT}
    loads = loadgen.compare(
        mock.url, {name: ([issue], '"x509_pem"') for name in limits}, connections=CLIENTS, seconds=seconds,
        rounds=rounds, before=lambda name: mock.settings(rate_limit={"per_db": limits[name], "window_s": WINDOW_S}))
    mock.settings(rate_limit={"per_db": None})
    return loads


def _fill_log(mock: MockOdooCom, lookup: loadgen.Call, count: int) -> int:
    """At least ``count`` more requests logged; how many were."""
    logged = 0
    while logged < count:
        load = loadgen.run(mock.url, [lookup], connections=CLIENTS, seconds=2.0, expect='"production_database"')
        if load.errors:
            raise RuntimeError(f"filling the request log: {load.error_note}")
        logged += load.requests
    return logged


def rows(mock: MockOdooCom, seconds: float, rounds: int, backlog: int) -> list[Row]:
    """The two rows: limited issuance as a share of free issuance, before and after ``backlog`` more requests."""
    db_uuid, code = mock.eligible_database()
    issue = _call(X509_PATH, db_uuid, code)
    before = _issuance(mock, issue, seconds, rounds)
    logged = _fill_log(mock, _call(LOOKUP_PATH, db_uuid, code), backlog)
    after = _issuance(mock, issue, seconds, rounds)
    figure = f"issuance over HTTP with a rate limit, {CLIENTS} clients"
    bar = Bar(">= 0.5 x no limit", 0.5, upper=False, on_ratio=True)
    result = []
    for name, loads in ((figure, before), (f"{figure}, {backlog:,} more logged", after)):
        limited, free = loads["limited"], loads["free"]
        errors = limited.errors + free.errors
        note = f"{errors} errors of {limited.requests + free.requests}" if errors else ""
        if loads is after:
            note = note or f"{logged:,} more requests in the log"
        result.append(Row(name, limited.rate, PER_SECOND, "no rate limit", free.rate, bar, note, ok=not errors))
    return result
