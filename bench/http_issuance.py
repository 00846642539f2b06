"""Issuance over HTTP: wrk's 16 keep-alive clients against the mock's x509 endpoint and its trivial endpoint.

The trivial endpoint is ``GET /mock/ca.pem`` (a constant answer through the same gunicorn, TLS and werkzeug
routing): the ratio says how much of the server's capacity an issuance costs beyond answering at all.
"""

from __future__ import annotations

import json

from bench import loadgen
from bench.report import PER_SECOND, SECONDS, Bar, Row
from iot_stack.register import register_new_database

CLIENTS = 16
X509_PATH = "/odoo-enterprise/iot/x509"


def rows(odoo_com_url: str, admin_url: str, odoo_com_ca: str, seconds: float, rounds: int) -> list[Row]:
    db_uuid, code = register_new_database(admin_url, odoo_com_ca, "M-BENCH")
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"db_uuid": db_uuid, "enterprise_code": code}})
    issue = loadgen.Call(X509_PATH, "POST", body, (("Content-Type", "application/json"),))
    loads = loadgen.compare(odoo_com_url, {"trivial": ([loadgen.Call("/mock/ca.pem")], "BEGIN CERTIFICATE"),
                                           "issued": ([issue], '"x509_pem"')},
                            connections=CLIENTS, seconds=seconds, rounds=rounds)
    trivial, issued = loads["trivial"], loads["issued"]
    figure = f"issuance over HTTP, {CLIENTS} keep-alive clients"
    note = issued.error_note
    peer = "trivial endpoint"
    return [
        Row(figure, issued.rate, PER_SECOND, peer, trivial.rate, Bar(">= 500/s", 500, upper=False),
            note, ok=not issued.errors),
        Row(f"{figure}: share of trivial", issued.rate, PER_SECOND, peer, trivial.rate,
            Bar(">= 0.7 x trivial", 0.7, upper=False, on_ratio=True), note, ok=not issued.errors),
        Row(f"{figure}: p99", issued.p99, SECONDS, peer, trivial.p99, Bar("<= 50 ms", 0.050), note,
            ok=not issued.errors),
    ]
