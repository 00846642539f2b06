"""The ``<tree>``, ``<search>`` and ``<form>`` views rendered to HTML with lxml (values escaped by
construction).

A list page reads its records in two queries (the count and the page's ids), then one query per column source
(the rows' columns, each Many2one's names): no query per row."""

from __future__ import annotations

import ast
import urllib.parse
from typing import Any

from lxml import etree

from .exceptions import UserError
from .web import E, action_url, csrf_input, post_button

MAX_LIMIT = 200
HTML_TAGS = {"div", "h1", "h2", "h3", "p", "span", "strong", "em", "hr", "br"}


# -- values --------------------------------------------------------------------------------------------------
def display_value(record: Any, field: Any) -> str:
    """A field's value as text in the user's language."""
    value = record[field.name]
    if field.type == "boolean":
        return record.env.translate("Yes") if value else record.env.translate("No")
    if value is False or value is None or (field.relational and not value):
        return ""
    if field.type == "selection":
        return field.label(record, value)
    if field.type == "many2one":
        return value.display_name
    if field.type in ("one2many", "many2many"):
        return ", ".join(rec.display_name for rec in value)
    if field.type == "datetime":
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def value_element(record: Any, field: Any, node: etree._Element) -> etree._Element:
    text = display_value(record, field)
    if node.get("widget") == "url" and text:
        href = text if "://" in text else f"http://{text}"
        if not href.lower().startswith(("http://", "https://")):
            return E.span(text)
        return E.a(text, href=href, target="_blank", rel="noopener noreferrer")
    if field.type == "selection" and text:
        return E.span(text, **{"class": f"badge {record[field.name]}"})
    return E.span(text)


def label(model: Any, node: etree._Element) -> str:
    field = model._fields[node.get("name")]
    return model.env.translate(node.get("string") or field.string)


def holds(record: Any, expression: str | None) -> bool:
    """Whether an ``invisible`` or ``readonly`` modifier holds for the record (no modifier: no)."""
    return bool(expression) and bool(evaluate(record, expression))


def evaluate(record: Any, expression: str) -> Any:
    """A view modifier (``invisible="state == 'paired'"``, ``"not version"``, or a domain ``[('a', '=', 1)]``)
    evaluated on the record: names are field values; only comparisons, ``and``/``or``/``not`` and literals."""
    text = expression.strip()
    if text.startswith("["):
        return bool(record.filtered_domain(ast.literal_eval(text)))
    return _eval_node(ast.parse(text, mode="eval").body, record)


def _eval_node(node: ast.AST, record: Any) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        value = record[node.id]
        return value.ids if hasattr(value, "_ids") and len(value) != 1 else getattr(value, "id", value)
    if isinstance(node, ast.Tuple | ast.List):
        return [_eval_node(item, record) for item in node.elts]
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        return not _eval_node(node.operand, record)
    if isinstance(node, ast.BoolOp):
        values = (_eval_node(v, record) for v in node.values)
        return all(values) if isinstance(node.op, ast.And) else any(values)
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = _eval_node(node.left, record), _eval_node(node.comparators[0], record)
        operators = {
            ast.Eq: lambda a, b: a == b,
            ast.NotEq: lambda a, b: a != b,
            ast.In: lambda a, b: a in b,
            ast.NotIn: lambda a, b: a not in b,
            ast.Lt: lambda a, b: a < b,
            ast.Gt: lambda a, b: a > b,
            ast.LtE: lambda a, b: a <= b,
            ast.GtE: lambda a, b: a >= b,
        }
        return operators[type(node.ops[0])](left, right)
    raise UserError(f"Unsupported view expression: {ast.unparse(node)}")


# -- the list page -------------------------------------------------------------------------------------------
def literal_domain(text: str | None) -> list:
    try:
        domain = ast.literal_eval(text or "[]")
    except (ValueError, SyntaxError) as exc:
        raise UserError(f"The action's domain is not a literal domain: {text}") from exc
    return list(domain)


def search_domain(search_arch: etree._Element, query: str, filters: list[str]) -> list:
    """The search box (any of the search view's fields contains the text) and the active filters (any of)."""
    domain: list = []
    names = [f.get("name") for f in search_arch.iter("field")]
    if query and names:
        domain += ["|"] * (len(names) - 1) + [(name, "ilike", query) for name in names]
    chosen = [f for f in search_arch.iter("filter") if f.get("name") in filters and f.get("domain")]
    if chosen:
        domain += ["|"] * (len(chosen) - 1)
        for element in chosen:
            domain += normalize_filter(literal_domain(element.get("domain")))
    return domain


def normalize_filter(domain: list) -> list:
    """One filter's domain as a single prefix term (several leaves joined by '&')."""
    leaves = [t for t in domain if isinstance(t, list | tuple)]
    operators = len(domain) - len(leaves)
    return ["&"] * (len(leaves) - 1 - operators) + list(domain) if leaves else [(1, "=", 1)]


def list_page(action: Any, model: Any, params: dict) -> list[etree._Element]:
    env = model.env
    views = env["ir.ui.view"]
    arch = views._get_arch(model._name, "tree", action.view_id.id or None)
    search_arch = views._get_arch(model._name, "search", action.search_view_id.id or None)
    query = str(params.get("q", ""))[:200]
    filters = [f for f in str(params.get("filters", "")).split(",") if f]
    limit = min(max(_int(params.get("limit"), action.limit or 80), 1), MAX_LIMIT)
    offset = max(_int(params.get("offset"), 0), 0)
    order = str(params.get("order", "")) or None
    columns = [node for node in arch.iter("field") if not node.get("column_invisible")]
    domain = literal_domain(action.domain) + search_domain(search_arch, query, filters)
    if order and order.split()[0] not in {n.get("name") for n in columns}:
        order = None
    total = model.search_count(domain)
    records = model.search(domain, offset=offset, limit=limit, order=order)
    base_url = action_url(action)
    has_form = _has_form(action)

    def link(**changes: Any) -> str:
        state = {"q": query, "filters": ",".join(filters), "order": order or "", "offset": offset, **changes}
        return (
            base_url
            + "?"
            + urllib.parse.urlencode({k: v for k, v in state.items() if v not in ("", None, 0)})
        )

    labels = [label(model, node) for node in columns]
    return [
        _searchbar(env, search_arch, base_url, query, filters, order, link),
        _pager(env, offset, limit, total, link, len(records)),
        E.div(
            E.table(
                E.thead(E.tr(*[_column_header(model, node, order, link) for node in columns])),
                E.tbody(*[_row(rec, columns, labels, f"{base_url}/{rec.id}" if has_form else None)
                          for rec in records]),
            ),
            **{"class": "table-wrap"},
        ),
    ]


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _searchbar(
    env: Any,
    search_arch: etree._Element,
    base_url: str,
    query: str,
    filters: list[str],
    order: str | None,
    link: Any,
) -> etree._Element:
    chips = []
    for element in search_arch.iter("filter"):
        name = element.get("name")
        active = name in filters
        toggled = [f for f in filters if f != name] if active else filters + [name]
        chips.append(
            E.a(
                env.translate(element.get("string") or name),
                href=link(filters=",".join(toggled), offset=0),
                **{"class": "active" if active else "", "aria-pressed": "true" if active else "false"},
            )
        )
    hidden = [E.input(type="hidden", name="filters", value=",".join(filters))] if filters else []
    if order:
        hidden.append(E.input(type="hidden", name="order", value=order))
    return E.div(
        E.form(
            E.input(
                type="search",
                name="q",
                value=query,
                placeholder=env.translate("Search..."),
                **{"aria-label": env.translate("Search")},
            ),
            *hidden,
            E.button(env.translate("Search"), type="submit", **{"class": "btn"}),
            method="get",
            action=base_url,
            role="search",
            **{"class": "searchbar"},
        ),
        E.div(*chips, **{"class": "filters"}),
    )


def _pager(env: Any, offset: int, limit: int, total: int, link: Any, shown: int) -> etree._Element:
    parts: list = [E.span(f"{offset + 1 if shown else 0}-{offset + shown} / {total}")]
    if offset > 0:
        parts.append(E.a(env.translate("Previous"), href=link(offset=max(offset - limit, 0)), rel="prev"))
    if offset + limit < total:
        parts.append(E.a(env.translate("Next"), href=link(offset=offset + limit), rel="next"))
    return E.div(*parts, **{"class": "pager"})


def _column_header(model: Any, node: etree._Element, order: str | None, link: Any) -> etree._Element:
    name = node.get("name")
    field = model._fields[name]
    text = label(model, node)
    if not (field.store and field.column_type):
        return E.th(text)
    descending = order == f"{name} asc"
    return E.th(
        E.a(text, href=link(order=f"{name} {'desc' if descending else 'asc'}", offset=0)), scope="col"
    )


def _row(record: Any, columns: list[etree._Element], labels: list[str], href: str | None) -> etree._Element:
    cells = []
    for node, column_label in zip(columns, labels, strict=True):
        element = value_element(record, record._fields[node.get("name")], node)
        if href and element.tag != "a":
            element = E.a(element, href=href, **{"class": "row"})
        # Each cell names its column: on a phone a row is shown as a card of "label: value" lines.
        cells.append(E.td(element, **{"data-label": column_label}))
    return E.tr(*cells)


def _has_form(action: Any) -> bool:
    return "form" in action._view_modes()


# -- the form page -------------------------------------------------------------------------------------------
EDITABLE_TYPES = {"char", "text", "integer", "float", "boolean", "selection", "date", "datetime", "many2one"}


def form_page(action: Any, record: Any, request: Any) -> list[etree._Element]:
    """The form: header buttons, then the sheet, whose fields the user may change are inputs of one form
    posted to ``.../save`` (with a CSRF token)."""
    arch = record.env["ir.ui.view"]._get_arch(record._name, "form")
    url = action_url(action, record.id)
    result = []
    header = arch.find("header")
    if header is not None:
        result.append(_form_header(record, header, request, url + "/button"))
    sheet = arch.find("sheet")
    editable = editable_fields(record, arch)
    children = _form_children(record, sheet if sheet is not None else arch, editable)
    body = E.div(*children, **{"class": "sheet"})
    if editable:
        save = E.button(record.env.translate("Save"), type="submit", **{"class": "btn"})
        body = E.form(csrf_input(request), body, E.p(save), method="post", action=url + "/save")
    result.append(body)
    return result


def editable_fields(record: Any, arch: etree._Element) -> set[str]:
    """The fields of the form the user may change: visible, not ``readonly`` (in the model or the view),
    stored, of a type with an input; none without the write right on the model."""
    if not record.check_access_rights("write", raise_exception=False):
        return set()
    names = set()
    for node in arch.iter("field"):
        field = record._fields[node.get("name")]
        hidden = any(holds(record, n.get("invisible")) or n.tag == "header"
                     for n in [node, *node.iterancestors()])
        fixed = field.readonly or field.compute or not (field.store and field.column_type)
        readonly = fixed or holds(record, node.get("readonly"))  # the same evaluation as invisible
        if not (hidden or readonly) and field.type in EDITABLE_TYPES and record._readable(field):
            names.add(field.name)
    return names


def form_values(record: Any, arch: etree._Element, params: dict) -> dict:
    """The values a posted form gives for the fields it may change (an unchecked box sends nothing)."""
    values: dict = {}
    for name in editable_fields(record, arch):
        field = record._fields[name]
        if field.type == "boolean":
            values[name] = name in params
        elif name in params:
            text = str(params[name]) if field.type == "text" else str(params[name]).strip()
            if field.type == "many2one":
                values[name] = int(text) if text.isdigit() else False
            else:
                values[name] = text or False
    return values


def form_buttons(arch: etree._Element) -> set[str]:
    """The methods a form may call: its ``<button type="object">`` elements, nothing else."""
    return {b.get("name") for b in arch.iter("button") if b.get("type") == "object" and b.get("name")}


def _form_header(record: Any, header: etree._Element, request: Any, button_url: str) -> etree._Element:
    env = record.env
    items = []
    for node in header:
        if not isinstance(node.tag, str) or holds(record, node.get("invisible")):
            continue
        if node.tag == "button" and node.get("type") == "object":
            css = "btn" if "oe_highlight" in (node.get("class") or "") or not items else "btn secondary"
            items.append(
                post_button(
                    request,
                    button_url,
                    env.translate(node.get("string") or node.get("name")),
                    css,
                    method=node.get("name"),
                )
            )
        elif node.tag == "field":
            field = record._fields[node.get("name")]
            items.append(
                E.span(
                    label(record, node), ": ", value_element(record, field, node), **{"class": "statusbar"}
                )
            )
    return E.div(*items, **{"class": "form-header"})


def _form_children(record: Any, parent: etree._Element, editable: set[str]) -> list[etree._Element]:
    elements: list[etree._Element] = []
    groups: list[etree._Element] = []
    for node in parent:
        if not isinstance(node.tag, str) or holds(record, node.get("invisible")):
            continue
        if node.tag == "group":
            groups.append(_group(record, node, editable))
            continue
        if groups:
            elements.append(E.div(*groups, **{"class": "groups"}))
            groups = []
        if node.tag == "field":
            elements.append(E.dl(*_field_row(record, node, editable)))
        elif node.tag in ("notebook", "page"):
            title = [E.h2(record.env.translate(node.get("string")))] if node.get("string") else []
            elements.append(E.section(*title, *_form_children(record, node, editable)))
        elif node.tag == "separator":
            elements.append(E.h2(record.env.translate(node.get("string") or "")))
        elif node.tag in HTML_TAGS:
            element = etree.Element(node.tag)
            element.text = (
                record.env.translate(node.text.strip()) if node.text and node.text.strip() else None
            )
            element.extend(_form_children(record, node, editable))
            elements.append(element)
    if groups:
        elements.append(E.div(*groups, **{"class": "groups"}))
    return elements


def _group(record: Any, node: etree._Element, editable: set[str]) -> etree._Element:
    rows: list = []
    nested = []
    for child in node:
        if not isinstance(child.tag, str) or holds(record, child.get("invisible")):
            continue
        if child.tag == "field":
            rows.extend(_field_row(record, child, editable))
        elif child.tag == "group":
            nested.append(_group(record, child, editable))
    title = [E.h2(record.env.translate(node.get("string")))] if node.get("string") else []
    body = [E.dl(*rows)] if rows else []
    if nested:  # as in Odoo: the groups inside a group are its columns, side by side
        body.append(E.div(*nested, **{"class": "groups"}))
    return E.div(*title, *body, **{"class": "group"})


def _field_row(record: Any, node: etree._Element, editable: set[str]) -> list[etree._Element]:
    field = record._fields[node.get("name")]
    if field.name not in editable:
        return [E.dt(label(record, node)), E.dd(value_element(record, field, node))]
    return [E.dt(E.label(label(record, node), **{"for": f"field-{field.name}"})),
            E.dd(input_element(record, field))]


def input_element(record: Any, field: Any) -> etree._Element:
    """The input for a field's value (datetimes in UTC, as stored)."""
    value = record[field.name]
    attributes = {"name": field.name, "id": f"field-{field.name}"}
    if field.required and field.type != "boolean":
        attributes["required"] = "required"
    if field.type == "text":
        return E.textarea(value or "", rows="4", **attributes)
    if field.type == "boolean":
        return E.input(type="checkbox", value="1", **attributes, **({"checked": "checked"} if value else {}))
    if field.type in ("selection", "many2one"):
        if field.type == "selection":
            choices = [(key, record.env.translate(text)) for key, text in field.get_values(record)]
            current = value
        else:
            comodel = record.env[field.comodel_name]
            choices = comodel.name_search(limit=200) if comodel.check_access_rights("read", False) else []
            current = value.id
            if value and current not in dict(choices):
                choices.append((current, value.sudo().display_name))
        options = [] if field.required else [E.option("", value="")]
        for key, text in choices:
            selected = {"selected": "selected"} if key == current else {}
            options.append(E.option(text, value=str(key), **selected))
        return E.select(*options, **attributes)
    kinds = {"integer": ("number", "1"), "float": ("number", "any"), "date": ("date", None),
             "datetime": ("datetime-local", "1"), "char": ("text", None)}
    kind, step = kinds[field.type]
    if field.type == "datetime":
        text = value.strftime("%Y-%m-%dT%H:%M:%S") if value else ""
    elif field.type == "date":
        text = value.isoformat() if value else ""
    else:
        text = "" if value is False else str(value)
    return E.input(type=kind, value=text, **attributes, **({"step": step} if step else {}))
