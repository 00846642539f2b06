"""Field declarations: what a model stores, how a value goes to and from its PostgreSQL column and the
records.

Three representations, as in Odoo: the *cache* value (what the database gives, e.g. an id for a Many2one, a
tuple of ids for x2many), the *record* value (what ``record.field`` returns: ``False`` for empty, a recordset
for relations) and the *read* value (what ``read()`` returns: ``(id, name)`` for a Many2one, a list of ids for
x2many)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .exceptions import ValidationError

NO_ACCESS = "."  # as Odoo 17's fields.NO_ACCESS: ``groups=NO_ACCESS`` is a field only sudo reads


class Command:
    """The x2many write commands, as Odoo's ``Command``: ``[(6, 0, ids)]`` or ``[Command.set(ids)]``."""

    CREATE, UPDATE, DELETE, UNLINK, LINK, CLEAR, SET = range(7)

    @classmethod
    def create(cls, values: dict) -> tuple:
        return (cls.CREATE, 0, values)

    @classmethod
    def update(cls, record_id: int, values: dict) -> tuple:
        return (cls.UPDATE, record_id, values)

    @classmethod
    def delete(cls, record_id: int) -> tuple:
        return (cls.DELETE, record_id, 0)

    @classmethod
    def unlink(cls, record_id: int) -> tuple:
        return (cls.UNLINK, record_id, 0)

    @classmethod
    def link(cls, record_id: int) -> tuple:
        return (cls.LINK, record_id, 0)

    @classmethod
    def clear(cls) -> tuple:
        return (cls.CLEAR, 0, 0)

    @classmethod
    def set(cls, ids: list[int]) -> tuple:
        return (cls.SET, 0, list(ids))


class Field:
    """A field of a model. ``store`` fields have a column; computed ones are stored only with ``store=True``.
    """

    type = ""
    column_type: str | None = None  # the SQL type, None for fields without a column of their own
    relational = False

    def __init__(self, string: str | None = None, **kwargs: Any) -> None:
        self.string = string
        self.required = kwargs.pop("required", False)
        self.readonly = kwargs.pop("readonly", False)
        self.index = kwargs.pop("index", False)
        self.default = kwargs.pop("default", None)
        self.help = kwargs.pop("help", None)
        self.compute = kwargs.pop("compute", None)
        self.search = kwargs.pop("search", None)
        self.groups = kwargs.pop("groups", None)
        self.store = kwargs.pop("store", self.compute is None)
        self.depends: tuple[str, ...] = ()
        self.name = ""
        self.model_name = ""
        # Odoo options the host has no use for (copy, domain, ...) are accepted and left aside.

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name
        if self.string is None:
            self.string = name.replace("_id", "").replace("_", " ").strip().title() if name != "id" else "ID"

    def __repr__(self) -> str:
        return f"{self.model_name}.{self.name}"

    # -- attribute access ------------------------------------------------------------------------------------
    def __get__(self, record: Any, owner: type) -> Any:
        if record is None:
            return self
        if not record._ids:
            return self.convert_to_record(None, record)
        record.ensure_one()
        return self.convert_to_record(record._get_cache_value(self), record)

    def __set__(self, record: Any, value: Any) -> None:
        if self.compute and (not self.store or record.env.is_computing(self)):
            for rec in record:
                rec._set_cache_value(self, self.convert_to_cache(value, rec))
        else:
            record.write({self.name: value})

    # -- conversions -----------------------------------------------------------------------------------------
    def convert_to_column(self, value: Any, record: Any) -> Any:
        """The SQL parameter for ``value`` given to ``create``/``write``."""
        value = self.convert_to_cache(value, record)
        return None if value is False else value

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        return None if value is False or value is None else value

    def convert_to_record(self, value: Any, record: Any) -> Any:
        return False if value is None else value

    def convert_to_read(self, value: Any, record: Any) -> Any:
        return self.convert_to_record(value, record)

    def default_value(self, model: Any) -> Any:
        return self.default(model) if callable(self.default) else self.default

    def get_description(self, env: Any) -> dict:
        """What ``fields_get`` tells about this field: the attributes Odoo 17 gives, for the options the host
        has (no custom, company-dependent or related fields here)."""
        sortable = bool(self.store and self.column_type) or self.name == "id"
        description = {
            "name": self.name,
            "type": self.type,
            "string": env.translate(self.string),
            "required": self.required,
            "readonly": self.readonly or bool(self.compute and not self.store),
            "store": self.store,
            "manual": False,
            "company_dependent": False,
            "change_default": False,
            "exportable": True,
            "depends": list(self.depends),
            "searchable": self.store or bool(self.search),
            "sortable": sortable,
            "groupable": sortable,
        }
        if self.help:
            description["help"] = env.translate(self.help)
        return description


class Char(Field):
    type = "char"
    column_type = "varchar"

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        return None if value is False or value is None else str(value)


class Text(Char):
    type = "text"
    column_type = "text"


class Html(Text):
    type = "html"


class _Scalar(Field):
    """Integer, Float, Boolean: never empty (0, 0.0, False), converted with ``cast``."""

    cast: Any = bool
    kind = ""

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        try:
            return self.cast(value or 0)
        except (TypeError, ValueError):
            raise ValidationError(f"{value!r} is not {self.kind} ({self!r})") from None

    def convert_to_record(self, value: Any, record: Any) -> Any:
        return value if value is not None else self.cast(0)


class Integer(_Scalar):
    type = "integer"
    column_type = "int4"
    cast = int
    kind = "a whole number"


class Float(_Scalar):
    type = "float"
    column_type = "float8"
    cast = float
    kind = "a number"


class Boolean(_Scalar):
    type = "boolean"
    column_type = "bool"
    cast = bool


class Date(Field):
    type = "date"
    column_type = "date"

    @staticmethod
    def to_date(value: Any) -> dt.date | None:
        if not value:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        return dt.date.fromisoformat(str(value)[:10])

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        return self.to_date(value)


class Datetime(Field):
    """A naive datetime in UTC, as in Odoo; aware values are converted to UTC, strings parsed (ISO 8601)."""

    type = "datetime"
    column_type = "timestamp"

    @staticmethod
    def now(*args: Any) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    @staticmethod
    def to_datetime(value: Any) -> dt.datetime | None:
        if not value:
            return None
        if isinstance(value, dt.datetime):
            result = value
        elif isinstance(value, dt.date):
            return dt.datetime(value.year, value.month, value.day)
        else:
            text = str(value).strip().replace("Z", "+00:00")
            try:
                result = dt.datetime.fromisoformat(text)
            except ValueError as exc:
                raise ValidationError(
                    f"'{value}' is not a date and time (expected ISO 8601, in UTC)"
                ) from exc
        if result.tzinfo is not None:
            result = result.astimezone(dt.UTC).replace(tzinfo=None)
        return result

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        return self.to_datetime(value)


class Selection(Field):
    """``selection`` is a list of ``(value, label)`` pairs, or a method name or function returning one."""

    type = "selection"
    column_type = "varchar"

    def __init__(self, selection: Any = None, string: str | None = None, **kwargs: Any) -> None:
        super().__init__(string, **kwargs)
        self.selection = selection

    def get_values(self, model: Any) -> list[tuple[str, str]]:
        if isinstance(self.selection, str):
            return getattr(model, self.selection)()
        if callable(self.selection):
            return self.selection(model)
        return list(self.selection or [])

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        if value is False or value is None:
            return None
        if value not in {key for key, _label in self.get_values(record)}:
            raise ValidationError(f"Wrong value for {self.model_name}.{self.name}: {value!r}")
        return value

    def get_description(self, env: Any) -> dict:
        description = super().get_description(env)
        description["selection"] = [
            [key, env.translate(label)] for key, label in self.get_values(env[self.model_name])
        ]
        return description

    def label(self, model: Any, value: Any) -> str:
        """The translated label of ``value`` (empty for no value)."""
        labels = dict(self.get_values(model))
        return model.env.translate(labels.get(value, "")) if value else ""


class _Relational(Field):
    relational = True

    def __init__(self, comodel_name: str | None = None, string: str | None = None, **kwargs: Any) -> None:
        super().__init__(string, **kwargs)
        self.comodel_name = comodel_name

    def get_description(self, env: Any) -> dict:
        return {**super().get_description(env), "relation": self.comodel_name, "domain": [], "context": {}}


class Many2one(_Relational):
    type = "many2one"
    column_type = "int4"

    def __init__(self, comodel_name: str | None = None, string: str | None = None, **kwargs: Any) -> None:
        self.ondelete = kwargs.pop("ondelete", "set null")
        super().__init__(comodel_name, string, **kwargs)

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        if hasattr(value, "_ids"):
            return value.id or None
        if isinstance(value, list | tuple):  # (id, name) as read() gives it
            value = value[0] if value else None
        return int(value) if value else None

    def convert_to_record(self, value: Any, record: Any) -> Any:
        return record.env[self.comodel_name].browse(value or ())._with_prefetch(record, self)

    def convert_to_read(self, value: Any, record: Any) -> Any:
        if not value:
            return False
        comodel = record.env[self.comodel_name].browse(value)._with_prefetch(record, self)
        return (value, comodel.sudo().display_name)


class _X2many(_Relational):
    """One2many and Many2many: no column of their own; the cache holds a tuple of ids."""

    def convert_to_cache(self, value: Any, record: Any) -> Any:
        if hasattr(value, "_ids"):
            return tuple(value.ids)
        return tuple(value or ())

    def convert_to_record(self, value: Any, record: Any) -> Any:
        return record.env[self.comodel_name].browse(value or ())

    def convert_to_read(self, value: Any, record: Any) -> Any:
        return list(value or ())


class One2many(_X2many):
    type = "one2many"

    def __init__(
        self,
        comodel_name: str | None = None,
        inverse_name: str | None = None,
        string: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(comodel_name, string, **kwargs)
        self.inverse_name = inverse_name
        self.store = False
        self.stored_relation = True  # read from the comodel's column, searchable

    def get_description(self, env: Any) -> dict:
        return {**super().get_description(env), "relation_field": self.inverse_name}


class Many2many(_X2many):
    type = "many2many"

    def __init__(
        self,
        comodel_name: str | None = None,
        relation: str | None = None,
        column1: str | None = None,
        column2: str | None = None,
        string: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(comodel_name, string, **kwargs)
        self.relation = relation
        self.column1 = column1
        self.column2 = column2

    def setup_relation(self, model_table: str, comodel_table: str) -> None:
        """Odoo's default names: ``<table1>_<table2>_rel`` (sorted) with ``<table>_id`` columns."""
        if not self.relation:
            tables = sorted([model_table, comodel_table])
            self.relation = f"{tables[0]}_{tables[1]}_rel"
        if not self.column1:
            self.column1 = f"{model_table}_id"
        if not self.column2:
            self.column2 = f"{comodel_table}_id" if comodel_table != model_table else f"{comodel_table}2_id"


class Id(Integer):
    type = "integer"
    column_type = None  # the serial primary key, created with the table
