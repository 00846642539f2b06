"""Small HTTP helpers shared by the public endpoints and the admin API: JSON in, JSON out, clear errors."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.exceptions import BadRequest, RequestEntityTooLarge
from werkzeug.wrappers import Request, Response

MAX_BODY = 64 * 1024


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(value, separators=(",", ":")), status, headers, content_type="application/json"
    )


def error_response(status: int, message: str) -> Response:
    """The admin API's error shape (and the public endpoints' for wrong paths and methods)."""
    return json_response({"error": {"code": status, "message": message}}, status)


def read_json(request: Request) -> Any:
    """The request body parsed as JSON; ``BadRequest`` (400) saying what is wrong otherwise."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise RequestEntityTooLarge(f"the body is larger than {MAX_BODY} bytes")
    body = request.stream.read(MAX_BODY + 1)
    if len(body) > MAX_BODY:
        raise RequestEntityTooLarge(f"the body is larger than {MAX_BODY} bytes")
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise BadRequest(f"the body is not valid JSON ({exc})") from None


def read_json_object(request: Request) -> dict[str, Any]:
    value = read_json(request)
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value
