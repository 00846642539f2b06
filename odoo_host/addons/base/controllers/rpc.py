"""Odoo's external API over XML-RPC (``/xmlrpc/2/common``, ``/xmlrpc/2/object``) and JSON-RPC (``/jsonrpc``).

A failed call is rolled back (a savepoint around it) and answered with a fault carrying its message, never a
traceback.
"""

from __future__ import annotations

import xmlrpc.client
from typing import Any
from xml.parsers.expat import ExpatError

from werkzeug.wrappers import Response

from odoo_host import http, service
from odoo_host.exceptions import UserError
from odoo_host.http import request

MAX_BODY = 8 * 1024 * 1024


def _fault(exc: BaseException) -> xmlrpc.client.Fault:
    """The fault for an exception: its message for ours and the caller's mistakes, a generic one (the details
    go to the log) for the rest."""
    if isinstance(exc, UserError):
        return xmlrpc.client.Fault(service.fault_code(exc), exc.message)
    status, message = http.error_status(exc)
    return xmlrpc.client.Fault(service.FAULT_WARNING if status < 500 else service.FAULT_APPLICATION, message)


class ExternalApi(http.Controller):
    @http.route("/xmlrpc/2/<string:service_name>", type="http", auth="none", methods=["POST"], csrf=False)
    def xmlrpc(self, service_name: str) -> Response:
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
            payload = xmlrpc.client.dumps(_fault(exc), allow_none=True)
        return Response(payload, content_type="text/xml; charset=utf-8")

    @http.route("/jsonrpc", type="json", auth="none", csrf=False)
    def jsonrpc(self, service: str = "", method: str = "", args: Any = None) -> Any:
        return self._call(service, method, args if args is not None else [])

    def _call(self, service_name: str, method: str, args: Any) -> Any:
        cr = request.cr
        cr.execute("SAVEPOINT external_api")
        try:
            result = service.dispatch(request.env, service_name, method, args)
        except BaseException:
            cr.execute("ROLLBACK TO SAVEPOINT external_api")
            request.env.invalidate_all()
            raise
        cr.execute("RELEASE SAVEPOINT external_api")
        return result
