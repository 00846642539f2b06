"""Keep the PostgreSQL schema in step with the models: tables, new columns, foreign keys, indexes,
constraints.

Only additions are made (an upgrade never drops a column, so data survive an addon's older version); a column
whose type changed is left as it is and reported in the log."""

# ruff: noqa: S608 (identifiers come from declared fields and go through quote(); values are parameters)

from __future__ import annotations

import logging
from typing import Any

from .domains import quote

_logger = logging.getLogger(__name__)

ONDELETE = {"set null": "SET NULL", "cascade": "CASCADE", "restrict": "RESTRICT"}


def sync(cr: Any, models: list[Any]) -> list[tuple[Any, list]]:
    """Create or upgrade the tables of ``models`` (model classes bound to an environment).

    Returns ``(model, fields)`` for each model whose new stored computed fields must be computed for its
    existing rows (the caller does it once the whole schema is there)."""
    tables = [m for m in models if m._auto]
    to_compute = []
    for model in tables:
        cr.execute(f"CREATE TABLE IF NOT EXISTS {quote(model._table)} (id SERIAL PRIMARY KEY)")
    for model in tables:
        added = _add_columns(cr, model)
        computed = [f for f in added if f.compute]
        if computed:
            to_compute.append((model, computed))
    for model in tables:
        _add_relations(cr, model)
        _add_constraints(cr, model)
    return to_compute


def missing_columns(cr: Any, models: list[Any]) -> list[str]:
    """``table.column`` for each stored field of ``models`` without its column (the addons were updated,
    ``init`` was not run)."""
    cr.execute(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
        ([m._table for m in models],),
    )
    existing = set(cr.fetchall())
    return [
        f"{m._table}.{f.name}" for m in models for f in m._fields.values()
        if f.store and f.column_type and (m._table, f.name) not in existing
    ]


def _existing_columns(cr: Any, table: str) -> dict[str, str]:
    cr.execute(
        "SELECT column_name, udt_name FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return dict(cr.fetchall())


def _add_columns(cr: Any, model: Any) -> list[Any]:
    table = model._table
    existing = _existing_columns(cr, table)
    cr.execute(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")
    has_rows = cr.fetchone()[0]
    added = []
    for field in model._fields.values():
        if not (field.store and field.column_type):
            continue
        if field.name in existing:
            if existing[field.name] != field.column_type:
                _logger.warning(
                    "column %s.%s is %s, the model says %s: left unchanged",
                    table,
                    field.name,
                    existing[field.name],
                    field.column_type,
                )
            continue
        cr.execute(f"ALTER TABLE {quote(table)} ADD COLUMN {quote(field.name)} {field.column_type}")
        added.append(field)
        if has_rows and field.default is not None and not field.compute:
            value = field.convert_to_column(field.default_value(model), model)
            cr.execute(f"UPDATE {quote(table)} SET {quote(field.name)} = %s", (value,))
    for field in model._fields.values():
        if field.store and field.column_type and field.index:
            cr.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(f'{table}__{field.name}_index')} "
                f"ON {quote(table)} ({quote(field.name)})"
            )
    return added


def _constraint_exists(cr: Any, name: str) -> bool:
    cr.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", (name,))
    return cr.fetchone() is not None


def _add_relations(cr: Any, model: Any) -> None:
    table = model._table
    for field in model._fields.values():
        if field.type == "many2one" and field.store:
            comodel = model.env[field.comodel_name]
            name = f"{table}_{field.name}_fkey"
            if not _constraint_exists(cr, name):
                cr.execute(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} "
                    f"FOREIGN KEY ({quote(field.name)}) "
                    f"REFERENCES {quote(comodel._table)} (id) ON DELETE {ONDELETE[field.ondelete]}"
                )
        elif field.type == "many2many" and field.store:
            comodel = model.env[field.comodel_name]
            cr.execute(
                f"CREATE TABLE IF NOT EXISTS {quote(field.relation)} ("
                f"{quote(field.column1)} INTEGER NOT NULL REFERENCES {quote(table)} (id) ON DELETE CASCADE, "
                f"{quote(field.column2)} INTEGER NOT NULL "
                f"REFERENCES {quote(comodel._table)} (id) ON DELETE CASCADE, "
                f"PRIMARY KEY ({quote(field.column1)}, {quote(field.column2)}))"
            )
            cr.execute(
                f"CREATE INDEX IF NOT EXISTS {quote(field.relation + '_' + field.column2 + '_index')} "
                f"ON {quote(field.relation)} ({quote(field.column2)})"
            )


def _add_constraints(cr: Any, model: Any) -> None:
    """The model's ``_sql_constraints`` (code of the addon, not user input), named ``<table>_<key>``."""
    for key, definition, _message in model._sql_constraints:
        name = f"{model._table}_{key}"
        if not _constraint_exists(cr, name):
            cr.execute("SAVEPOINT add_constraint")
            try:
                cr.execute(f"ALTER TABLE {quote(model._table)} ADD CONSTRAINT {quote(name)} {definition}")
            except Exception as exc:  # existing rows break it: keep the upgrade going, say so
                cr.execute("ROLLBACK TO SAVEPOINT add_constraint")
                _logger.warning("constraint %s not added (existing rows break it): %s", name, exc)
            else:
                cr.execute("RELEASE SAVEPOINT add_constraint")
