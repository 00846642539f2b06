"""Odoo's external API: the ``common`` service (``version``, ``login``, ``authenticate``) and the ``object``
service (``execute_kw``), shared by XML-RPC (``/xmlrpc/2/...``) and JSON-RPC (``/jsonrpc``).

Each call authenticates with a password or an API key and runs with that user's access rights."""

from __future__ import annotations

import datetime
from typing import Any

from .api import Environment
from .exceptions import AccessDenied, AccessError, MissingError, UserError
from .models import BaseModel

SERVER_VERSION = "17.0"
# ORM methods scripts may call, and whether they work on the model (True) or on records given by ids (False).
ORM_METHODS = {
    "search": True,
    "search_read": True,
    "search_count": True,
    "fields_get": True,
    "create": True,
    "name_search": True,
    "default_get": True,
    "read": False,
    "write": False,
    "unlink": False,
}

# XML-RPC fault codes as Odoo sends them.
FAULT_APPLICATION, FAULT_WARNING, FAULT_ACCESS_DENIED, FAULT_ACCESS_ERROR = 1, 2, 3, 4


class RpcError(UserError):
    """A call the API cannot serve (unknown service, method, database)."""


def fault_code(exc: BaseException) -> int:
    if isinstance(exc, AccessDenied):
        return FAULT_ACCESS_DENIED
    if isinstance(exc, AccessError):
        return FAULT_ACCESS_ERROR
    if isinstance(exc, UserError | MissingError):
        return FAULT_WARNING
    return FAULT_APPLICATION


def dispatch(env: Environment, service: str, method: str, args: list) -> Any:
    """Serve ``service.method(*args)``; ``env`` is an environment without user on the request's cursor."""
    if not isinstance(service, str) or not isinstance(method, str):
        raise RpcError("'service' and 'method' must be names, such as 'object' and 'execute_kw'")
    if not isinstance(args, list):
        raise RpcError("'args' must be a list")
    if service == "common":
        handlers = {"version": _version, "login": _login, "authenticate": _authenticate}
    elif service == "object":
        handlers = {"execute_kw": _execute_kw, "execute": _execute}
    else:
        raise RpcError(f"Unknown service '{service}': use 'common' or 'object'")
    if method not in handlers:
        raise RpcError(f"Unknown method '{method}' of service '{service}'")
    try:
        return to_wire(handlers[method](env, *args))
    except TypeError as exc:
        raise RpcError(f"Wrong arguments for {service}.{method}: {exc}") from exc


def _version(env: Environment) -> dict:
    return {
        "server_version": SERVER_VERSION,
        "server_version_info": [17, 0, 0, "final", 0, ""],
        "server_serie": SERVER_VERSION,
        "protocol_version": 1,
    }


def _check_db(env: Environment, db: str) -> None:
    if db != env.registry.db_name:
        raise AccessDenied(
            f"Database '{db}' does not exist on this server (it serves '{env.registry.db_name}')"
        )


def _authenticate(
    env: Environment, db: str, login: str, password: str, user_agent_env: Any = None
) -> int | bool:
    _check_db(env, db)
    try:
        return env["res.users"].sudo()._login(login, password, api_key_scope="rpc")
    except AccessDenied:
        return False


def _login(env: Environment, db: str, login: str, password: str) -> int | bool:
    return _authenticate(env, db, login, password)


def _user_env(env: Environment, db: str, uid: int, password: str, context: dict | None) -> Environment:
    _check_db(env, db)
    if not isinstance(uid, int) or not isinstance(password, str):
        raise AccessDenied()
    user = env["res.users"].sudo().browse(uid)
    if (  # a missing or archived user has neither a password nor a key that works
        not user._check_password(password)
        and env["res.users.apikeys"].sudo()._check_credentials("rpc", password) != uid
    ):
        raise AccessDenied()
    return env(user=uid, context={"lang": user.lang or "en_US", **(context or {})})


def _execute(env: Environment, db: str, uid: int, password: str, model: str, method: str, *args: Any) -> Any:
    return _execute_kw(env, db, uid, password, model, method, list(args), {})


def _execute_kw(
    env: Environment,
    db: str,
    uid: int,
    password: str,
    model: str,
    method: str,
    args: list | None = None,
    kwargs: dict | None = None,
) -> Any:
    kwargs = dict(kwargs or {})
    if not isinstance(args or [], list) or not isinstance(kwargs, dict):
        raise RpcError("execute_kw takes the arguments as a list and the keyword arguments as a dict")
    user_env = _user_env(env, db, uid, password, kwargs.pop("context", None))
    if not isinstance(model, str) or model not in user_env:
        raise RpcError(f"Object {model} doesn't exist")
    records = user_env[model]
    on_model = _callable_on_model(records, method)
    args = list(args or [])
    if on_model:
        result = getattr(records, method)(*args, **kwargs)
        if method == "create" and args and isinstance(args[0], dict) and isinstance(result, BaseModel):
            return result.id
        return result
    if not args:
        raise RpcError(f"{model}.{method} needs the ids of the records as first argument")
    ids = args[0] if isinstance(args[0], list) else [args[0]]
    if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):  # True is an int to Python
        raise RpcError("record ids must be integers")
    return getattr(records.browse(ids), method)(*args[1:], **kwargs)


def _callable_on_model(records: BaseModel, method: str) -> bool:
    """Whether ``method`` works on the model (else on records); refuses private and internal methods."""
    if not isinstance(method, str) or method.startswith("_"):
        raise AccessError(f"Private methods (such as {method}) cannot be called remotely.")
    if method in ORM_METHODS:
        return ORM_METHODS[method]
    function = getattr(type(records), method, None)
    if function is None or not callable(function) or hasattr(BaseModel, method):
        raise RpcError(f"The method '{method}' does not exist on the model '{records._name}'")
    return bool(getattr(function, "_api_model", False))


def to_wire(value: Any) -> Any:
    """Values as Odoo's RPC sends them: recordsets as ids, dates as strings, no None (False instead)."""
    if isinstance(value, BaseModel):
        return value.ids
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dict):
        return {str(k): to_wire(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_wire(v) for v in value]
    if value is None:
        return False
    return value
