"""Routes and the WSGI application: ``@http.route`` on ``http.Controller`` methods, ``request`` for the
current web request, sessions in PostgreSQL, CSRF tokens, JSON-RPC 2.0 for ``type="json"`` routes.

One request is one database transaction: committed when the route returns, rolled back when it raises."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import inspect
import json
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import psycopg2
from werkzeug.exceptions import BadRequest, HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect as werkzeug_redirect
from werkzeug.wrappers import Request as WerkzeugRequest
from werkzeug.wrappers import Response

from iot_common.html import E, document

from .api import Environment
from .exceptions import AccessDenied, AccessError, MissingError, UserError
from .models import module_of
from .modules import NotOdoo17Error
from .sessions import SESSION_COOKIE, Session

_logger = logging.getLogger(__name__)

CSRF_LIFETIME = 48 * 3600
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
}
ROUTE_TYPES = ("http", "json")  # Odoo 17's
LATER_ROUTE_TYPES = {"jsonrpc": "json"}  # later versions' names -> Odoo 17's, refused


class SessionExpired(AccessDenied):
    """The route needs a logged-in user and there is none (any more)."""


# -- declaring routes ----------------------------------------------------------------------------------------
class Controller:
    """Subclass it in an addon's ``controllers/``; its ``@route`` methods are served once the addon is
    installed. A subclass of another controller replaces it (override a route by overriding its method)."""

    by_module: dict[str, list[type]] = defaultdict(list)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        module = module_of(cls.__module__)
        if module:
            Controller.by_module[module].append(cls)


def route(route: str | list[str] | None = None, **kwargs: Any) -> Callable:
    """``@http.route("/path", type="http"|"json", auth="user"|"public"|"box"|"none", methods=[...],
    csrf=True)``, as on Odoo 17.

    ``errors_with_status=False`` answers a JSON route's errors with HTTP 200, as Odoo answers every ``json``
    route: the client libraries of Odoo's external API read the error from the body and fail on any other
    status (docs/external-api.md). The host's own routes keep 401/403/404, which proxies and logs show."""
    routing = {"type": "http", "auth": "user", "methods": None, "csrf": True, "errors_with_status": True, **kwargs}
    routing["routes"] = [route] if isinstance(route, str) else list(route or [])
    kind = routing["type"]
    if kind in LATER_ROUTE_TYPES:
        raise NotOdoo17Error(
            f"route {routing['routes']}: type={kind!r} is a later Odoo's name; Odoo 17 writes "
            f"type={LATER_ROUTE_TYPES[kind]!r}"
        )
    if kind not in ROUTE_TYPES:
        raise NotOdoo17Error(f"route {routing['routes']}: type={kind!r}; Odoo 17 knows type='http' and type='json'")

    def decorate(method: Callable) -> Callable:
        method.routing = routing
        return method

    return decorate


# -- the current request --------------------------------------------------------------------------------
_local = threading.local()


class _RequestProxy:
    """``request``: the request being served by this thread (false when there is none)."""

    def _current(self) -> Request:
        current = getattr(_local, "request", None)
        if current is None:
            raise RuntimeError("no web request is being served")
        return current

    def __bool__(self) -> bool:
        return getattr(_local, "request", None) is not None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._current(), name, value)


request: Any = _RequestProxy()


class Request:
    """What a route sees as ``request``: ``httprequest`` (werkzeug), ``env``, ``params``, ``session``."""

    def __init__(self, httprequest: WerkzeugRequest, registry: Any, cr: Any) -> None:
        self.httprequest = httprequest
        self.registry = registry
        self.db = registry.db_name
        self.cr = cr
        self.session = Session.load(cr, httprequest.cookies.get(SESSION_COOKIE))
        self.env = Environment(
            cr, None, {"lang": registry.translations.best_match(httprequest.accept_languages)}
        )
        self.params: dict = {}
        self.box = None

    def update_env(self, uid: Any = ..., context: dict | None = None, su: bool | None = None) -> None:
        uid = self.env.uid if uid is ... else uid
        self.env = Environment(
            self.cr, uid, {**self.env.context, **(context or {})}, self.env.su if su is None else su
        )

    @property
    def lang(self) -> str:
        return self.env.lang

    # -- CSRF ------------------------------------------------------------------------------------------------
    def csrf_token(self, time_limit: int = CSRF_LIFETIME) -> str:
        """A token for forms of this session: HMAC of its expiry with the session's secret."""
        self.session.touch()
        expiry = int(time.time()) + time_limit
        return f"{self._csrf_mac(expiry)}o{expiry}"

    def validate_csrf(self, token: str | None) -> bool:
        if not token or "o" not in token:
            return False
        mac, _o, expiry = token.rpartition("o")
        if not expiry.isdigit() or int(expiry) < time.time():
            return False
        return hmac.compare_digest(mac, self._csrf_mac(int(expiry)))

    def _csrf_mac(self, expiry: int) -> str:
        return hmac.new(self.session.csrf_secret.encode(), str(expiry).encode(), hashlib.sha256).hexdigest()

    # -- responses -------------------------------------------------------------------------------------------
    def make_response(
        self, data: Any, headers: dict | list | None = None, cookies: dict | None = None, status: int = 200
    ) -> Response:
        response = Response(data, status=status, headers=headers, content_type="text/html; charset=utf-8")
        for name, value in (cookies or {}).items():
            response.set_cookie(name, value, httponly=True, samesite="Lax")
        return response

    def make_json_response(self, data: Any, headers: dict | None = None, status: int = 200) -> Response:
        return Response(
            json.dumps(data, default=json_default),
            status=status,
            headers=headers,
            content_type="application/json",
        )

    def redirect(self, location: str, code: int = 303) -> Response:
        return werkzeug_redirect(location, code)


def json_default(value: Any) -> Any:
    """JSON for what our routes return: datetimes as Odoo writes them, recordsets as their ids."""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "_ids"):
        return list(value._ids)
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


# -- dispatching -------------------------------------------------------------------------------------------
class Endpoint:
    def __init__(self, method: Callable, routing: dict) -> None:
        self.method = method
        self.routing = routing
        self.type = "jsonrpc" if routing["type"] == "json" else "http"
        self.signature = inspect.signature(method)
        parameters = self.signature.parameters.values()
        self.accepts_any = any(p.kind is p.VAR_KEYWORD for p in parameters)
        self.accepted = {p.name for p in parameters}

    def __repr__(self) -> str:
        return f"<endpoint {self.method.__qualname__}>"


def collect_endpoints(module_names: list[str]) -> list[Endpoint]:
    classes = [cls for name in module_names for cls in Controller.by_module.get(name, ())]
    leaves = [
        cls for cls in classes if not any(other is not cls and issubclass(other, cls) for other in classes)
    ]
    endpoints = []
    for cls in leaves:
        instance = cls()
        for name in sorted(dir(cls)):
            routing = next(
                (k.__dict__[name].routing for k in cls.__mro__ if hasattr(k.__dict__.get(name), "routing")),
                None,
            )
            if routing:
                endpoints.append(Endpoint(getattr(instance, name), routing))
    return endpoints


def check_auth_methods(ir_http: type) -> None:
    """Refuse an ``_auth_method_*`` that is not a class method: Odoo 17 calls them on the class, where
    ``self.env`` does not exist (such a method reads ``request.env``)."""
    for klass in ir_http.__mro__:
        for name, value in vars(klass).items():
            if name.startswith("_auth_method_") and not isinstance(value, classmethod):
                raise NotOdoo17Error(
                    f"{klass.__module__}.{klass.__qualname__}.{name} must be a @classmethod (Odoo 17 calls it on "
                    "the ir.http class: use request.env, not self.env)"
                )


class JsonRpcFailure(Exception):
    """An exception raised by a JSON-RPC route, with the id of the call it answers."""

    def __init__(self, error: BaseException, rpc_id: Any, with_status: bool = True) -> None:
        super().__init__(str(error))
        self.error = error
        self.rpc_id = rpc_id
        self.with_status = with_status


class Application:
    """The WSGI application of one registry (one database with its addons)."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        rules = []
        for endpoint in collect_endpoints([m.name for m in registry.manifests]):
            methods = endpoint.routing["methods"]
            if endpoint.type == "jsonrpc" and not methods:
                methods = ["POST"]
            for path in endpoint.routing["routes"]:
                rules.append(Rule(path, endpoint=endpoint, methods=methods))
        self.url_map = Map(rules, strict_slashes=False)

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        httprequest = WerkzeugRequest(environ)
        httprequest.max_content_length = 16 * 1024 * 1024
        response = self.dispatch(httprequest)
        return response(environ, start_response)

    def dispatch(self, httprequest: WerkzeugRequest) -> Response:
        try:
            endpoint, arguments = self.url_map.bind_to_environ(httprequest.environ).match()
        except HTTPException as exc:
            return exc.get_response(httprequest.environ)
        if httprequest.method == "OPTIONS":  # answered here: a route runs only for the methods it serves
            return Response(status=204)
        try:
            with self.registry.cursor() as cr:
                current = Request(httprequest, self.registry, cr)
                _local.request = current
                try:
                    response = self._call(current, endpoint, arguments)
                    current.session.save(cr, response, secure=httprequest.scheme == "https")
                finally:
                    _local.request = None
        except Exception as exc:  # noqa: BLE001 (every failure becomes an answer; the transaction is rolled back)
            response = self._error_response(httprequest, exc)
        if response.mimetype == "text/html":
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    def _call(self, current: Request, endpoint: Endpoint, arguments: dict) -> Response:
        rpc_id, params = None, {}
        if endpoint.type == "jsonrpc":
            rpc_id, params = _parse_jsonrpc(current.httprequest)
        try:
            auth = endpoint.routing["auth"]
            # On the class, as Odoo 17 calls them (check_auth_methods makes sure they are class methods).
            auth_method = getattr(type(current.env["ir.http"]), f"_auth_method_{auth}", None)
            if auth_method is None:
                raise RuntimeError(
                    f"route {endpoint!r}: no ir.http._auth_method_{auth} (is its addon installed?)"
                )
            auth_method()
            if current.env.uid and current.env.uid == current.session.uid:  # a visitor keeps the browser's
                user_lang = current.env["res.users"].sudo().browse(current.env.uid).lang
                if user_lang:
                    current.update_env(context={"lang": user_lang})
            if endpoint.type == "jsonrpc":
                return self._call_jsonrpc(current, endpoint, arguments, rpc_id, params)
            return self._call_http(current, endpoint, arguments)
        except Exception as exc:
            if endpoint.type == "jsonrpc":
                raise JsonRpcFailure(exc, rpc_id, endpoint.routing["errors_with_status"]) from exc
            raise

    def _call_jsonrpc(
        self, current: Request, endpoint: Endpoint, arguments: dict, rpc_id: Any, params: dict
    ) -> Response:
        kwargs = {**params, **arguments}
        if has_nul(kwargs):
            raise InvalidParams("Invalid params: text must not contain NUL characters")
        unexpected = [k for k in kwargs if k not in endpoint.accepted] if not endpoint.accepts_any else []
        if unexpected:
            raise InvalidParams(f"Invalid params: unexpected {', '.join(sorted(unexpected))}")
        try:
            endpoint.signature.bind(**kwargs)
        except TypeError as exc:
            raise InvalidParams(f"Invalid params: {exc}") from exc
        current.params = kwargs
        result = endpoint.method(**kwargs)
        body = {"jsonrpc": "2.0", "id": rpc_id, "result": result}
        return current.make_json_response(body)

    def _call_http(self, current: Request, endpoint: Endpoint, arguments: dict) -> Response:
        httprequest = current.httprequest
        params = {**httprequest.args.to_dict(), **httprequest.form.to_dict(), **arguments}
        if has_nul(params):
            raise BadRequest("Text must not contain NUL characters.")
        if httprequest.method not in ("GET", "HEAD") and endpoint.routing["csrf"]:
            if not current.validate_csrf(params.pop("csrf_token", None)):
                raise BadRequest("Session expired (invalid CSRF token): reload the page and try again.")
        params.pop("csrf_token", None)
        current.params = params
        if not endpoint.accepts_any:
            params = {k: v for k, v in params.items() if k in endpoint.accepted}
        try:
            endpoint.signature.bind(**params)
        except TypeError as exc:
            raise BadRequest(f"Missing or wrong parameters: {exc}") from exc
        result = endpoint.method(**params)
        if isinstance(result, Response):
            return result
        if result is None:
            return current.make_response("")
        return current.make_response(result)

    # -- errors ----------------------------------------------------------------------------------------------
    def _error_response(self, httprequest: WerkzeugRequest, exc: Exception) -> Response:
        if isinstance(exc, JsonRpcFailure):
            return _jsonrpc_error_response(exc.error, exc.rpc_id, exc.with_status)
        if isinstance(exc, HTTPException):
            return exc.get_response(httprequest.environ)
        if isinstance(exc, SessionExpired):
            return werkzeug_redirect(f"/web/login?redirect={_quote_path(httprequest)}", 303)
        status, message = error_status(exc)
        return Response(error_page(status, message), status=status, content_type="text/html; charset=utf-8")


class InvalidParams(Exception):
    """The JSON-RPC params do not fit the route's arguments."""


class InvalidRequest(Exception):
    """The body is not a JSON-RPC 2.0 request; ``code`` is JSON-RPC's error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def _parse_jsonrpc(httprequest: WerkzeugRequest) -> tuple[Any, dict]:
    try:
        body = json.loads(httprequest.get_data(cache=False) or b"null")
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise JsonRpcFailure(InvalidRequest(-32700, "Parse error: the body is not JSON"), None) from None
    if not isinstance(body, dict):
        raise JsonRpcFailure(InvalidRequest(-32600, "Invalid Request: expected a JSON-RPC 2.0 object"), None)
    rpc_id = body.get("id")
    params = body.get("params", {})
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise JsonRpcFailure(InvalidRequest(-32602, "Invalid params: 'params' must be an object"), rpc_id)
    if not all(isinstance(key, str) and key.isidentifier() for key in params):
        raise JsonRpcFailure(InvalidRequest(-32602, "Invalid params: names must be identifiers"), rpc_id)
    return rpc_id, params


def has_nul(value: Any) -> bool:
    """PostgreSQL refuses NUL in text: such input is the client's mistake, not a server error."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def error_status(exc: BaseException) -> tuple[int, str]:
    """The HTTP status and the message a client may see for an exception (never a traceback)."""
    if isinstance(exc, AccessDenied):
        return 401, exc.message
    if isinstance(exc, AccessError):
        return 403, exc.message
    if isinstance(exc, MissingError):
        return 404, exc.message
    if isinstance(exc, UserError):
        return 400, exc.message
    if isinstance(exc, psycopg2.DataError):  # a number out of range, a malformed date given by the client
        return 400, "A value of the request is out of range or malformed."
    if isinstance(exc, psycopg2.OperationalError):  # the database restarts or is unreachable
        _logger.warning("database unavailable: %s", exc)
        return 503, "The database is unavailable: try again in a moment."
    _logger.error("request failed", exc_info=exc)
    return 500, "Internal server error: the server log has the details."


def _jsonrpc_error_response(exc: BaseException, rpc_id: Any, with_status: bool = True) -> Response:
    """The error object as Odoo 17 serialises it (``data``: name, message, arguments, context, debug), without
    the traceback Odoo puts in ``debug``: a client sees the message, the server log keeps the details."""
    if isinstance(exc, InvalidRequest):
        status, code, message, name = 400, exc.code, str(exc), "InvalidRequest"
    elif isinstance(exc, InvalidParams):
        status, code, message, name = 400, -32602, str(exc), "InvalidParams"
    else:
        status, message = error_status(exc)
        if isinstance(exc, SessionExpired):
            code, name = 100, "odoo.http.SessionExpiredException"
        elif isinstance(exc, UserError):  # named by the nearest exception class Odoo has, as clients test names
            odoo_class = next(c for c in type(exc).__mro__ if c.__module__ == UserError.__module__)
            code, name = 200, f"odoo.exceptions.{odoo_class.__name__}"
        else:
            code, name = 200, "odoo.exceptions.ServerError"
        if isinstance(exc, UserError) and not isinstance(exc, AccessDenied | AccessError):
            status = 200  # as Odoo: a refused operation is a normal JSON-RPC answer
    data = {"name": name, "message": message, "arguments": [message], "context": {}, "debug": ""}
    body = {"jsonrpc": "2.0", "id": rpc_id, "error": {"code": code, "message": message, "data": data}}
    return Response(json.dumps(body), status=status if with_status else 200, content_type="application/json")


def _quote_path(httprequest: WerkzeugRequest) -> str:
    from urllib.parse import quote

    return quote(httprequest.full_path.rstrip("?"), safe="")


def error_page(status: int, message: str) -> str:
    """A small HTML page for an error; built with lxml, so the message is escaped."""
    page = E.html(
        E.head(
            E.meta(charset="utf-8"),
            E.title(f"Error {status}"),
            E.link(rel="stylesheet", href="/web/static/style.css"),
        ),
        E.body(
            E.main(
                E.h1(f"Error {status}"),
                E.p(message),
                E.p(E.a("Back to the start page", href="/odoo")),
                **{"class": "error"},
            )
        ),
    )
    return document(page)
