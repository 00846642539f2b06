"""One database with its installed addons: the combined model classes, the triggers of stored computed fields,
the translations and the controllers; ``install`` creates or upgrades the schema and loads the data files."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from typing import Any

import psycopg2

from . import data, db, schema
from . import fields as F
from . import modules as M
from .api import SUPERUSER_ID, Environment, Transaction
from .i18n import Translations
from .models import BaseModel, MetaModel

_logger = logging.getLogger(__name__)
MAGIC_FIELDS = ("create_uid", "create_date", "write_uid", "write_date")


class Registry:
    """The models of one database; ``Registry.open(dsn, addons_path)`` loads what is installed in it."""

    _registries: dict[tuple[str, tuple], Registry] = {}
    _lock = threading.Lock()

    def __init__(self, dsn: str, addons_path: list[str]) -> None:
        self.dsn = dsn
        self.addons_path = list(addons_path)
        self.db_name = psycopg2.extensions.parse_dsn(dsn).get("dbname", "")
        self.models: dict[str, type[BaseModel]] = {}
        self.triggers: dict[tuple[str, str], list[tuple[str, F.Field, str]]] = {}
        self.translations = Translations()
        self.manifests: list[M.Manifest] = []
        # External ids (and the reverse, record -> id) change only when data files load.
        self.xmlid_cache: dict = {}
        self.view_cache: dict = {}  # (model, view type, view id) -> arch, emptied when a view changes
        # Set by HttpCase: requests then run inside the test's transaction.
        self.test_cr: db.Cursor | None = None
        self.test_lock = threading.RLock()

    @classmethod
    def open(cls, dsn: str, addons_path: list[str]) -> Registry:
        """The registry of the installed addons of this database (loaded once per process)."""
        key = (dsn, tuple(addons_path))
        with cls._lock:
            if key not in cls._registries:
                registry = cls(dsn, addons_path)
                registry.load()
                cls._registries[key] = registry
            return cls._registries[key]

    # -- cursors ---------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def cursor(self) -> Iterator[db.Cursor]:
        """A cursor of its own transaction: committed when the block ends normally, rolled back otherwise."""
        if self.test_cr is not None:
            with self._test_cursor() as cr:
                yield cr
            return
        pool = db.pool_for(self.dsn)
        conn = pool.getconn()
        broken = False
        try:
            cr = conn.cursor(cursor_factory=db.Cursor)
            cr.transaction = Transaction(self)
            try:
                yield cr
                conn.commit()
            except BaseException:
                if not conn.closed:
                    conn.rollback()
                raise
            finally:
                cr.close()
        except psycopg2.OperationalError:
            broken = True
            raise
        finally:
            pool.putconn(conn, broken=broken)

    @contextlib.contextmanager
    def _test_cursor(self) -> Iterator[db.Cursor]:
        """The test's cursor, one request at a time, each in a savepoint (rolled back with the test)."""
        cr = self.test_cr
        with self.test_lock:
            saved = cr.transaction
            cr.transaction = Transaction(self)
            cr.execute("SAVEPOINT test_request")
            try:
                yield cr
                cr.execute("RELEASE SAVEPOINT test_request")
            except BaseException:
                cr.execute("ROLLBACK TO SAVEPOINT test_request")
                raise
            finally:
                cr.transaction = saved
                saved.clear()

    # -- loading ---------------------------------------------------------------------------------------------
    def installed_modules(self, cr: Any) -> list[str]:
        cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
        if not cr.fetchone()[0]:
            return []
        cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY id")
        return [row[0] for row in cr.fetchall()]

    def load(self) -> None:
        with self.cursor() as cr:
            names = self.installed_modules(cr)
        if not names:
            raise M.ModuleError(
                f"database '{self.db_name}' has no addons installed: run `iot-server init` first"
            )
        found = M.available(self.addons_path)
        self._setup(M.resolve([n for n in names if n in found], found))
        with self.cursor() as cr:
            missing = schema.missing_columns(cr, [cls for cls in self.models.values() if cls._auto])
        if missing:
            columns = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
            raise M.ModuleError(
                f"the schema of database '{self.db_name}' is older than its addons (no column {columns}): "
                "run `iot-server init` to upgrade it"
            )

    def _setup(self, manifests: list[M.Manifest]) -> None:
        M.import_addons(manifests, self.addons_path)
        self.manifests = manifests
        self.models = build_models([m.name for m in manifests])
        if "ir.http" in self.models:
            from .http import check_auth_methods  # the web layer imports the registry's neighbours

            check_auth_methods(self.models["ir.http"])
        self.triggers = build_triggers(self.models)
        self.translations = Translations()
        for manifest in manifests:
            self.translations.load_module(manifest.name, manifest.path)

    def install(self, names: list[str], demo: bool = False) -> None:
        """Install or upgrade ``names`` (and what they depend on): schema, model list, data, demo data."""
        found = M.available(self.addons_path)
        with self.cursor() as cr:
            installed = set(self.installed_modules(cr))
        wanted = list(dict.fromkeys(["base", *installed, *names]))
        self._setup(M.resolve([n for n in wanted if n in found], found))
        with self.cursor() as cr:
            cr.execute("SELECT pg_advisory_xact_lock(7301)")  # two inits at once would race on the schema
            env = Environment(cr, SUPERUSER_ID, {})
            to_compute = schema.sync(cr, [env[name] for name in self.models])
            env["res.users"]._bootstrap_root()
            for model, fields in to_compute:
                model.with_context(active_test=False).search([])._recompute(fields)
            for manifest in self.manifests:
                self._install_module(env, manifest, demo, first=manifest.name not in installed)
        with self._lock:
            self._registries[(self.dsn, tuple(self.addons_path))] = self

    def _install_module(self, env: Environment, manifest: M.Manifest, demo: bool, first: bool) -> None:
        _logger.info("loading addon %s", manifest.name)
        env["ir.model"]._reflect(
            manifest.name,
            [cls for cls in MetaModel.module_to_models.get(manifest.name, ()) if "_name" in cls.__dict__],
        )
        for relative in manifest.data:
            data.load_file(env, manifest, relative)
        if demo:
            for relative in manifest.demo:
                data.load_file(env, manifest, relative)
        env["ir.module.module"]._mark_installed(manifest.name, manifest.version, demo)
        hook = M.post_init_hook(manifest)
        if first and hook:  # as in Odoo: after the first installation's data and demo data, not on upgrades
            hook(env)
        env.invalidate_all()

    def run_register_hooks(self) -> None:
        """Each model's ``_register_hook``, at server start. One that fails is logged and rolled back: the
        server starts without it rather than not at all."""
        with self.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            for name in self.models:
                cr.execute("SAVEPOINT register_hook")
                try:
                    env[name]._register_hook()
                except Exception:
                    cr.execute("ROLLBACK TO SAVEPOINT register_hook")
                    _logger.exception("the start hook of model %s failed; the server starts without it", name)
                else:
                    cr.execute("RELEASE SAVEPOINT register_hook")
                env.invalidate_all()


def build_models(module_names: list[str]) -> dict[str, type[BaseModel]]:
    """One class per model name from the classes the modules declare, extensions after what they extend."""
    chains: dict[str, list[type]] = {}
    for module in module_names:
        for cls in MetaModel.module_to_models.get(module, ()):
            own_name = cls.__dict__.get("_name")
            inherit = cls.__dict__.get("_inherit")
            parents = [inherit] if isinstance(inherit, str) else list(inherit or [])
            name = own_name or (parents[0] if parents else None)
            if name is None:
                raise M.ModuleError(f"{cls.__module__}.{cls.__name__}: a model needs _name or _inherit")
            chain: list[type] = []
            for parent in parents:
                if parent not in chains:
                    raise M.ModuleError(
                        f"{cls.__module__}.{cls.__name__}: model '{parent}' to inherit is unknown "
                        "(missing dependency in the manifest?)"
                    )
                chain += [c for c in chains[parent] if c not in chain]
            if name in chains and name not in parents:
                chain = chains[name] + chain
            chains[name] = chain + [cls]
    return {name: _combine(name, chain) for name, chain in chains.items()}


def _combine(name: str, chain: list[type]) -> type[BaseModel]:
    """The registry class: the chain's classes as bases, newest first, so ``super()`` goes down the chain."""
    bases = tuple(reversed(chain))
    attrs: dict[str, Any] = {"_register": False, "_name": name, "__module__": chain[0].__module__}
    cls = type(name.replace(".", "_"), bases, attrs)
    cls._table = name.replace(".", "_")
    cls._description = next(
        (c.__dict__["_description"] for c in reversed(chain) if "_description" in c.__dict__), name
    )
    declared: dict[str, F.Field] = {}
    for klass in reversed(cls.__mro__):
        for attr, value in vars(klass).items():
            if isinstance(value, F.Field):
                declared[attr] = value
    fields: dict[str, F.Field] = {}
    if cls._auto:
        fields["id"] = _copy_field(F.Id(string="ID"), "id", name)
        if cls._log_access:
            for magic, field in (
                ("create_uid", F.Many2one("res.users", string="Created by")),
                ("create_date", F.Datetime(string="Created on")),
                ("write_uid", F.Many2one("res.users", string="Last Updated by")),
                ("write_date", F.Datetime(string="Last Updated on")),
            ):
                fields[magic] = _copy_field(field, magic, name)
    for attr, field in declared.items():
        fields[attr] = _copy_field(field, attr, name)
    for field in fields.values():
        if field.name != "id":  # ``record.id`` stays the recordset's property, not a column read
            setattr(cls, field.name, field)
        if field.type == "many2many":
            field.setup_relation(cls._table, field.comodel_name.replace(".", "_"))
        if field.compute:
            method = getattr(cls, field.compute, None)
            if method is None:
                raise M.ModuleError(f"{name}.{field.name}: compute method '{field.compute}' not found")
            field.depends = tuple(getattr(method, "_depends", ()))
    cls._fields = fields
    cls._constraint_methods = [
        (method._constrains, attr)
        for attr in dir(cls)
        if callable(method := getattr(cls, attr, None)) and hasattr(method, "_constrains")
    ]
    return cls


def _copy_field(field: F.Field, name: str, model_name: str) -> F.Field:
    """Each registry class gets its own field objects: the same declaration can serve several databases."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    clone.name = name
    clone.model_name = model_name
    if clone.string is None:
        clone.__set_name__(None, name)
    return clone


def build_triggers(
    models: dict[str, type[BaseModel]],
) -> dict[tuple[str, str], list[tuple[str, F.Field, str]]]:
    """For each (model, field): the stored computed fields to recompute when it changes, and the dotted path
    from the computed field's model to the changed records (empty when they are the same records)."""
    triggers: dict[tuple[str, str], list[tuple[str, F.Field, str]]] = {}
    for model_name, cls in models.items():
        for field in cls._fields.values():
            if not (field.compute and field.store):
                continue
            for dependency in field.depends:
                current = cls
                names = dependency.split(".")
                for position, part in enumerate(names):
                    if part not in current._fields:
                        raise M.ModuleError(f"{field}: depends on unknown field '{dependency}'")
                    path = ".".join(names[:position])
                    triggers.setdefault((current._name, part), []).append((model_name, field, path))
                    step = current._fields[part]
                    if step.type == "one2many":  # moving a line to another parent changes the parent too
                        triggers.setdefault((step.comodel_name, step.inverse_name), []).append(
                            (model_name, field, ".".join(names[: position + 1]))
                        )
                    if not step.relational:
                        break
                    current = models[step.comodel_name]
    return triggers
