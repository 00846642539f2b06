"""The environment (cursor, user, context) through which records are reached, and the method decorators."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

SUPERUSER_ID = (
    1  # base.user_root, as in Odoo: it bypasses access rights; the admin login is base.user_admin (2)
)


def depends(*fnames: str) -> Callable:
    """The fields a computed field is computed from; a stored one is recomputed when they are written."""

    def decorate(method: Callable) -> Callable:
        method._depends = fnames
        return method

    return decorate


def constrains(*fnames: str) -> Callable:
    """Called after create/write of these fields; raises ValidationError to refuse the change."""

    def decorate(method: Callable) -> Callable:
        method._constrains = fnames
        return method

    return decorate


def model(method: Callable) -> Callable:
    """Marks a method that works on the model rather than on records (kept for Odoo's readability)."""
    method._api_model = True
    return method


class Transaction:
    """What the environments of one cursor share: the record cache and the access-right answers."""

    def __init__(self, registry: Any) -> None:
        self.registry = registry
        # model -> id -> field -> value: the columns as read or written (kept up to date by writes) ...
        self.cache: dict[str, dict[int, dict[str, Any]]] = {}
        # ... and what derives from other rows (non-stored computed fields, x2many), forgotten at every write.
        self.volatile: dict[str, dict[int, dict[str, Any]]] = {}
        self.access: dict[tuple, Any] = {}
        self.computing: set = set()

    def clear(self) -> None:
        self.cache.clear()
        self.after_write()

    def after_write(self) -> None:
        self.volatile.clear()
        self.access.clear()


class Environment:
    """``env["iot.box"]``, ``env.user``, ``env.cr``: the way to records, for one user, context and cursor."""

    def __init__(self, cr: Any, uid: int | None, context: dict | None = None, su: bool = False) -> None:
        if not hasattr(cr, "transaction"):
            raise RuntimeError("this cursor was not opened by a registry (use registry.cursor())")
        self.cr = cr
        self.uid = uid
        self.context = dict(context or {})
        self.su = su or uid == SUPERUSER_ID
        self.transaction: Transaction = cr.transaction
        self.registry = self.transaction.registry

    def __getitem__(self, model_name: str) -> Any:
        try:
            cls = self.registry.models[model_name]
        except KeyError:
            raise KeyError(f"no model '{model_name}' (is its addon installed?)") from None
        return cls(self, ())

    def __contains__(self, model_name: str) -> bool:
        return model_name in self.registry.models

    def __call__(
        self, cr: Any = None, user: Any = None, context: dict | None = None, su: bool | None = None
    ) -> Environment:
        uid = self.uid if user is None else (user.id if hasattr(user, "_ids") else user)
        return Environment(
            cr or self.cr,
            uid,
            self.context if context is None else context,
            self.su if su is None and user is None else bool(su),
        )

    # -- who and where -------------------------------------------------------------------------------------
    @property
    def user(self) -> Any:
        return self(su=True)["res.users"].browse(self.uid or ())

    @property
    def lang(self) -> str:
        return self.context.get("lang") or "en_US"

    @property
    def cache(self) -> dict:
        return self.transaction.cache

    def ref(self, xml_id: str, raise_if_not_found: bool = True) -> Any:
        """The record with this external id (``module.name``)."""
        return self["ir.model.data"]._xmlid_to_record(xml_id, raise_if_not_found)

    def translate(self, source: str | None, module: str | None = None) -> str:
        """``source`` in the environment's language, from the addons' ``i18n/<lang>.po`` files."""
        return self.registry.translations.translate(source, self.lang, module) if source else (source or "")

    # -- the cache -----------------------------------------------------------------------------------------
    def invalidate_all(self) -> None:
        """Forget cached record values (after raw SQL on the cursor, say)."""
        self.transaction.clear()

    def is_computing(self, field: Any) -> bool:
        return field in self.transaction.computing

    @contextlib.contextmanager
    def computing(self, fields: list) -> Iterator[None]:
        added = [f for f in fields if f not in self.transaction.computing]
        self.transaction.computing.update(added)
        try:
            yield
        finally:
            self.transaction.computing.difference_update(added)
