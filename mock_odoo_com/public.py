"""The endpoints odoo.com offers: the certificate request of a box and the subscription facts for a database
server.

The issuing path is kept lean: the facts come from the store's per-change cache, the log entry is one append,
and only a rate limit takes a lock, for one short transaction that counts the certificate (docs/mock-rate-limit.md).
What is left is the key, one signature and the PEM.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, NamedTuple

from cryptography import x509
from werkzeug.wrappers import Request, Response

from mock_odoo_com import faults, generations, jsonrpc, policy
from mock_odoo_com.ca import (
    CertificateAuthority,
    CsrError,
    PublicKey,
    public_key_from_csr,
    subdomain,
    validity,
)
from mock_odoo_com.store import Store, fingerprint

REFUSAL_HEADER = "X-Odoo-Iot-Refusal"
MAX_CSR = 16 * 1024


class Answered(Exception):
    """Raised on the way into an endpoint when the answer is already decided (a fault, a malformed call)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response


class Call(NamedTuple):
    """A well-formed call to a public endpoint, with the fault it met (only a ``delay`` or a certificate fault
    lets it go on)."""

    now: dt.datetime
    fault: dict[str, Any] | None
    request_id: Any
    params: dict[str, Any]
    db_uuid: str
    enterprise_code: str
    generation: str  # which kind of client called (mock_odoo_com.generations): the refusal shape it reads


class PublicEndpoints:
    def __init__(self, store: Store, ca: CertificateAuthority, untrusted: CertificateAuthority) -> None:
        self.store, self.ca, self.untrusted = store, ca, untrusted

    def _begin(self, request: Request, endpoint: str) -> Call:
        """The call the endpoint goes on with; ``Answered`` when a transport fault or a malformed call already
        decides the answer."""
        now = dt.datetime.now(dt.UTC)
        fault = self.store.take_fault(endpoint)
        if fault is not None and fault["mode"] in faults.TRANSPORT_MODES:
            try:
                response = faults.transport_response(fault)
            except faults.DropConnection:
                self._log(now, endpoint, 0, "fault", fault=fault["mode"])
                raise
            if response is not None:
                self._log(now, endpoint, response.status_code, "fault", fault=fault["mode"])
                raise Answered(response)
        try:
            request_id, params, enveloped = jsonrpc.parse_call(request)
            db_uuid = jsonrpc.text_param(params, "db_uuid", request_id)
            code = jsonrpc.text_param(params, "enterprise_code", request_id)
        except jsonrpc.CallError as exc:
            self._log(now, endpoint, exc.http_status, "bad_request", reason=exc.message)
            raise Answered(exc.response()) from None
        return Call(now, fault, request_id, params, db_uuid, code, generations.generation(request.headers, enveloped))

    def _log(self, now: dt.datetime, endpoint: str, status: int, outcome: str, **entry: Any) -> None:
        self.store.log.append(at=now.timestamp(), endpoint=endpoint, status=status, outcome=outcome, **entry)

    def _csr_key(self, params: dict[str, Any], request_id: Any, now: dt.datetime) -> PublicKey | None:
        """The public key of the optional CSR, its signature checked; a logged ``CallError`` if bad."""
        try:
            csr = jsonrpc.text_param(params, "csr", request_id, required=False, max_length=MAX_CSR)
            return public_key_from_csr(csr) if csr else None
        except jsonrpc.CallError as exc:
            error = exc
        except CsrError as exc:
            error = jsonrpc.CallError(jsonrpc.INVALID_PARAMS, f"params.csr: {exc}", request_id=request_id)
        self._log(now, "x509", error.http_status, "bad_request", reason=error.message, csr=True)
        raise Answered(error.response())

    def x509(self, request: Request) -> Response:
        """``POST /odoo-enterprise/iot/x509``: a certificate for an eligible database, else a refusal."""
        try:
            now, fault, request_id, params, db_uuid, code, generation = self._begin(request, "x509")
            public_key = self._csr_key(params, request_id, now)
        except Answered as answered:
            return answered.response

        fault_mode = fault["mode"] if fault else None
        certificate_fault = fault_mode if fault_mode not in (None, *faults.TRANSPORT_MODES) else None
        serial, h = x509.random_serial_number(), subdomain(db_uuid)
        facts = self.store.facts()
        settings = facts.settings()

        reason = (
            fault.get("reason")
            if certificate_fault
            else policy.refusal(facts.subscription(code), facts.database(db_uuid), now)
        )
        limit = settings["rate_limit"]
        wait = None
        if reason is None and certificate_fault is None and limit["per_db"] is not None:
            wait = self.store.admit(db_uuid, now.timestamp(), limit["per_db"], limit["window_s"])
            if wait is not None:
                reason = policy.RATE_LIMITED
        issued = reason is None and certificate_fault is None
        self._log(
            now,
            "x509",
            429 if reason == policy.RATE_LIMITED else 200,
            _outcome(reason, certificate_fault),
            db_uuid=db_uuid,
            enterprise_code_fingerprint=fingerprint(code),
            csr=public_key is not None,
            reason=reason,
            fault=fault_mode,
            serial=None if reason else format(serial, "x"),
            subject_cn=f"*.{h}.odoo-iot.com" if issued else None,
            not_after=validity(now, settings["validity_days"])[1].timestamp() if issued else None,
        )

        if reason == policy.RATE_LIMITED:
            return jsonrpc.error(
                request_id,
                429,
                f"rate limited: at most {limit['per_db']} certificates per database "
                f"in {limit['window_s']} s; try again later",
                status=429,
                headers={"Retry-After": str(max(1, math.ceil(wait))), REFUSAL_HEADER: reason},
            )
        if reason is not None:
            return self._refusal(request_id, reason, generations.refusal_style(settings["refusal_style"], generation))
        issue = {
            "key_type": settings["key_type"],
            "validity_days": settings["validity_days"],
            "serial": serial,
            "now": now,
        }
        if certificate_fault:
            cert = faults.faulty_certificate(certificate_fault, self.ca, self.untrusted, h, public_key, **issue)
        else:
            cert = self.ca.issue_box_certificate(h, public_key=public_key, **issue)
        result = {
            "x509_pem": cert.x509_pem,
            "private_key_pem": cert.private_key_pem,
            "subject_cn": cert.subject_cn,
        }
        return jsonrpc.result(request_id, result)

    @staticmethod
    def _refusal(request_id: Any, reason: str, style: str) -> Response:
        headers = {REFUSAL_HEADER: reason}
        if style == generations.ERROR_OBJECT:
            message = policy.REASONS.get(reason, "odoo.com refused to issue a certificate (injected fault).")
            return jsonrpc.result(request_id, {"error": reason, "message": message}, headers)
        return jsonrpc.result(request_id, False, headers)

    def publisher_warranty(self, request: Request) -> Response:
        """``POST /publisher-warranty/``: the subscription, the database's registration, production or not."""
        try:
            now, fault, request_id, _params, db_uuid, code, _generation = self._begin(request, "publisher-warranty")
        except Answered as answered:
            return answered.response
        facts = self.store.facts()
        subscription, database = facts.subscription(code), facts.database(db_uuid)
        self._log(
            now,
            "publisher-warranty",
            200,
            "answered",
            db_uuid=db_uuid,
            enterprise_code_fingerprint=fingerprint(code),
            fault=fault and fault["mode"],
        )
        if database is not None and database["subscription"] != code:
            database = None
        return jsonrpc.result(
            request_id,
            {
                "subscription": subscription,
                "database": database,
                "production_database": database is not None and database["kind"] == "production",
            },
        )


def _outcome(reason: str | None, certificate_fault: str | None) -> str:
    """The request log's word for what happened to a well-formed certificate request."""
    if reason == policy.RATE_LIMITED:
        return "rate_limited"
    if reason is not None:
        return "refused"
    return "fault" if certificate_fault else "issued"
