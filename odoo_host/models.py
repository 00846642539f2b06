"""Models and recordsets: ``models.Model`` (a table), ``models.AbstractModel`` (methods only), as in Odoo.

An addon declares classes; the registry combines every class of one ``_name`` (the first declaration and its
``_inherit`` extensions, in load order) into one class per database, so ``super()`` goes through the chain. An
instance of that class is a recordset: an environment and a tuple of ids.
"""

# ruff: noqa: S608 (identifiers come from declared fields and go through quote(); values are parameters)

from __future__ import annotations

import operator as py_operator
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2

from . import domains
from . import fields as F
from .domains import quote
from .exceptions import AccessError, MissingError, UserError, ValidationError

PREFETCH_MAX = 1000
ACCESS_WORDS = {"read": "read", "write": "modify", "create": "create", "unlink": "delete"}


def module_of(python_module: str) -> str | None:
    """The addon a Python module belongs to: ``odoo.addons.iot_https.models.iot_box`` -> ``iot_https`` (the host's
    own ``base`` is ``odoo_host.addons.base``); None for a module of no addon."""
    parts = python_module.split(".")
    if parts[0] in ("odoo", "odoo_host") and len(parts) > 2 and parts[1] == "addons":
        return parts[2]
    return None


class MetaModel(type):
    """Records each model class declared by an addon, so that the registry finds the classes of a module."""

    module_to_models: dict[str, list[type]] = defaultdict(list)

    def __init__(cls, name: str, bases: tuple, attrs: dict) -> None:
        super().__init__(name, bases, attrs)
        if not attrs.get("_register", True):
            return
        module = module_of(attrs.get("__module__", ""))
        if module is None:
            return
        cls._module = module
        MetaModel.module_to_models[module].append(cls)


class BaseModel(metaclass=MetaModel):
    """The recordset behaviour shared by all models."""

    _register = False
    _name: str | None = None
    _inherit: str | list | None = None
    _description: str | None = None
    _order = "id"
    _rec_name: str | None = None
    _auto = False  # has a table
    _abstract = True
    _log_access = True
    _sql_constraints: list = []
    _table = ""
    _module = ""
    _fields: dict[str, F.Field] = {}
    _constraint_methods: list = []

    def __init__(self, env: Any, ids: tuple = (), prefetch_ids: tuple | None = None) -> None:
        self.env = env
        self._ids = tuple(ids)
        self._prefetch_ids = self._ids if prefetch_ids is None else prefetch_ids

    # -- the recordset as a collection -----------------------------------------------------------------------
    def browse(self, ids: Any = ()) -> BaseModel:
        if isinstance(ids, int):
            ids = (ids,)
        return type(self)(self.env, tuple(i for i in (ids or ()) if i))

    def _with_prefetch(self, other: BaseModel, field: F.Field) -> BaseModel:
        """This Many2one value of ``other``, prefetched with the values of ``field`` of ``other``'s batch: the
        names of a list's 80 owners come in one query, not 80."""
        model_cache = other._cache_of(field)
        batch = {
            value for record_id in other._prefetch_ids
            if (value := model_cache.get(record_id, {}).get(field.name))
        }
        return type(self)(self.env, self._ids, tuple(batch | set(self._ids)))

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    @property
    def id(self) -> int | bool:
        if not self._ids:
            return False
        self.ensure_one()
        return self._ids[0]

    def __iter__(self) -> Iterator[BaseModel]:
        cls = type(self)
        for record_id in self._ids:
            yield cls(self.env, (record_id,), self._prefetch_ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __bool__(self) -> bool:
        return bool(self._ids)

    def __contains__(self, item: BaseModel) -> bool:
        return item.id in self._ids

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return getattr(self, key)
        if isinstance(key, slice):
            return type(self)(self.env, self._ids[key], self._prefetch_ids)
        return type(self)(self.env, (self._ids[key],), self._prefetch_ids)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, BaseModel) and self._name == other._name and set(self._ids) == set(other._ids)
        )

    def __hash__(self) -> int:
        return hash((self._name, frozenset(self._ids)))

    def __or__(self, other: BaseModel) -> BaseModel:
        return self.browse(list(dict.fromkeys(self._ids + other._ids)))

    def __and__(self, other: BaseModel) -> BaseModel:
        return self.browse([i for i in self._ids if i in set(other._ids)])

    def __sub__(self, other: BaseModel) -> BaseModel:
        return self.browse([i for i in self._ids if i not in set(other._ids)])

    def __repr__(self) -> str:
        return f"{self._name}{self._ids!r}"

    def ensure_one(self) -> BaseModel:
        if len(self._ids) != 1:
            raise ValueError(f"Expected singleton: {self!r}")
        return self

    def exists(self) -> BaseModel:
        if not self._ids:
            return self
        self.env.cr.execute(f"SELECT id FROM {quote(self._table)} WHERE id IN %s", (self._ids,))
        found = {row[0] for row in self.env.cr.fetchall()}
        return self.browse([i for i in self._ids if i in found])

    def mapped(self, func: str | Callable) -> Any:
        if callable(func):
            return [func(rec) for rec in self]
        records: Any = self
        for name in func.split("."):
            field = records._fields[name]
            if field.relational:
                comodel = records.env[field.comodel_name]
                ids: list[int] = []
                for rec in records:
                    ids.extend(rec[name].ids)
                records = comodel.browse(list(dict.fromkeys(ids)))
            else:
                return [rec[name] for rec in records]
        return records

    def filtered(self, func: str | Callable) -> BaseModel:
        if isinstance(func, str):
            name = func
            func = lambda rec: any(rec.mapped(name))  # noqa: E731
        return self.browse([rec.id for rec in self if func(rec)])

    def filtered_domain(self, domain: list) -> BaseModel:
        if not self:
            return self
        everything = self.with_context(active_test=False)  # filter these records, archived or not
        return self.browse(everything.search([("id", "in", self.ids)] + list(domain)).ids) & self

    def sorted(self, key: str | Callable | None = None, reverse: bool = False) -> BaseModel:
        if key is None:
            found = self.with_context(active_test=False).search([("id", "in", self.ids)], order=self._order)
            return self.browse(list(reversed(found.ids)) if reverse else found.ids)
        if isinstance(key, str):
            key = py_operator.attrgetter(key)
        return self.browse([rec.id for rec in sorted(self, key=key, reverse=reverse)])

    # -- environment changes ---------------------------------------------------------------------------------
    def with_env(self, env: Any) -> BaseModel:
        return type(self)(env, self._ids, self._prefetch_ids)

    def sudo(self, flag: bool = True) -> BaseModel:
        return self.with_env(self.env(su=flag))

    def with_user(self, user: Any) -> BaseModel:
        return self.with_env(self.env(user=user))

    def with_context(self, *args: dict, **kwargs: Any) -> BaseModel:
        context = dict(args[0]) if args else dict(self.env.context)
        context.update(kwargs)
        return self.with_env(self.env(context=context))

    # -- names -----------------------------------------------------------------------------------------------
    @classmethod
    def _rec_name_field(cls) -> str:
        if cls._rec_name:
            return cls._rec_name
        return "name" if "name" in cls._fields else "id"

    display_name = F.Char(
        string="Display Name", compute="_compute_display_name", search="_search_display_name"
    )

    def _compute_display_name(self) -> None:
        """The name lists, Many2one values and titles show; override it to show more, as in Odoo."""
        name_field = self._rec_name_field()
        for rec in self:
            value = rec[name_field] if name_field != "id" else None
            rec.display_name = str(value) if value else f"{rec._description or rec._name} #{rec.id}"

    def name_get(self) -> list[tuple[int, str]]:
        """``[(id, display name)]``: deprecated since Odoo 17 (read ``display_name``), kept for the scripts and
        client libraries that still call it."""
        self.check_access_rights("read")
        return [(rec.id, rec.display_name) for rec in self]

    def _search_display_name(self, operator: str, value: Any) -> list:
        return [(self._rec_name_field(), operator, value)]

    # -- hooks -----------------------------------------------------------------------------------------------
    def _register_hook(self) -> None:
        """Called on each model once per ``iot-server serve``, before it listens (as Odoo calls it once the
        registry is ready): override it, calling ``super()``, for what the server must do at every start."""

    # -- access rights ---------------------------------------------------------------------------------------
    def check_access_rights(self, operation: str, raise_exception: bool = True) -> bool:
        """May the environment's user ``read``/``write``/``create``/``unlink`` records of this model?"""
        if self.env.su:
            return True
        key = (self.env.uid, self._name, operation)
        allowed = self.env.transaction.access.get(key)
        if allowed is None:
            allowed = self.env["ir.model.access"].sudo()._allowed(self.env.uid, self._name, operation)
            self.env.transaction.access[key] = allowed
        if not allowed and raise_exception:
            raise AccessError(
                self.env.translate("You are not allowed to %s '%s' (%s) records.")
                % (
                    self.env.translate(ACCESS_WORDS[operation]),
                    self.env.translate(self._description or self._name),
                    self._name,
                )
            )
        return allowed

    # -- reading ---------------------------------------------------------------------------------------------
    def _cache_of(self, field: F.Field) -> dict[int, dict[str, Any]]:
        """This model's part of the transaction cache that holds ``field``."""
        transaction = self.env.transaction
        store = transaction.cache if field.store and field.column_type else transaction.volatile
        return store.setdefault(self._name, {})

    def _get_cache_value(self, field: F.Field) -> Any:
        record_cache = self._cache_of(field).get(self._ids[0])
        if record_cache is None or field.name not in record_cache:
            self._fetch(field)
            record_cache = self._cache_of(field).get(self._ids[0])
            if record_cache is None or field.name not in record_cache:
                raise MissingError(
                    self.env.translate("Record does not exist or has been deleted.")
                    + f" (Record: {self._name}({self._ids[0]},))"
                )
        return record_cache[field.name]

    def _set_cache_value(self, field: F.Field, value: Any) -> None:
        self._cache_of(field).setdefault(self._ids[0], {})[field.name] = value

    def _cache_written(self, columns: dict[str, Any]) -> None:
        """Keep the cache of these records in step with the columns just written."""
        model_cache = self.env.cache.get(self._name, {})
        for record_id in self._ids:
            values = model_cache.get(record_id)
            if values is not None:
                values.update(columns)
                values.pop("write_date", None)
        self.env.transaction.after_write()

    def _prefetch_batch(self, field: F.Field) -> tuple[int, ...]:
        """This record and up to PREFETCH_MAX records of its batch that do not hold ``field`` yet."""
        model_cache = self._cache_of(field)
        batch = [self._ids[0]]
        for record_id in self._prefetch_ids:
            if len(batch) >= PREFETCH_MAX:
                break
            if record_id != self._ids[0] and field.name not in model_cache.get(record_id, {}):
                batch.append(record_id)
        return tuple(batch)

    def _fetch(self, field: F.Field) -> None:
        batch = self._prefetch_batch(field)
        if field.compute and not field.store:
            self.browse(batch)._compute_field(field)
        elif field.type in ("one2many", "many2many"):
            self.browse(batch)._fetch_x2many(field)
        else:
            self.browse(batch)._fetch_columns()

    def _column_fields(self) -> list[F.Field]:
        return [f for f in self._fields.values() if f.store and f.column_type]

    def _fetch_columns(self) -> None:
        """Read every column of these records in one query into the cache."""
        self.check_access_rights("read")
        columns = self._column_fields()
        select = ", ".join(quote(f.name) for f in columns)
        self.env.cr.execute(f"SELECT id, {select} FROM {quote(self._table)} WHERE id IN %s", (self._ids,))
        self._cache_rows(columns, self.env.cr.fetchall())

    def _cache_rows(self, columns: list[F.Field], rows: list[tuple]) -> list[int]:
        """Put rows of ``(id, *columns)`` in the cache; their ids, in order."""
        model_cache = self.env.cache.setdefault(self._name, {})
        for row in rows:
            values = model_cache.setdefault(row[0], {})
            for field, value in zip(columns, row[1:], strict=True):
                values[field.name] = value
            values["id"] = row[0]
        return [row[0] for row in rows]

    def _fetch_x2many(self, field: F.Field) -> None:
        """The related ids of these records, in one query: the comodel's rows pointing at them (One2many) or
        the rows of the relation table (Many2many)."""
        comodel = self.env[field.comodel_name]
        comodel.check_access_rights("read")
        if field.type == "one2many":
            inverse = quote(field.inverse_name)
            query = (f"SELECT {inverse}, id FROM {quote(comodel._table)} WHERE {inverse} IN %s "
                     f"ORDER BY {comodel._order_by(None)}")
        else:
            left, right = quote(field.column1), quote(field.column2)
            query = f"SELECT {left}, {right} FROM {quote(field.relation)} WHERE {left} IN %s ORDER BY {right}"
        self.env.cr.execute(query, (self._ids,))
        related: dict[int, list[int]] = {i: [] for i in self._ids}
        for record_id, other_id in self.env.cr.fetchall():
            related[record_id].append(other_id)
        for rec in self:
            rec._set_cache_value(field, tuple(related[rec.id]))

    def _compute_field(self, field: F.Field) -> None:
        """Run the compute method of ``field`` (and of the fields sharing it) on these records, into the
        cache."""
        shared = [f for f in self._fields.values() if f.compute == field.compute]
        with self.env.computing(shared):
            getattr(self, field.compute)()
        for rec in self:
            for f in shared:  # a compute that assigned nothing means "empty"
                rec._cache_of(f).setdefault(rec.id, {}).setdefault(f.name, None)

    def read(self, fields: list[str] | None = None, load: str | bool = "_classic_read") -> list[dict]:
        """The rows as dicts; a Many2one is ``(id, display name)``, or its id alone when ``load`` is not
        ``"_classic_read"`` (as client libraries ask with ``load="_classic_write"``)."""
        self.check_access_rights("read")
        names = self._check_field_names(fields or [n for n, f in self._fields.items() if self._readable(f)])
        # The rows not in the cache yet, in one query; what it does not find no longer exists (as exists()
        # would tell, in the same round trip).
        model_cache = self.env.cache.get(self._name, {})
        if missing := [i for i in self._ids if i not in model_cache]:
            self.browse(missing)._fetch_columns()
            model_cache = self.env.cache.get(self._name, {})
        result = []
        for rec in self:
            if rec.id not in model_cache:
                continue
            row = {"id": rec.id}
            for name in names:
                field = self._fields[name]
                value = field.convert_to_read(rec._get_cache_value(field), rec)
                row[name] = value[0] if load != "_classic_read" and field.type == "many2one" and value else value
            result.append(row)
        return result

    def _readable(self, field: F.Field) -> bool:
        return (
            not field.groups
            or self.env.su
            or (field.groups != F.NO_ACCESS and any(self.env.user.has_group(g) for g in field.groups.split(",")))
        )

    def _check_field_names(self, names: list[str]) -> list[str]:
        for name in names:
            if name not in self._fields:
                raise ValidationError(f"Invalid field '{name}' on model '{self._name}'")
            if not self._readable(self._fields[name]):
                raise AccessError(f"You are not allowed to access the field '{name}' of '{self._name}'")
        return [n for n in names if n != "id"]

    def fields_get(self, allfields: list[str] | None = None, attributes: list[str] | None = None) -> dict:
        result = {}
        for name, field in self._fields.items():
            if (allfields and name not in allfields) or not self._readable(field):
                continue
            description = field.get_description(self.env)
            result[name] = {k: v for k, v in description.items() if not attributes or k in attributes}
        return result

    # -- searching -------------------------------------------------------------------------------------------
    def _where(self, domain: list | None) -> tuple[str, list]:
        domain = list(domain or [])
        if "active" in self._fields and self.env.context.get("active_test", True):
            mentioned = {t[0] for t in domain if domains.is_leaf(t)}
            if "active" not in mentioned:
                domain = [("active", "=", True)] + domain
        return domains.to_sql(self, domain)

    def _order_by(self, order: str | None) -> str:
        """A safe ORDER BY clause from ``"name desc, id"``: only stored fields, only asc/desc."""
        parts = []
        for item in (order or self._order or "id").split(","):
            words = item.strip().lower().split()
            if not words:
                continue
            name, direction = words[0], (words[1] if len(words) > 1 else "asc")
            field = self._fields.get(name)
            if (
                field is None
                or not (field.store and (field.column_type or name == "id"))
                or direction not in ("asc", "desc")
            ):
                raise ValidationError(f"Invalid order '{item.strip()}' for model {self._name}")
            nulls = " NULLS LAST" if direction == "asc" else " NULLS FIRST"
            parts.append(f"{quote(self._table)}.{quote(name)} {direction.upper()}{nulls}")
        if not any(p.startswith(f'{quote(self._table)}."id" ') for p in parts):
            parts.append(f'{quote(self._table)}."id" ASC')  # stable pages
        return ", ".join(parts)

    def search(
        self,
        domain: list | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
        count: bool = False,
    ) -> Any:
        if count:
            return self.search_count(domain)
        return self.search_fetch(domain, [], offset=offset, limit=limit, order=order)

    def search_fetch(
        self,
        domain: list | None,
        field_names: list[str],
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> Any:
        """``search``, reading the stored fields ``field_names`` of the records found in the same query (Odoo
        17's ``search_fetch``): one round trip where ``search`` and a read would take two."""
        self.check_access_rights("read")
        if not (isinstance(offset, int) and isinstance(limit, int | None) and isinstance(order, str | None)):
            raise ValidationError("search takes whole numbers as offset and limit, an order like 'name'")
        columns = [
            field
            for field in (self._fields[name] for name in self._check_field_names(field_names))
            if field.store and field.column_type
        ]
        where, params = self._where(domain)
        table = quote(self._table)
        select = "".join(f", {table}.{quote(field.name)}" for field in columns)
        query = f"SELECT {table}.id{select} FROM {table} WHERE {where} ORDER BY {self._order_by(order)}"
        if limit:
            query += " LIMIT %s"
            params = params + [int(limit)]
        if offset:
            query += " OFFSET %s"
            params = params + [int(offset)]
        self.env.cr.execute(query, params)
        return self.browse(self._cache_rows(columns, self.env.cr.fetchall()))

    def search_count(self, domain: list | None = None, limit: int | None = None) -> int:
        self.check_access_rights("read")
        where, params = self._where(domain)
        self.env.cr.execute(f"SELECT COUNT(*) FROM {quote(self._table)} WHERE {where}", params)
        return self.env.cr.fetchone()[0]

    def search_read(
        self,
        domain: list | None = None,
        fields: list[str] | None = None,
        offset: int = 0,
        limit: int | None = None,
        order: str | None = None,
    ) -> list[dict]:
        return self.search(domain, offset=offset, limit=limit, order=order).read(fields)

    def name_search(
        self, name: str = "", args: list | None = None, operator: str = "ilike", limit: int = 100
    ) -> list[tuple[int, str]]:
        domain = list(args or []) + ([(self._rec_name_field(), operator, name)] if name else [])
        return [(rec.id, rec.display_name) for rec in self.search(domain, limit=limit)]

    # -- writing ---------------------------------------------------------------------------------------------
    def default_get(self, fields_list: list[str]) -> dict:
        result = {}
        for name in fields_list:
            if f"default_{name}" in self.env.context:
                result[name] = self.env.context[f"default_{name}"]
            elif name in self._fields and self._fields[name].default is not None:
                result[name] = self._fields[name].default_value(self)
        return result

    def _check_writable(self, vals: dict) -> None:
        for name in vals:
            field = self._fields.get(name)
            if field is None:
                raise ValidationError(f"Invalid field '{name}' on model '{self._name}'")
            if field.compute and not field.store and not field.type.endswith("2many"):
                raise ValidationError(f"Field '{name}' of '{self._name}' is computed and cannot be written")

    def _column_values(self, vals: dict) -> dict[str, Any]:
        return {
            name: field.convert_to_column(value, self)
            for name, value in vals.items()
            if (field := self._fields[name]).store and field.column_type
        }

    def _check_required(self, values: dict, names: list[str]) -> None:
        for name in names:
            field = self._fields[name]
            stored_input = field.store and field.column_type and not field.compute
            if field.required and stored_input and values.get(name) in (None, ""):
                raise ValidationError(
                    self.env.translate("The field '%s' is required.") % self.env.translate(field.string)
                )

    def create(self, vals_list: dict | list[dict]) -> BaseModel:
        """Create one record per dict; returns them. Stored computed fields and constraints run after."""
        vals_list = [vals_list] if isinstance(vals_list, dict) else list(vals_list)
        self.check_access_rights("create")
        ids = []
        for vals in vals_list:
            vals = {**self.default_get([n for n in self._fields if n not in vals]), **vals}
            vals = {
                k: v
                for k, v in vals.items()
                if k not in ("id", "create_uid", "create_date", "write_uid", "write_date")
            }
            self._check_writable(vals)
            columns = self._column_values(vals)
            self._check_required(columns, [n for n, f in self._fields.items() if f.required])
            if self._log_access:
                columns.update(create_uid=self.env.uid, write_uid=self.env.uid)
            names = list(columns)
            magic = ", create_date, write_date" if self._log_access else ""
            magic_values = (
                ", (now() at time zone 'UTC'), (now() at time zone 'UTC')" if self._log_access else ""
            )
            query = (
                f"INSERT INTO {quote(self._table)} ({', '.join(quote(n) for n in names)}{magic}) "
                f"VALUES ({', '.join(['%s'] * len(names))}{magic_values}) RETURNING id"
            )
            if not names and not magic:
                query = f"INSERT INTO {quote(self._table)} DEFAULT VALUES RETURNING id"
            record = self.browse(self._execute_checked(query, [columns[n] for n in names])[0][0])
            record._write_x2many(vals)
            ids.append(record.id)
        records = self.browse(ids)
        self.env.transaction.after_write()
        stored_computed = [f for f in self._fields.values() if f.compute and f.store]
        if stored_computed:
            records._recompute(stored_computed)
        records._after_change(set().union(*(v.keys() for v in vals_list)) | {"id"})
        return records

    def write(self, vals: dict) -> bool:
        if not self._ids:
            return True
        self.check_access_rights("write")
        self._check_writable(vals)
        previous = self._dependents(set(vals), include_self=False)
        columns = self._column_values(vals)
        self._check_required(columns, [n for n in columns if self._fields[n].required])
        if self._log_access:
            columns["write_uid"] = self.env.uid
        computed = self._computed_along(columns, set(vals)) if len(self._ids) == 1 else {}
        columns.update(computed)
        if columns:
            assignments = ", ".join(f"{quote(n)} = %s" for n in columns)
            magic = ", write_date = (now() at time zone 'UTC')" if self._log_access else ""
            try:
                self._execute_checked(
                    f"UPDATE {quote(self._table)} SET {assignments}{magic} WHERE id IN %s",
                    [*columns.values(), self._ids],
                )
            except ValidationError:
                self.env.invalidate_all()  # the cache may hold what was computed for the refused values
                raise
        self._cache_written(columns)
        for rec in self:
            rec._write_x2many(vals)
        self._after_change(set(vals) | set(computed), previous, done=set(computed))
        return True

    def _computed_along(self, columns: dict[str, Any], names: set[str]) -> dict[str, Any]:
        """For a write of one record: its stored computed fields that depend only on its own fields among
        ``names``, computed now from the new values so that the same UPDATE saves them (one round trip, not
        two). Returns their column values."""
        fields = {
            target_field
            for name in names
            for target_model, target_field, path in self.env.registry.triggers.get((self._name, name), ())
            if target_model == self._name and not path and target_field.column_type
            and not any("." in dependency for dependency in target_field.depends)
        }
        if not fields:
            return {}
        record = self.sudo()  # as _recompute: computing is not the user's doing
        any_column = next(f for f in self._fields.values() if f.store and f.column_type)
        record._get_cache_value(any_column)  # the row is in the cache ...
        self.env.cache[self._name][self.id].update(columns)  # ... with the new values
        for field in fields:
            record._compute_field(field)
        return {f.name: f.convert_to_column(record._get_cache_value(f), record) for f in fields}

    def unlink(self) -> bool:
        if not self._ids:
            return True
        self.check_access_rights("unlink")
        dependents = self._dependents(set(self._fields), include_self=False)
        try:
            self._execute_checked(f"DELETE FROM {quote(self._table)} WHERE id IN %s", [self._ids])
        except ValidationError as exc:
            raise UserError(
                self.env.translate("The record cannot be deleted: other records still refer to it.")
            ) from exc
        self.env.invalidate_all()
        for target, target_fields in dependents:
            target = target.exists()
            if target:
                target._recompute(target_fields)
        return True

    def _execute_checked(self, query: str, params: list) -> list[tuple]:
        """Execute a write (returning its rows, if any); a broken SQL constraint becomes a ValidationError and
        leaves the transaction usable."""
        cr = self.env.cr
        returning = " RETURNING " in query
        # One round trip: the savepoint, the statement and (unless rows come back) the release.
        statements = f"SAVEPOINT model_write; {query}" + (
            "" if returning else "; RELEASE SAVEPOINT model_write"
        )
        try:
            cr.execute(statements, params)
            rows = cr.fetchall() if returning else []
        except psycopg2.IntegrityError as exc:
            cr.execute("ROLLBACK TO SAVEPOINT model_write")
            raise ValidationError(self._constraint_message(exc)) from None
        if returning:
            cr.execute("RELEASE SAVEPOINT model_write")
        return rows

    def _constraint_message(self, exc: psycopg2.IntegrityError) -> str:
        name = getattr(exc.diag, "constraint_name", None) or ""
        for key, _definition, message in self._sql_constraints:
            if name == f"{self._table}_{key}":
                return self.env.translate(message)
        if exc.pgcode == "23502":  # not null
            field = self._fields.get(getattr(exc.diag, "column_name", "") or "")
            label = self.env.translate(field.string) if field else exc.diag.column_name
            return self.env.translate("The field '%s' is required.") % label
        if exc.pgcode == "23503":
            return self.env.translate(
                "The operation refers to a record that does not exist or is still in use."
            )
        return self.env.translate("The operation breaks a rule of the database.")

    def _write_x2many(self, vals: dict) -> None:
        """Apply Odoo's x2many commands (``[(6, 0, ids)]``, ``[(4, id)]``, ...) or a plain list of ids."""
        for name, value in vals.items():
            field = self._fields[name]
            if field.type not in ("one2many", "many2many") or (field.compute and not field.store):
                continue
            comodel = self.env[field.comodel_name]
            commands = value if value and isinstance(value[0], list | tuple) else [F.Command.set(value or [])]
            for command in commands:
                code = command[0]
                if code == F.Command.CREATE:
                    extra = {field.inverse_name: self.id} if field.type == "one2many" else {}
                    created = comodel.create({**command[2], **extra})
                    if field.type == "many2many":
                        self._m2m_link(field, created.ids)
                elif code == F.Command.UPDATE:
                    comodel.browse(command[1]).write(command[2])
                elif code == F.Command.DELETE:
                    comodel.browse(command[1]).unlink()
                elif field.type == "one2many":
                    self._o2m_command(field, comodel, command)
                else:
                    self._m2m_command(field, command)

    def _o2m_command(self, field: F.One2many, comodel: BaseModel, command: tuple) -> None:
        code = command[0]
        if code == F.Command.LINK:
            comodel.browse(command[1]).write({field.inverse_name: self.id})
        elif code == F.Command.UNLINK:
            comodel.browse(command[1]).write({field.inverse_name: False})
        elif code in (F.Command.CLEAR, F.Command.SET):
            keep = list(command[2]) if code == F.Command.SET else []
            current = comodel.with_context(active_test=False).search([(field.inverse_name, "=", self.id)])
            (current - comodel.browse(keep)).write({field.inverse_name: False})
            comodel.browse(keep).write({field.inverse_name: self.id})

    def _m2m_command(self, field: F.Many2many, command: tuple) -> None:
        code = command[0]
        cr = self.env.cr
        if code in (F.Command.UNLINK, F.Command.CLEAR, F.Command.SET):
            condition, params = (
                (f" AND {quote(field.column2)} = %s", [command[1]]) if code == F.Command.UNLINK else ("", [])
            )
            cr.execute(
                f"DELETE FROM {quote(field.relation)} WHERE {quote(field.column1)} = %s{condition}",
                [self.id, *params],
            )
        if code == F.Command.LINK:
            self._m2m_link(field, [command[1]])
        elif code == F.Command.SET:
            self._m2m_link(field, list(command[2]))

    def _m2m_link(self, field: F.Many2many, ids: list[int]) -> None:
        for other_id in ids:
            self.env.cr.execute(
                f"INSERT INTO {quote(field.relation)} ({quote(field.column1)}, {quote(field.column2)}) "
                f"VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (self.id, other_id),
            )

    # -- stored computed fields and constraints ------------------------------------------------------------
    def _after_change(
        self, names: set[str], previous: list | None = None, done: set[str] = frozenset()
    ) -> None:
        """Recompute what depends on fields ``names`` of these records (and what depended on them before the
        change: a box moved to another owner changes both owners; ``done``: fields of these records already
        computed), then check the constraints."""
        for target, target_fields in [*(previous or []), *self._dependents(names, include_self=True)]:
            if done and target._name == self._name and set(target._ids) == set(self._ids):
                target_fields = [f for f in target_fields if f.name not in done]
            if target_fields:
                target._recompute(target_fields)
        for constraint_fields, method_name in self._constraint_methods:
            if names & set(constraint_fields) or "id" in names:
                getattr(self, method_name)()

    def _dependents(self, names: set[str], include_self: bool) -> list[tuple[BaseModel, list[F.Field]]]:
        """The records whose stored computed fields depend on fields ``names`` of these records."""
        result = []
        by_target: dict[tuple[str, str], list[F.Field]] = defaultdict(list)
        for name in names:
            for target_model, target_field, path in self.env.registry.triggers.get((self._name, name), ()):
                if path or include_self:
                    by_target[(target_model, path)].append(target_field)
        for (target_model, path), target_fields in by_target.items():
            model = self.env[target_model].sudo().with_context(active_test=False)
            targets = model.search([(path, "in", self.ids)]) if path else self.sudo()
            if targets:
                result.append((targets, list(dict.fromkeys(target_fields))))
        return result

    def _recompute(self, fields: list[F.Field]) -> None:
        """Compute stored fields on these records and save them, without going through access rights."""
        records = self.sudo()
        for field in fields:
            records._compute_field(field)
        values_by_record = {rec.id: {f.name: rec._get_cache_value(f) for f in fields} for rec in records}
        for record_id, values in values_by_record.items():
            record = records.browse(record_id)
            columns = record._column_values(values)
            if columns:
                assignments = ", ".join(f"{quote(n)} = %s" for n in columns)
                record._execute_checked(
                    f"UPDATE {quote(self._table)} SET {assignments} WHERE id = %s",
                    [*columns.values(), record_id],
                )
                record._cache_written(columns)
            record._write_x2many({f.name: values[f.name] for f in fields if not f.column_type})
        records._after_change({f.name for f in fields} - {"id"})


class Model(BaseModel):
    """A model with a table."""

    _register = False
    _auto = True
    _abstract = False


class AbstractModel(BaseModel):
    """Methods (and fields for the models that inherit it) without a table of its own."""

    _register = False
