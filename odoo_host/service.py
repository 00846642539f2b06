"""Odoo's external API: the ``common`` service (``version``, ``login``, ``authenticate``), the ``db`` service
(``list``, ``server_version``, ``db_exist``) and the ``object`` service (``execute_kw``, ``execute``), shared by
XML-RPC (``/xmlrpc/2/...``, ``/xmlrpc/...``) and JSON-RPC (``/jsonrpc``); ``call_kw`` serves the web client's
``/web/dataset/call_kw`` too. docs/external-api.md says what a client library may call.

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
    "name_get": False,
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
    handlers = SERVICES.get(service)
    if handlers is None:
        raise RpcError(f"Unknown service '{service}': use 'common', 'db' or 'object'")
    if method not in handlers:
        raise RpcError(f"Unknown method '{method}' of service '{service}'")
    try:
        return to_wire(handlers[method](env, *args))
    except TypeError as exc:
        raise RpcError(f"Wrong arguments for {service}.{method}: {exc}") from exc


def version_info(env: Environment | None = None) -> dict:
    """``common.version`` and ``/web/webclient/version_info``: the answer of Odoo 17.0."""
    return {
        "server_version": SERVER_VERSION,
        "server_version_info": [17, 0, 0, "final", 0, ""],
        "server_serie": SERVER_VERSION,
        "protocol_version": 1,
    }


def db_list(env: Environment, document: bool = False) -> list[str]:
    """The databases a client may log in to: this server serves one, the registry's."""
    return [env.registry.db_name]


def _db_exist(env: Environment, db_name: str) -> bool:
    return db_name == env.registry.db_name


def _server_version(env: Environment) -> str:
    return SERVER_VERSION


def check_db(env: Environment, db: str) -> None:
    if db != env.registry.db_name:
        raise AccessDenied(
            f"Database '{db}' does not exist on this server (it serves '{env.registry.db_name}')"
        )


def _authenticate(
    env: Environment, db: str, login: str, password: str, user_agent_env: Any = None
) -> int | bool:
    check_db(env, db)
    try:
        return env["res.users"].sudo()._login(login, password, api_key_scope="rpc")
    except AccessDenied:
        return False


def _login(env: Environment, db: str, login: str, password: str) -> int | bool:
    return _authenticate(env, db, login, password)


def _user_env(env: Environment, db: str, uid: int, password: str) -> Environment:
    check_db(env, db)
    if not isinstance(uid, int) or not isinstance(password, str):
        raise AccessDenied()
    user = env["res.users"].sudo().browse(uid)
    if (  # a missing or archived user has neither a password nor a key that works
        not user._check_password(password)
        and env["res.users.apikeys"].sudo()._check_credentials("rpc", password) != uid
    ):
        raise AccessDenied()
    return env(user=uid, context={"lang": user.lang or "en_US"})  # the call's own context: call_kw adds it


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
    return call_kw(_user_env(env, db, uid, password), model, method, args or [], kwargs or {})


def call_kw(env: Environment, model: str, method: str, args: list, kwargs: dict) -> Any:
    """``model.method(*args, **kwargs)`` as ``env``'s user, for the methods a client may call remotely."""
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise RpcError("the arguments are a list and the keyword arguments a dict")
    context = kwargs.pop("context", None) or {}
    if not isinstance(context, dict):
        raise RpcError("the context is a dict, such as {'lang': 'nl_NL'}")
    env = env(context={**env.context, **context})
    if not isinstance(model, str) or model not in env:
        raise RpcError(f"Object {model} doesn't exist")
    records = env[model]
    on_model = _callable_on_model(records, method)
    args = list(args)
    if not on_model:
        if not args:
            raise RpcError(f"{model}.{method} needs the ids of the records as first argument")
        ids = args.pop(0)
        ids = ids if isinstance(ids, list) else [ids]
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):  # True is an int to Python
            raise RpcError("record ids must be integers")
        records = records.browse(ids)
    try:
        result = getattr(records, method)(*args, **kwargs)
    except TypeError as exc:  # the caller's arguments do not fit the method
        raise RpcError(f"Wrong arguments for {model}.{method}: {exc}") from exc
    if on_model and method == "create" and args and isinstance(args[0], dict) and isinstance(result, BaseModel):
        return result.id
    return result


SERVICES: dict[str, dict[str, Any]] = {
    "common": {"version": version_info, "login": _login, "authenticate": _authenticate},
    "db": {"list": db_list, "server_version": _server_version, "db_exist": _db_exist},
    "object": {"execute_kw": _execute_kw, "execute": _execute},
}


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
