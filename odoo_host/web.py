"""The web client's page frame: ``layout(title, body, request)`` gives a full HTML page (top bar with the
menus the user may see, the flash message and the value it gives to copy, a logout button). Every page is an lxml
tree, so every value is escaped."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml.builder import ElementMaker
from werkzeug.wrappers import Response

APP_NAME = "Odoo IoT"
# What XML 1.0 cannot hold (control characters, lone surrogates): dropped from any text put in a page.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add_text(element: etree._Element, text: str) -> None:
    text = xml_text(text)
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


class _SafeMaker(ElementMaker):
    """lxml's ``E`` whose text and attribute values may be anything a user typed: what XML cannot hold is
    dropped instead of failing the page."""

    def __call__(self, tag: str, *children: Any, **attributes: Any) -> etree._Element:
        clean = [{k: xml_text(str(v)) for k, v in c.items()} if isinstance(c, dict) else c for c in children]
        return super().__call__(tag, *clean, **{k: xml_text(str(v)) for k, v in attributes.items()})


E = _SafeMaker(typemap={str: _add_text})


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
    html = "<!DOCTYPE html>\n" + etree.tostring(page, encoding="unicode", method="html")
    return Response(html, status=status, content_type="text/html; charset=utf-8")


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
    clipboard (COPY_SCRIPT); ``copy["label"]`` names the field for screen readers."""
    name = {"aria-label": copy["label"]} if copy.get("label") else {}
    button = {"class": "btn", "data-copy": "flash-copy", "data-copied": env.translate("Copied")}
    return E.div(
        E.input(id="flash-copy", type="text", value=copy["value"], readonly="readonly", spellcheck="false", **name),
        E.button(env.translate("Copy"), type="button", **button),
        E.script(src="/web/static/copy.js", defer="defer"),
        **{"class": "copy-field"},
    )


# The Copy button of a flash message. The clipboard API exists only on secure pages (HTTPS, localhost); a server
# reached over plain HTTP on the local network falls back to the older copy command on the selected text, and if
# that fails too the text stays selected, so that Ctrl+C copies it.
COPY_SCRIPT = """
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-copy]");
  if (!button) return;
  var field = document.getElementById(button.getAttribute("data-copy"));
  var copied = function () { button.textContent = button.getAttribute("data-copied"); };
  var selectIt = function () {
    field.focus();
    field.select();
    try { if (document.execCommand("copy")) copied(); } catch (error) { /* the text stays selected */ }
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(copied, selectIt);
  } else {
    selectIt();
  }
});
"""

STYLESHEET = """
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9dee3; --bg: #f7f8fa; --accent: #714b67; --ok: #2f7d4f;
        --warn: #a86b00; --bad: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: var(--bg); }
a { color: var(--accent); }
.topbar { display: flex; flex-wrap: wrap; align-items: center; gap: .75rem; padding: .5rem 1rem;
          background: var(--accent); color: #fff; }
.topbar a, .topbar .user { color: #fff; text-decoration: none; }
.topbar .brand { font-weight: 600; margin-right: .5rem; }
.topbar nav ul { display: flex; flex-wrap: wrap; gap: .75rem; list-style: none; margin: 0; padding: 0; }
.topbar .user { margin-left: auto; }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; }
form.inline { display: inline; }
.btn { font: inherit; padding: .35rem .8rem; border: 1px solid var(--accent); border-radius: 4px;
       background: var(--accent); color: #fff; cursor: pointer; }
.btn.secondary, .btn.link { background: transparent; color: var(--accent); }
.topbar .btn.link { color: #fff; border-color: #fff; }
.flash { padding: .5rem .75rem; border-left: 4px solid var(--ok); background: #fff; margin-bottom: 1rem; }
.flash.error { border-left-color: var(--bad); }
.copy-field { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
.copy-field input { flex: 1 1 20rem; min-width: 0; padding: .35rem .5rem; font: .9em ui-monospace, monospace;
                    border: 1px solid var(--line); border-radius: 4px; background: var(--bg); }
.sheet input:not([type=checkbox]), .sheet select, .sheet textarea { width: 100%; padding: .3rem .4rem;
        font: inherit; border: 1px solid var(--line); border-radius: 4px; }
.error { color: var(--bad); }
.searchbar { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .75rem; }
.searchbar input[type=search] { flex: 1 1 14rem; padding: .35rem .5rem; border: 1px solid var(--line);
                                border-radius: 4px; font: inherit; }
.filters a { display: inline-block; white-space: nowrap; margin: 0 .5rem .4rem 0; padding: .15rem .5rem;
             border: 1px solid var(--line); border-radius: 999px; text-decoration: none; background: #fff; }
.filters a.active { background: var(--accent); color: #fff; border-color: var(--accent); }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
/* Cells wrap between words, never inside one: a long value (an error code with its HTTP status) stays whole and in
   view on a laptop screen instead of running off the list's right edge. */
th { white-space: nowrap; }
th a { color: var(--ink); text-decoration: none; }
tbody tr:hover { background: #f1edf0; }
td a.row { display: block; color: inherit; text-decoration: none; }
.pager { display: flex; gap: .75rem; align-items: center; justify-content: flex-end; margin: .5rem 0; }
.sheet { background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 1rem; }
.form-header { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-bottom: .75rem; }
.statusbar { margin-left: auto; color: var(--muted); }
/* A form's groups are rows; the groups inside a group are its columns, side by side when there is room. */
.groups { display: grid; gap: 1.25rem; }
.group > .groups { grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); }
.group h2 { font-size: 1rem; color: var(--muted); margin: 0 0 .5rem; }
.group dl { display: grid; grid-template-columns: minmax(7rem, 12rem) 1fr; gap: .3rem .75rem; margin: 0; }
.group dt { color: var(--muted); }
.group dd { margin: 0; overflow-wrap: anywhere; }
main > h1:has(+ .login) { max-width: 22rem; margin: 2rem auto 1rem; }
.login { max-width: 22rem; margin: 0 auto; background: #fff; padding: 1.5rem;
         border: 1px solid var(--line);
         border-radius: 4px; }
.login label { display: block; margin: .5rem 0 .2rem; }
.login input { width: 100%; padding: .4rem; font: inherit; border: 1px solid var(--line);
               border-radius: 4px; }
.login button { margin-top: 1rem; width: 100%; }
.badge { padding: .1rem .5rem; border-radius: 999px; background: var(--line); }
.badge.valid { background: #dff3e6; color: var(--ok); }
.badge.expiring { background: #fff1d6; color: var(--warn); }
.badge.expired, .badge.error { background: #fbe3e1; color: var(--bad); }
/* On a phone each row of a list is a card of "label: value" lines, so no column hides off the screen. */
@media (max-width: 40rem) {
  .table-wrap thead { display: none; }
  .table-wrap table, .table-wrap tbody, .table-wrap tr { display: block; }
  .table-wrap tr { padding: .5rem .75rem; border-bottom: 1px solid var(--line); }
  .table-wrap td { display: grid; grid-template-columns: 8rem 1fr; gap: .5rem; padding: .15rem 0; border: 0;
                   white-space: normal; overflow-wrap: anywhere; }
  .table-wrap td::before { content: attr(data-label); color: var(--muted); }
  .table-wrap td:has(span:empty) { display: none; }
  .hide-small { display: none; }
}
"""
