"""The JSON-RPC 2.0 envelope of the public endpoints, as odoo.com speaks it.

A body that is not JSON or not a call gets HTTP 400; a call with wrong params gets HTTP 200 with a JSON-
RPC error (code -32602), as Odoo answers, so a box can show the message."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Request, Response

from mock_odoo_com.web import json_response, read_json

PARSE_ERROR, INVALID_REQUEST, INVALID_PARAMS = -32700, -32600, -32602


class CallError(Exception):
    """A request the endpoint answers with a JSON-RPC error instead of a result."""

    def __init__(self, code: int, message: str, http_status: int = 200, request_id: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.http_status, self.request_id = code, message, http_status, request_id

    def response(self) -> Response:
        return error(self.request_id, self.code, self.message, self.http_status)


def parse_call(request: Request) -> tuple[Any, dict[str, Any], bool]:
    """``(id, params, enveloped)`` of a JSON-RPC call; the bare ``{"params": {...}}`` form that real boxes send
    is accepted too (``enveloped`` is False for it: the body has no ``"jsonrpc"`` member)."""
    try:
        body = read_json(request)
    except BadRequest as exc:
        raise CallError(PARSE_ERROR, exc.description, exc.code) from None
    if not isinstance(body, dict):
        raise CallError(INVALID_REQUEST, 'the body must be a JSON object with "params"', 400)
    request_id = body.get("id")
    if isinstance(request_id, bool) or not isinstance(request_id, str | int | None):
        raise CallError(INVALID_REQUEST, '"id" must be a string, a number or null', 400)
    if "jsonrpc" in body and body["jsonrpc"] != "2.0":
        raise CallError(INVALID_REQUEST, '"jsonrpc" must be "2.0"', 400, request_id)
    params = body.get("params")
    if not isinstance(params, dict):
        raise CallError(INVALID_PARAMS, '"params" must be an object', 200, request_id)
    return request_id, params, "jsonrpc" in body


def text_param(
    params: dict[str, Any], name: str, request_id: Any, required: bool = True, max_length: int = 256
) -> str | None:
    """A string parameter, checked: present when required, not empty, not too long."""
    value = params.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise CallError(
            INVALID_PARAMS, f"params.{name} is required and must be a non-empty string", request_id=request_id
        )
    if len(value) > max_length:
        raise CallError(
            INVALID_PARAMS, f"params.{name} is longer than {max_length} characters", request_id=request_id
        )
    return value


def result(request_id: Any, value: Any, headers: dict[str, str] | None = None, status: int = 200) -> Response:
    return json_response({"jsonrpc": "2.0", "id": request_id, "result": value}, status, headers)


def error(
    request_id: Any,
    code: int,
    message: str,
    status: int = 200,
    data: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        body["data"] = data
    return json_response({"jsonrpc": "2.0", "id": request_id, "error": body}, status, headers)
