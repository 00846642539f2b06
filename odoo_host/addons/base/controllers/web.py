"""The web client's routes: login/logout, the menus, one page per window action (list and form), button calls."""

from __future__ import annotations

import functools
import re
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from odoo_host import http, views
from odoo_host.exceptions import AccessDenied, AccessError, UserError
from odoo_host.http import request
from odoo_host.web import E, action_url, csrf_input, layout


def _safe_redirect(target: str | None) -> str:
    """Only paths of this site, so a login link cannot send the user elsewhere. A browser reads a backslash or
    a tab after the first slash as a second slash (another host), so the next character must be a plain one;
    no control characters either (a header cannot carry them)."""
    if target and LOCAL_PATH.match(target) and target.isprintable() and not urlsplit(target).netloc:
        return target
    return "/odoo"


LOCAL_PATH = re.compile(r"/(?![/\\\s])")


STATIC = files("odoo_host").joinpath("static")


@functools.cache  # every page loads them: read from disk once per process
def _static_bytes(name: str) -> bytes:
    return STATIC.joinpath(name).read_bytes()


def _static_file(name: str, content_type: str) -> Response:
    """A file of odoo_host/static every page may load (the stylesheet, the Copy button's script): the same for
    everyone, cached."""
    return Response(_static_bytes(name), content_type=content_type, headers={"Cache-Control": "public, max-age=3600"})


class WebClient(http.Controller):
    @http.route("/web/static/style.css", type="http", auth="none", methods=["GET"])
    def stylesheet(self) -> Response:
        return _static_file("style.css", "text/css; charset=utf-8")

    @http.route("/web/static/copy.js", type="http", auth="none", methods=["GET"])
    def copy_script(self) -> Response:
        return _static_file("copy.js", "text/javascript; charset=utf-8")

    @http.route(["/", "/web"], type="http", auth="none", methods=["GET"])
    def root(self) -> Response:
        return request.redirect("/odoo")

    @http.route("/web/login", type="http", auth="none", methods=["GET", "POST"])
    def login(self, login: str = "", password: str = "", redirect: str = "") -> Response:
        env = request.env
        error = None
        if request.httprequest.method == "POST":
            try:
                request.session.authenticate(env, login, password)
                return request.redirect(_safe_redirect(redirect))
            except AccessDenied:
                error = env.translate("Wrong login/password")
        form = E.form(
            csrf_input(request),
            E.input(type="hidden", name="redirect", value=redirect),
            E.label(env.translate("Login"), **{"for": "login"}),
            E.input(
                id="login",
                name="login",
                value=login,
                autocomplete="username",
                required="required",
                autofocus="autofocus",
            ),
            E.label(env.translate("Password"), **{"for": "password"}),
            E.input(
                id="password",
                name="password",
                type="password",
                autocomplete="current-password",
                required="required",
            ),
            *([E.p(error, role="alert", **{"class": "error"})] if error else []),
            E.button(env.translate("Log in"), type="submit", **{"class": "btn"}),
            method="post",
            action="/web/login",
            **{"class": "login"},
        )
        return layout(env.translate("Log in"), form, request, status=401 if error else 200)

    @http.route("/web/logout", type="http", auth="none", methods=["POST"])
    def logout(self) -> Response:
        request.session.logout()
        return request.redirect("/web/login")

    @http.route("/odoo", type="http", auth="user", methods=["GET"])
    def menus(self) -> Response:
        env = request.env

        def entries(tree: list) -> Any:
            items = []
            for menu, children in tree:
                link = (
                    E.a(env.translate(menu.name), href=action_url(menu.action_id))
                    if menu.action_id
                    else E.strong(env.translate(menu.name))
                )
                items.append(E.li(link, *([entries(children)] if children else [])))
            return E.ul(*items)

        tree = env["ir.ui.menu"]._visible_tree()
        body = entries(tree) if tree else E.p(env.translate("No menu for you yet."))
        return layout(env.translate("Apps"), body, request)

    def _action(self, ref: str) -> Any:
        """The window action of ``/odoo/action-<ref>``: an external id or a numeric id."""
        env = request.env
        if ref.isdigit():
            action = env["ir.actions.act_window"].sudo().browse(int(ref)).exists()
        else:
            action = env["ir.model.data"]._xmlid_to_record(ref, raise_if_not_found=False)
        if not action or action._name != "ir.actions.act_window" or action.res_model not in env:
            raise NotFound(env.translate("This page does not exist."))
        return action.sudo()

    @http.route("/odoo/action-<string:ref>", type="http", auth="user", methods=["GET"])
    def action_list(self, ref: str, **params: Any) -> Response:
        action = self._action(ref)
        model = request.env[action.res_model]
        if "tree" not in action._view_modes():
            raise NotFound()
        return layout(request.env.translate(action.name), views.list_page(action, model, params), request)

    @http.route("/odoo/action-<string:ref>/<int:record_id>", type="http", auth="user", methods=["GET"])
    def action_form(self, ref: str, record_id: int) -> Response:
        action = self._action(ref)
        record = request.env[action.res_model].browse(record_id)
        record.check_access_rights("read")
        if not record.exists():
            raise NotFound(request.env.translate("This record does not exist (any more)."))
        back = E.p(E.a("← " + request.env.translate(action.name), href=action_url(action)))
        return layout(record.display_name, [back, *views.form_page(action, record, request)], request)

    @http.route("/odoo/action-<string:ref>/<int:record_id>/button", type="http", auth="user", methods=["POST"])
    def action_button(self, ref: str, record_id: int, method: str = "") -> Response:
        """Call a ``<button type="object">`` of the form; follow what it returns (an action, a notification,
        a URL)."""
        action = self._action(ref)
        record = request.env[action.res_model].browse(record_id).exists()
        arch = request.env["ir.ui.view"]._get_arch(record._name, "form")
        if not record or method.startswith("_") or method not in views.form_buttons(arch):
            raise UserError(request.env.translate("This button does not exist on this form."))
        result = getattr(record, method)()
        return self._follow(result, action, record)

    @http.route("/odoo/action-<string:ref>/<int:record_id>/save", type="http", auth="user", methods=["POST"])
    def action_save(self, ref: str, record_id: int, **params: Any) -> Response:
        """Save the fields of the form the user may change; a refused value is shown, nothing is saved."""
        action = self._action(ref)
        record = request.env[action.res_model].browse(record_id).exists()
        if not record:
            raise NotFound(request.env.translate("This record does not exist (any more)."))
        values = views.form_values(record, request.env["ir.ui.view"]._get_arch(record._name, "form"), params)
        cr = request.env.cr
        cr.execute("SAVEPOINT form_save")
        try:
            record.write(values)
        except AccessError:
            raise
        except UserError as exc:
            cr.execute("ROLLBACK TO SAVEPOINT form_save")
            request.env.invalidate_all()
            request.session["flash"] = exc.message
            request.session["flash_kind"] = "error"
        else:
            cr.execute("RELEASE SAVEPOINT form_save")
            request.session["flash"] = request.env.translate("Saved")
        return request.redirect(action_url(action, record.id))

    def _follow(self, result: Any, action: Any, record: Any) -> Response:
        here = action_url(action, record.id)
        if not isinstance(result, dict):
            return request.redirect(here)
        kind = result.get("type")
        if kind == "ir.actions.client":
            params = result.get("params") or {}
            if params.get("message"):
                request.session["flash"] = str(params["message"])
                # A value the user is to copy (a token, a key) is shown apart, in a field with a Copy button;
                # ``copy_label`` (else the title) names that field.
                copy, label = params.get("copy"), params.get("copy_label") or params.get("title") or ""
                request.session["flash_copy"] = {"value": str(copy), "label": str(label)} if copy else None
            return request.redirect(here)
        if kind == "ir.actions.act_url":
            url = str(result.get("url") or "")
            return request.redirect(url if url.startswith(("http://", "https://", "/")) else here)
        if kind == "ir.actions.act_window":
            target = self._action_for(result)
            res_id = result.get("res_id")
            return request.redirect(action_url(target, res_id) if target else here)
        return request.redirect(here)

    def _action_for(self, result: dict) -> Any:
        actions = request.env["ir.actions.act_window"].sudo()
        if result.get("id"):
            found = actions.browse(result["id"]).exists()
            if found:
                return found
        return actions.search([("res_model", "=", result.get("res_model"))], limit=1)
