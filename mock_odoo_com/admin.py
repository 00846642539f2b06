"""The admin API under ``/mock/`` (docs/mock-odoo-com.md): what tests use to set up subscriptions, databases,
settings and faults, and to read the request log. It has no authentication, so it answers only on the mock's
admin port, on a loopback address by default."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Iterator
from typing import Any

from werkzeug.exceptions import BadRequest, NotFound
from werkzeug.routing import Rule
from werkzeug.wrappers import Request, Response

from mock_odoo_com import faults, settings
from mock_odoo_com.ca import CertificateAuthority
from mock_odoo_com.requestlog import shown
from mock_odoo_com.store import Store
from mock_odoo_com.web import json_response, read_json_object

STATES = ("draft", "in_progress", "paused", "closed")
KINDS = ("production", "staging", "development", "duplicate")
MAX_KEY = 256
CHUNK = 64 * 1024


def _choice(body: dict[str, Any], name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    value = body.get(name, default)
    if value not in allowed:
        raise BadRequest(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _utc_iso(value: object, now: dt.datetime) -> str:
    if value is None:
        return now.strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadRequest(
            f"added_at must be an ISO 8601 date and time, e.g. 2026-01-31T12:00:00Z, not {value!r}"
        ) from None
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _lines(value: object) -> list[dict[str, Any]]:
    """Subscription lines, checked, with ``added_at`` in UTC (now when left out)."""
    if not isinstance(value, list):
        raise BadRequest(
            'lines must be a list of {"product": "iot_box", "quantity": 1, "added_at": ISO 8601?}'
        )
    now = dt.datetime.now(dt.UTC)
    lines = []
    for line in value:
        if not isinstance(line, dict) or set(line) - {"product", "quantity", "added_at"}:
            raise BadRequest('each line is an object with "product", "quantity" and optionally "added_at"')
        product, quantity = line.get("product"), line.get("quantity", 1)
        if not isinstance(product, str) or not 0 < len(product) <= 64:
            raise BadRequest(f'a line\'s product must be a name such as "iot_box", not {product!r}')
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0:
            raise BadRequest(f"a line's quantity must be a whole number, 0 or more, not {quantity!r}")
        lines.append(
            {"product": product, "quantity": quantity, "added_at": _utc_iso(line.get("added_at"), now)}
        )
    return lines


def _key(value: str, what: str) -> str:
    if len(value) > MAX_KEY or not value.isprintable():
        raise BadRequest(f"the {what} in the path must be printable and at most {MAX_KEY} characters")
    return value


def _object_of(request: Request, shape: str, keys: set[str]) -> dict[str, Any]:
    """The JSON object of the body, which may hold ``keys`` and no other (``shape`` tells the caller)."""
    body = read_json_object(request)
    unknown = sorted(set(body) - keys)
    if unknown:
        raise BadRequest(f"{shape}; unknown keys: {', '.join(unknown)}")
    return body


def _found(value: dict[str, Any] | bool | None, what: str) -> Response:
    """The record read (or ``{"deleted": true}``), or 404 when there is no such record."""
    if not value:
        raise NotFound(f"there is no {what}; create it with PUT")
    return json_response({"deleted": True} if value is True else value)


def _endpoint_arg(request: Request) -> str | None:
    """The ``?endpoint=`` filter, checked."""
    endpoint = request.args.get("endpoint")
    if endpoint is not None and endpoint not in faults.ENDPOINTS:
        raise BadRequest(f"endpoint must be one of {', '.join(faults.ENDPOINTS)}, not {endpoint!r}")
    return endpoint


def _since_arg(request: Request) -> float | None:
    """The ``?since=`` time, as epoch seconds."""
    value = request.args.get("since")
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            seconds = math.nan
        else:
            seconds = (stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)).timestamp()
    if not math.isfinite(seconds):
        raise BadRequest(
            f"since must be an ISO 8601 time such as 2026-01-31T12:00:00Z, or epoch seconds, not {value!r}"
        )
    return seconds


def _limit_arg(request: Request) -> int | None:
    """The ``?limit=`` number of entries."""
    value = request.args.get("limit")
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise BadRequest(f"limit must be a whole number of entries, 1 or more, not {value!r}")
    return int(value)


def _json_list(name: str, entries: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    """``{name: [entry, ...]}`` in pieces of about ``CHUNK`` bytes, made as the entries are read."""
    encode = json.JSONEncoder(separators=(",", ":")).encode
    piece, size = [f'{{"{name}":['], 0
    for number, entry in enumerate(entries):
        text = encode(shown(entry))
        piece.append("," + text if number else text)
        size += len(text)
        if size >= CHUNK:
            yield "".join(piece).encode()
            piece, size = [], 0
    piece.append("]}")
    yield "".join(piece).encode()


class AdminApi:
    def __init__(self, store: Store, ca: CertificateAuthority) -> None:
        self.store, self.ca = store, ca

    def rules(self) -> list[Rule]:
        return [
            Rule("/mock/", endpoint=self.index, methods=["GET"]),
            Rule("/mock/ca.pem", endpoint=self.ca_pem, methods=["GET"]),
            Rule("/mock/subscriptions/<code>", endpoint=self.put_subscription, methods=["PUT"]),
            Rule("/mock/subscriptions/<code>", endpoint=self.get_subscription, methods=["GET"]),
            Rule("/mock/subscriptions/<code>", endpoint=self.delete_subscription, methods=["DELETE"]),
            Rule("/mock/databases/<db_uuid>", endpoint=self.put_database, methods=["PUT"]),
            Rule("/mock/databases/<db_uuid>", endpoint=self.get_database, methods=["GET"]),
            Rule("/mock/databases/<db_uuid>", endpoint=self.delete_database, methods=["DELETE"]),
            Rule("/mock/faults", endpoint=self.add_fault, methods=["POST"]),
            Rule("/mock/faults", endpoint=self.list_faults, methods=["GET"]),
            Rule("/mock/faults", endpoint=self.clear_faults, methods=["DELETE"]),
            Rule("/mock/settings", endpoint=self.get_settings, methods=["GET"]),
            Rule("/mock/settings", endpoint=self.put_settings, methods=["PUT"]),
            Rule("/mock/requests", endpoint=self.requests, methods=["GET"]),
            Rule("/mock/requests", endpoint=self.clear_requests, methods=["DELETE"]),
            Rule("/mock/requests/rotate", endpoint=self.rotate_requests, methods=["POST"]),
            Rule("/mock/reset", endpoint=self.reset, methods=["POST"]),
        ]

    def index(self, request: Request) -> Response:
        """What the admin API offers: its calls, the settings and the fault modes, each with a sentence."""
        return json_response(
            {
                "calls": [
                    f"{' '.join(sorted(rule.methods - {'HEAD', 'OPTIONS'}))} {rule.rule}"
                    for rule in self.rules()
                ],
                "settings": settings.DOCS,
                "fault_modes": faults.MODES,
                "fault_endpoints": faults.ENDPOINTS,
            }
        )

    def ca_pem(self, request: Request) -> Response:
        return Response(self.ca.root_pem, content_type="application/x-pem-file")

    def put_subscription(self, request: Request, code: str) -> Response:
        body = _object_of(request, 'a subscription is {"state": ..., "lines": [...]}', {"state", "lines"})
        state, lines = _choice(body, "state", STATES), _lines(body.get("lines", []))
        self.store.put_subscription(_key(code, "enterprise code"), state, lines)
        return json_response({"code": code, "state": state, "lines": lines})

    def get_subscription(self, request: Request, code: str) -> Response:
        return _found(self.store.read().subscription(code), "subscription with this code")

    def delete_subscription(self, request: Request, code: str) -> Response:
        return _found(self.store.delete("subscriptions", code), "subscription with this code")

    def put_database(self, request: Request, db_uuid: str) -> Response:
        body = _object_of(
            request, 'a database is {"subscription": <code>, "kind": ...}', {"subscription", "kind"}
        )
        subscription = body.get("subscription")
        if not isinstance(subscription, str) or not subscription:
            raise BadRequest(
                "subscription must be the enterprise code of the subscription the database belongs to"
            )
        kind = _choice(body, "kind", KINDS, "production")
        self.store.put_database(_key(db_uuid, "db_uuid"), _key(subscription, "subscription"), kind)
        return json_response({"db_uuid": db_uuid, "subscription": subscription, "kind": kind})

    def get_database(self, request: Request, db_uuid: str) -> Response:
        return _found(self.store.read().database(db_uuid), "database with this db_uuid")

    def delete_database(self, request: Request, db_uuid: str) -> Response:
        return _found(self.store.delete("databases", db_uuid), "database with this db_uuid")

    def add_fault(self, request: Request) -> Response:
        try:
            endpoint, mode, times, params = faults.parse(read_json_object(request))
        except faults.FaultError as exc:
            raise BadRequest(str(exc)) from None
        return json_response(self.store.add_fault(endpoint, mode, params, times), 201)

    def list_faults(self, request: Request) -> Response:
        return json_response({"faults": self.store.read().faults()})

    def clear_faults(self, request: Request) -> Response:
        return json_response({"cleared": self.store.clear_faults(_endpoint_arg(request))})

    def get_settings(self, request: Request) -> Response:
        return json_response(self.store.read().settings())

    def put_settings(self, request: Request) -> Response:
        try:
            return json_response(self.store.update_settings(read_json_object(request)))
        except settings.SettingsError as exc:
            raise BadRequest(str(exc)) from None

    def requests(self, request: Request) -> Response:
        """The request log, oldest first, streamed as it is read; ``?endpoint=x509``, ``?db_uuid=...`` filter it,
        ``?since=`` (ISO 8601 or epoch seconds) starts it at a time, ``?limit=N`` stops it after N entries."""
        found = self.store.log.read(
            since=_since_arg(request), endpoint=_endpoint_arg(request), db_uuid=request.args.get("db_uuid")
        )
        return Response(_json_list("requests", itertools.islice(found, _limit_arg(request))),
                        content_type="application/json")

    def clear_requests(self, request: Request) -> Response:
        """Forget the request log, rotated parts included; the rate limit's counts stay."""
        self.store.rotate_log(keep=False)
        return json_response({"cleared": True})

    def rotate_requests(self, request: Request) -> Response:
        """Start a new request log; the old one moves to ``requests/rotated/<time>/`` in the data dir."""
        return json_response({"rotated_to": self.store.rotate_log()})

    def reset(self, request: Request) -> Response:
        self.store.reset()
        return json_response({"reset": True})
