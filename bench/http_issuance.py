"""Issuance over HTTP: wrk's 16 keep-alive clients against the mock's x509 endpoint, its refusals and its trivial
endpoint, in turn under the same load.

The trivial endpoint is ``GET /mock/ca.pem`` (a constant answer through the same gunicorn, TLS and werkzeug
routing). A refused request is the same POST for a database whose subscription has no IoT box line: the JSON-RPC
checks, every rule of the policy, the log entry and a JSON answer, without a certificate. What an issued request
costs beyond a refused one is then what issuing adds to the HTTP path (the key, the signature, the PEM and the
larger answer), set beside the same certificate made in a tight loop in this process (the floor). Costs are CPU
seconds of the mock's processes and wrk's per request (see ``loadgen``); docs/benchmark.md explains the bars.
"""

from __future__ import annotations

import requests

from bench import loadgen
from bench.report import PER_SECOND, SECONDS, Bar, Row
from iot_stack.register import register_new_database

CLIENTS = 16
X509_PATH = "/odoo-enterprise/iot/x509"
FIGURE = "issuance over HTTP"


def _x509_call(admin_url: str, odoo_com_ca: str, code_prefix: str, lines: bool) -> loadgen.Call:
    """The box's certificate request for a new production database, its subscription with or without the IoT box
    line that makes it eligible."""
    db_uuid, code = register_new_database(admin_url, odoo_com_ca, code_prefix)
    if not lines:
        answer = requests.put(f"{admin_url}/mock/subscriptions/{code}", json={"state": "in_progress", "lines": []},
                              verify=odoo_com_ca, timeout=10)
        answer.raise_for_status()
    return loadgen.json_rpc(X509_PATH, {"db_uuid": db_uuid, "enterprise_code": code})


def rows(odoo_com_url: str, admin_url: str, odoo_com_ca: str, seconds: float, rounds: int, floor: float | None,
         mock_pgid: int) -> list[Row]:
    """``floor``: seconds per in-process issuance by bare ``cryptography`` in this run (None: not measured)."""
    issue = _x509_call(admin_url, odoo_com_ca, "M-BENCH", lines=True)
    refuse = _x509_call(admin_url, odoo_com_ca, "M-BENCH-REFUSED", lines=False)
    loads = loadgen.compare(odoo_com_url, {"trivial": ([loadgen.Call("/mock/ca.pem")], "BEGIN CERTIFICATE"),
                                           "refused": ([refuse], '"result":false'),
                                           "issued": ([issue], '"x509_pem"')},
                            connections=CLIENTS, seconds=seconds, rounds=rounds, server_pgid=mock_pgid)
    trivial, refused, issued = loads["trivial"], loads["refused"], loads["issued"]
    note = issued.error_note or (f"refused: {refused.error_note}" if refused.errors else "")
    ok = not issued.errors and not refused.errors
    issued_cpu, refused_cpu = issued.cpu_per_request, refused.cpu_per_request
    beyond = issued_cpu - refused_cpu if issued_cpu is not None and refused_cpu is not None else None
    return [
        Row(f"{FIGURE}, {CLIENTS} keep-alive clients", issued.rate, PER_SECOND, "trivial endpoint", trivial.rate,
            Bar(">= 500/s", 500, upper=False), note, ok=ok),
        Row(f"{FIGURE}, {CLIENTS} keep-alive clients: p99", issued.p99, SECONDS, "trivial endpoint", trivial.p99,
            Bar("<= 50 ms", 0.050), note, ok=ok),
        Row(f"{FIGURE}: CPU per refused request", refused_cpu, SECONDS, "trivial endpoint", trivial.cpu_per_request),
        Row(f"{FIGURE}: CPU per issued request", issued_cpu, SECONDS, "refused request", refused_cpu),
        Row(f"{FIGURE}: CPU of issued - refused", beyond, SECONDS, "in-process floor", floor,
            Bar("<= 2 x floor", 2.0, on_ratio=True), note, ok=ok),
    ]
