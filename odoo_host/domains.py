"""Odoo domains (prefix notation: ``["|", ("a", "=", 1), ("b.c", "ilike", "x")]``) to a SQL condition.

Identifiers come from the model's declared fields only and are quoted; every value is a query parameter.
"""

# ruff: noqa: S608, S105
# (S608: identifiers come from declared fields and go through quote(); values are parameters. S105: "token")

from __future__ import annotations

import datetime
import re
from typing import Any

from .exceptions import ValidationError

OPERATORS = {
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not in",
    "like",
    "ilike",
    "not like",
    "not ilike",
    "=like",
    "=ilike",
}
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
SCALARS = (str, int, float, bool, type(None), datetime.date)  # what a domain value may be made of


def quote(name: str) -> str:
    """A SQL identifier, double-quoted; refuses anything that is not a plain lowercase name."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"not a valid SQL identifier: {name!r}")
    return f'"{name}"'


def normalize(domain: list | tuple | None) -> list:
    """Add the implicit ``&`` between terms, so that the domain is pure prefix notation."""
    domain = list(domain or [])
    result: list = []
    expected = 1  # how many terms are still owed to the operators read so far
    for token in domain:
        if expected == 0:  # a new term after a complete expression: join with '&'
            result.insert(0, "&")
            expected = 1
        if token in ("&", "|"):
            expected += 1
        elif token != "!":
            expected -= 1
        result.append(token)
    return result


def is_leaf(token: Any) -> bool:
    return isinstance(token, list | tuple) and len(token) == 3


def to_sql(model: Any, domain: list | tuple | None, alias: str | None = None) -> tuple[str, list]:
    """The condition (``"TRUE"`` for an empty domain) and its parameters, for rows of ``model``'s table."""
    alias = alias or model._table
    tokens = normalize(domain)
    if not tokens:
        return "TRUE", []
    stack: list[tuple[str, list]] = []
    for token in reversed(tokens):
        if token in ("!", "&", "|") and len(stack) < (1 if token == "!" else 2):
            raise ValidationError(f"Invalid domain {domain!r}: its operators and terms do not match")
        if token == "!":
            condition, params = stack.pop()
            stack.append((f"(NOT {condition})", params))
        elif token in ("&", "|"):
            left, right = stack.pop(), stack.pop()
            joiner = " AND " if token == "&" else " OR "
            stack.append((f"({left[0]}{joiner}{right[0]})", left[1] + right[1]))
        elif is_leaf(token):
            stack.append(_leaf(model, tuple(token), alias))
        else:
            raise ValidationError(
                f"Invalid domain term {token!r}: expected '&', '|', '!' or (field, operator, value)"
            )
    if len(stack) != 1:
        raise ValidationError(f"Invalid domain {domain!r}: its operators and terms do not match")
    return stack[0]


def _leaf(model: Any, leaf: tuple, alias: str) -> tuple[str, list]:
    path, operator, value = leaf
    if leaf == TRUE_LEAF:
        return "TRUE", []
    if leaf == FALSE_LEAF:
        return "FALSE", []
    operator = str(operator).lower()
    if operator not in OPERATORS:
        raise ValidationError(f"Invalid operator {operator!r} in domain term {leaf!r}")
    if not isinstance(path, str):
        raise ValidationError(f"Invalid field {path!r} in domain term {leaf!r}")
    name, _dot, rest = path.partition(".")
    field = model._fields.get(name)
    if field is None:
        raise ValidationError(f"Invalid field {model._name}.{name} in domain term {leaf!r}")
    column = f"{quote(alias)}.{quote(name)}"
    if hasattr(value, "_ids"):  # a recordset given as value
        value = list(value.ids) if operator in ("in", "not in") else value.id
    if not all(isinstance(v, SCALARS) for v in (value if isinstance(value, list | tuple) else [value])):
        raise ValidationError(f"Invalid value in domain term {leaf!r}: expected text, numbers, dates")
    if not field.store and not getattr(field, "stored_relation", False):
        if not field.search:
            raise ValidationError(f"Field {model._name}.{name} is computed and cannot be searched")
        return to_sql(model, getattr(model, field.search)(operator, value), alias)
    comodel = model.env[field.comodel_name] if field.relational else None
    if rest:
        sub, params = to_sql(comodel, [(rest, operator, value)])
        return _relation_condition(
            model, field, alias, f"SELECT id FROM {quote(comodel._table)} WHERE {sub}", params
        )
    if field.type in ("one2many", "many2many"):
        return _x2many_leaf(model, field, alias, operator, value)
    if field.type == "many2one" and isinstance(value, str) and operator not in ("in", "not in"):
        # a name instead of an id, as Odoo allows: match the comodel's display name
        rec_name = comodel._rec_name_field()
        sub, params = to_sql(comodel, [(rec_name, operator, value)])
        return f"{column} IN (SELECT id FROM {quote(comodel._table)} WHERE {sub})", params
    return _column_leaf(field, column, operator, value)


def _relation_condition(model: Any, field: Any, alias: str, subquery: str, params: list) -> tuple[str, list]:
    """The rows of ``model`` whose relation ``field`` reaches one of the comodel rows of ``subquery``."""
    if field.type == "many2one":
        return f"{quote(alias)}.{quote(field.name)} IN ({subquery})", params
    comodel = model.env[field.comodel_name]
    if field.type == "one2many":
        inverse = quote(field.inverse_name)
        return (
            f"{quote(alias)}.id IN (SELECT {inverse} FROM {quote(comodel._table)} "
            f"WHERE {inverse} IS NOT NULL AND id IN ({subquery}))"
        ), params
    return (
        f"{quote(alias)}.id IN (SELECT {quote(field.column1)} FROM {quote(field.relation)} "
        f"WHERE {quote(field.column2)} IN ({subquery}))"
    ), params


def _x2many_leaf(model: Any, field: Any, alias: str, operator: str, value: Any) -> tuple[str, list]:
    """``("line_ids", "in", ids)``, ``("line_ids", "=", False)`` (no lines) and their negations."""
    if value is False or value is None:
        condition, params = _relation_condition(
            model, field, alias, "SELECT id FROM " + quote(model.env[field.comodel_name]._table), []
        )
        return (f"(NOT {condition})", params) if operator == "=" else (condition, params)
    ids = [value] if isinstance(value, int) else list(value)
    if not ids:
        return ("FALSE", []) if operator in ("=", "in") else ("TRUE", [])
    condition, params = _relation_condition(
        model,
        field,
        alias,
        f"SELECT id FROM {quote(model.env[field.comodel_name]._table)} WHERE id IN %s",
        [tuple(ids)],
    )
    if operator in ("!=", "not in"):
        return f"(NOT {condition})", params
    return condition, params


def _column_leaf(field: Any, column: str, operator: str, value: Any) -> tuple[str, list]:
    is_bool = field.type == "boolean"
    if operator in ("=", "!=") and (value is False or value is None) and not (is_bool and value is False):
        return (f"{column} IS NULL", []) if operator == "=" else (f"{column} IS NOT NULL", [])
    if is_bool and operator in ("=", "!="):
        wanted = bool(value) == (operator == "=")
        return (f"{column} = TRUE", []) if wanted else (f"({column} IS NULL OR {column} = FALSE)", [])
    if operator in ("in", "not in"):
        values = list(value) if isinstance(value, list | tuple | set) else [value]
        with_null = any(v is False or v is None for v in values) and not is_bool
        values = [v for v in values if not (v is False or v is None) or is_bool]
        parts, params = [], []
        if values:
            parts.append(f"{column} IN %s")
            params.append(tuple(values))
        if with_null:
            parts.append(f"{column} IS NULL")
        condition = f"({' OR '.join(parts)})" if parts else "FALSE"
        if operator == "in":
            return condition, params
        return (f"(NOT {condition} OR {column} IS NULL)" if not with_null else f"(NOT {condition})"), params
    if operator in ("like", "ilike", "not like", "not ilike", "=like", "=ilike"):
        sql_operator = "ILIKE" if "ilike" in operator else "LIKE"
        pattern = str(value) if operator.startswith("=") else f"%{value}%"
        if operator.startswith("not"):
            return f"({column}::text NOT {sql_operator} %s OR {column} IS NULL)", [pattern]
        return f"{column}::text {sql_operator} %s", [pattern]
    if operator == "!=":
        return f"({column} != %s OR {column} IS NULL)", [value]
    return f"{column} {operator} %s", [value]
