"""Injected faults (``POST /mock/faults``): odoo.com or the network misbehaving, for ``times`` requests or
until cleared. A fault overrides the policy: the request gets the fault whatever the subscription says.

Transport modes hit any endpoint before its body is read; certificate modes hit the x509 endpoint only and
change what it returns."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from werkzeug.wrappers import Response

from mock_odoo_com import jsonrpc
from mock_odoo_com.ca import BoxCertificate, CertificateAuthority, PublicKey, new_private_key, private_key_pem

ENDPOINTS = ("x509", "publisher-warranty")
MODES = {
    "status": "answer with HTTP status `status` (default 503) and a short text body",
    "drop": "close the connection without an answer, as a firewall would",
    "delay": "wait `seconds` (default 5) before answering as usual",
    "garbage": "answer 200 with a body that is not JSON",
    "error": 'answer a JSON-RPC error object (`code` default 200, `message` default "Odoo Server Error")',
    "refuse": 'refuse whatever the policy says (reason `reason`, default "refused")',
    "bad_pem": "issue, but the certificate PEM does not parse",
    "wrong_key": "issue, but the key does not match the certificate",
    "wrong_name": "issue a certificate for another sub-domain",
    "expired": "issue a certificate whose validity ended two days ago",
    "untrusted": "issue a certificate that chains to a root that is not the mock's",
}
TRANSPORT_MODES = ("status", "drop", "delay", "garbage", "error")
# The parameters each mode takes: name -> (check, default).
PARAMS: dict[str, dict[str, tuple[Any, Any]]] = {
    "status": {"status": (lambda v: isinstance(v, int) and not isinstance(v, bool) and 300 <= v <= 599, 503)},
    "delay": {
        "seconds": (lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 300, 5)
    },
    "error": {
        "code": (lambda v: isinstance(v, int) and not isinstance(v, bool), 200),
        "message": (lambda v: isinstance(v, str) and 0 < len(v) <= 1000, "Odoo Server Error"),
    },
    "refuse": {"reason": (lambda v: isinstance(v, str) and 0 < len(v) <= 64 and v.isprintable(), "refused")},
}
BAD_PEM = "-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n"


class FaultError(ValueError):
    """A fault description that cannot be injected; the message says what is allowed."""


class DropConnection(Exception):
    """Raised by an endpoint to have the front end close the connection without an answer."""


def parse(body: dict[str, Any]) -> tuple[str, str, int | None, dict[str, Any]]:
    """``(endpoint, mode, times, params)`` of a ``POST /mock/faults`` body, every value checked."""
    endpoint, mode, times = body.get("endpoint", "x509"), body.get("mode"), body.get("times")
    if endpoint not in ENDPOINTS:
        raise FaultError(f"endpoint must be one of {', '.join(ENDPOINTS)}, not {endpoint!r}")
    if not isinstance(mode, str) or mode not in MODES:
        raise FaultError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if endpoint != "x509" and mode not in TRANSPORT_MODES:
        raise FaultError(
            f"mode {mode} only applies to the x509 endpoint; {endpoint} takes {', '.join(TRANSPORT_MODES)}"
        )
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise FaultError("times must be a whole number of requests (1 or more), or null for until cleared")
    spec = PARAMS.get(mode, {})
    unknown = sorted(set(body) - {"endpoint", "mode", "times"} - set(spec))
    if unknown:
        raise FaultError(
            f"mode {mode} takes no parameter {', '.join(unknown)}"
            + (f"; it takes {', '.join(spec)}" if spec else "")
        )
    params = {}
    for name, (check, default) in spec.items():
        value = body.get(name, default)
        if not check(value):
            raise FaultError(f"{name} {value!r} is not valid for mode {mode}: {MODES[mode]}")
        params[name] = value
    return endpoint, mode, times, params


def transport_response(fault: dict[str, Any]) -> Response | None:
    """The answer of a transport fault, or None when the request goes on (after a delay)."""
    mode = fault["mode"]
    if mode == "drop":
        raise DropConnection
    if mode == "delay":
        time.sleep(fault["seconds"])
        return None
    if mode == "status":
        response = Response(status=fault["status"], content_type="text/plain")
        response.set_data(f"{response.status}\n")  # e.g. "404 NOT FOUND"
        return response
    if mode == "garbage":
        return Response(
            "<html><body>Service temporarily unavailable</body></html>", 200, content_type="text/html"
        )
    return jsonrpc.error(
        None,
        fault["code"],
        fault["message"],
        data={"name": "mock_odoo_com.fault", "message": "injected by POST /mock/faults"},
    )


def faulty_certificate(
    mode: str,
    ca: CertificateAuthority,
    untrusted: CertificateAuthority,
    h: str,
    public_key: PublicKey | None,
    **issue: Any,
) -> BoxCertificate:
    """What a certificate fault returns instead of the good certificate (``issue``: as for the CA's)."""
    if mode == "wrong_name":
        h = f"{(int(h, 16) + 1) % 2**32:08x}"
    if mode == "expired":
        issue["now"] -= dt.timedelta(days=issue["validity_days"] + 2)
    if mode == "wrong_key":
        # A certificate for a key the box does not hold; in server-key mode, a key not the certificate's.
        cert = ca.issue_box_certificate(h, **issue)
        other_key = private_key_pem(new_private_key(issue["key_type"])) if public_key is None else ""
        return BoxCertificate(cert.x509_pem, other_key, cert.subject_cn, cert.serial, cert.not_after)
    cert = (untrusted if mode == "untrusted" else ca).issue_box_certificate(h, public_key=public_key, **issue)
    if mode == "bad_pem":
        return BoxCertificate(BAD_PEM, cert.private_key_pem, cert.subject_cn, cert.serial, cert.not_after)
    return cert
