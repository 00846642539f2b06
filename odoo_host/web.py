"""The web client's page frame: ``layout(title, body, request)`` gives a full HTML page (top bar with the
menus the user may see, the flash message and the value it gives to copy, a logout button). Every page is an lxml
tree, so every value is escaped."""

from __future__ import annotations

from typing import Any

from lxml import etree
from werkzeug.wrappers import Response

from iot_common.html import E, document

APP_NAME = "Odoo IoT"


def csrf_input(request: Any) -> etree._Element:
    return E.input(type="hidden", name="csrf_token", value=request.csrf_token())


def post_button(request: Any, action: str, label: str, css: str = "btn", **fields: str) -> etree._Element:
    """A button that POSTs to ``action`` with a CSRF token (and the given hidden fields)."""
    hidden = [E.input(type="hidden", name=name, value=str(value)) for name, value in fields.items()]
    return E.form(
        csrf_input(request),
        *hidden,
        E.button(label, type="submit", **{"class": css}),
        method="post",
        action=action,
        **{"class": "inline"},
    )


def _nav(request: Any) -> etree._Element:
    env = request.env
    if not env.uid or not env.user._is_internal():
        return E.nav()
    items = []
    for menu, children in env["ir.ui.menu"]._visible_tree():
        target = menu.action_id or next((c.action_id for c, _grand in children if c.action_id), None)
        href = action_url(target) if target else "/odoo"
        items.append(E.li(E.a(env.translate(menu.name), href=href)))
    return E.nav(E.ul(*items))


def action_url(action: Any, record_id: int | None = None) -> str:
    """``/odoo/action-<xml id>`` (or the numeric id when the action has no external id), ``/<id>`` for a
    record."""
    xml_id = action.env["ir.model.data"]._record_xmlid("ir.actions.act_window", action.id)
    url = f"/odoo/action-{xml_id or action.id}"
    return f"{url}/{record_id}" if record_id else url


def layout(title: str, body: Any, request: Any, status: int = 200) -> Response:
    """The page: ``body`` is an lxml element or a list of them; ``title`` is text (escaped like the rest)."""
    env = request.env
    body_elements = body if isinstance(body, list) else [body]
    user_part: list = []
    if env.uid and request.session.uid:
        user_part = [
            E.span(env.user.name, **{"class": "user"}),
            post_button(request, "/web/logout", env.translate("Log out"), "btn link"),
        ]
    page = E.html(
        E.head(
            E.meta(charset="utf-8"),
            E.meta(name="viewport", content="width=device-width, initial-scale=1"),
            E.title(f"{title} - {APP_NAME}"),
            E.link(rel="stylesheet", href="/web/static/style.css"),
        ),
        E.body(
            E.header(
                E.a(APP_NAME, href="/odoo", **{"class": "brand"}),
                _nav(request),
                *user_part,
                **{"class": "topbar"},
            ),
            E.main(
                *_flash(request),
                E.h1(title),
                *body_elements,
            ),
        ),
        lang=env.lang.split("_")[0],
    )
    return Response(document(page), status=status, content_type="text/html; charset=utf-8")


def _flash(request: Any) -> list[etree._Element]:
    """The message a button or a save left for the next page (shown once), with the value it gives to copy."""
    session = request.session
    message = session.get("flash")
    if not message:
        return []
    css = "flash error" if session.get("flash_kind") == "error" else "flash"
    copy = session.get("flash_copy")
    session["flash"] = session["flash_kind"] = session["flash_copy"] = None
    return [E.div(message, *([_copy_field(copy, request.env)] if copy else []), role="status", **{"class": css})]


def _copy_field(copy: dict, env: Any) -> etree._Element:
    """``copy["value"]`` in a read-only field (copied whole, never retyped) beside a button that puts it on the
    clipboard (static/copy.js); ``copy["label"]`` names the field for screen readers."""
    name = {"aria-label": copy["label"]} if copy.get("label") else {}
    button = {"class": "btn", "data-copy": "flash-copy", "data-copied": env.translate("Copied")}
    return E.div(
        E.input(id="flash-copy", type="text", value=copy["value"], readonly="readonly", spellcheck="false", **name),
        E.button(env.translate("Copy"), type="button", **button),
        E.script(src="/web/static/copy.js", defer="defer"),
        **{"class": "copy-field"},
    )
