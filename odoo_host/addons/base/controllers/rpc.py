"""Odoo's external API over XML-RPC (``/xmlrpc/2/<service>``, and ``/xmlrpc/<service>`` with its older string
fault codes) and JSON-RPC (``/jsonrpc``), and the web client's JSON routes that client libraries call
(``/web/webclient/version_info``, ``/web/session/*``, ``/web/database/list``, ``/web/dataset/call_kw``).

A failed call is rolled back (a savepoint around it) and answered with a fault or a JSON-RPC error carrying its
message, never a traceback. docs/external-api.md describes the whole API.
"""

from __future__ import annotations

import xmlrpc.client
from collections.abc import Callable
from typing import Any
from xml.parsers.expat import ExpatError

from werkzeug.wrappers import Response

from odoo_host import http, service
from odoo_host.exceptions import AccessDenied, AccessError, MissingError, UserError
from odoo_host.http import request

MAX_BODY = 8 * 1024 * 1024


def _fault(exc: BaseException) -> xmlrpc.client.Fault:
    """The fault for an exception: its message for ours and the caller's mistakes, a generic one (the details
    go to the log) for the rest."""
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(service.fault_code(exc), exc.message)
    status, message = http.error_status(exc)
    return xmlrpc.client.Fault(service.FAULT_WARNING if status < 500 else service.FAULT_APPLICATION, message)


def _string_fault(exc: BaseException) -> xmlrpc.client.Fault:
    """The fault of ``/xmlrpc/<service>`` as Odoo 17 words it: the code is a string (``"AccessDenied"``,
    ``"warning -- AccessError\\n\\n<message>"``), which older clients such as erppeek parse. The fault string,
    empty or a traceback in Odoo, is the message here, for clients that show only that."""
    message = _fault(exc).faultString
    if isinstance(exc, AccessDenied):
        return xmlrpc.client.Fault("AccessDenied", message)
    if isinstance(exc, AccessError | MissingError):
        return xmlrpc.client.Fault(f"warning -- {type(exc).__name__}\n\n{message}", message)
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(f"warning -- UserError\n\n{message}", message)
    return xmlrpc.client.Fault(message, message)


def _in_savepoint(call: Callable[[], Any]) -> Any:
    """Run one API call so that a failure undoes its writes only (the request's transaction goes on)."""
    cr = request.cr
    cr.execute("SAVEPOINT external_api")
    try:
        result = call()
    except BaseException:
        cr.execute("ROLLBACK TO SAVEPOINT external_api")
        request.env.invalidate_all()
        raise
    cr.execute("RELEASE SAVEPOINT external_api")
    return result


class ExternalApi(http.Controller):
    @http.route("/xmlrpc/2/<string:service_name>", type="http", auth="none", methods=["POST"], csrf=False)
    def xmlrpc(self, service_name: str) -> Response:
        return self._xmlrpc(service_name, _fault)

    @http.route("/xmlrpc/<string:service_name>", type="http", auth="none", methods=["POST"], csrf=False)
    def xmlrpc_1(self, service_name: str) -> Response:
        return self._xmlrpc(service_name, _string_fault)

    def _xmlrpc(self, service_name: str, to_fault: Callable[[BaseException], xmlrpc.client.Fault]) -> Response:
        body = request.httprequest.get_data(cache=False)
        try:
            if len(body) > MAX_BODY:
                raise UserError("The request is too large")
            try:
                args, method = xmlrpc.client.loads(body)
            except (ExpatError, xmlrpc.client.ResponseError, ValueError, TypeError) as exc:
                raise UserError(f"Not an XML-RPC request: {exc}") from None
            result = self._call(service_name, method or "", list(args))
            payload = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True)
        except Exception as exc:  # noqa: BLE001 (every failure is a fault for the caller)
            payload = xmlrpc.client.dumps(to_fault(exc), allow_none=True)
        return Response(payload, content_type="text/xml; charset=utf-8")

    @http.route("/jsonrpc", type="json", auth="none", csrf=False, errors_with_status=False)
    def jsonrpc(self, service: str = "", method: str = "", args: Any = None) -> Any:
        return self._call(service, method, args if args is not None else [])

    def _call(self, service_name: str, method: str, args: Any) -> Any:
        return _in_savepoint(lambda: service.dispatch(request.env, service_name, method, args))


class WebApi(http.Controller):
    """The web client's JSON routes that Odoo's client libraries use (odooly talks to these only; OdooRPC reads
    the version here). Errors are answered with HTTP 200, as Odoo 17 does, so the libraries raise their own
    exceptions with the server's message."""

    @http.route("/web/webclient/version_info", type="json", auth="none", errors_with_status=False)
    def version_info(self) -> dict:
        return service.version_info()

    @http.route("/web/database/list", type="json", auth="none", errors_with_status=False)
    def database_list(self) -> list[str]:
        return service.db_list(request.env)

    @http.route("/web/session/authenticate", type="json", auth="none", errors_with_status=False)
    def authenticate(self, db: str, login: str, password: str, base_location: str | None = None) -> dict:
        """Log in with a password (not an API key, as in Odoo); the answer is the session's info and its cookie."""
        service.check_db(request.env, db)
        uid = request.session.authenticate(request.env, login, password)
        request.update_env(uid=uid)
        return request.env["ir.http"].session_info()

    @http.route("/web/session/get_session_info", type="json", auth="user", errors_with_status=False)
    def get_session_info(self) -> dict:
        return request.env["ir.http"].session_info()

    @http.route("/web/session/check", type="json", auth="user", errors_with_status=False)
    def check(self) -> None:
        """Answers without error as long as the session is logged in (the auth check does the work)."""

    @http.route("/web/session/destroy", type="json", auth="user", errors_with_status=False)
    def destroy(self) -> None:
        request.session.logout()

    @http.route(
        ["/web/dataset/call_kw", "/web/dataset/call_kw/<path:path>"],
        type="json",
        auth="user",
        errors_with_status=False,
    )
    def call_kw(self, model: str, method: str, args: list, kwargs: dict, path: str | None = None) -> Any:
        """``model.method(*args, **kwargs)`` as the session's user; ``path`` (``<model>/<method>``) only names
        the call in logs, as in Odoo."""
        return _in_savepoint(
            lambda: service.to_wire(service.call_kw(request.env, model, method, args, kwargs))
        )
