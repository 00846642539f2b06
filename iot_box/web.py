"""The box's local web endpoints: ``GET /``, ``GET /status.json``, ``GET /static/<file>``, the two settings
forms."""

from __future__ import annotations

import json
from importlib.resources import files

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from iot_box import i18n, pages
from iot_box.auth import Csrf, GuessLimit
from iot_box.box import Box, InvalidToken
from iot_box.i18n import N_

STATIC = files("iot_box").joinpath("static")
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript"}
LANG_COOKIE = "box_lang"
FORMS = ("/credential", "/connect", "/check")  # POST only; every other page is GET or HEAD
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"}

# What a form answers (English; the page translates it).
BAD_CSRF = N_("The form expired or did not come from this page: reload the page and try again.")
TOO_MANY_GUESSES = N_("Too many wrong passwords: wait half a minute, then try again. Nothing was changed.")
BAD_PASSWORD = N_("Wrong box admin password: nothing was changed.")
CLEARED = N_("Credential cleared. The certificate was checked again.")
SAVED = N_("Saved. The certificate was checked again.")
BAD_TOKEN = N_("This is not a connection token: expected <server URL>?token=...&db_uuid=...&enterprise_code=...")
CONNECTED = N_("Connection token saved; pairing with the database server runs in the background.")


class _Request(Request):
    max_content_length = 64 * 1024  # the forms are small; anything bigger is refused with 413
    max_form_memory_size = 64 * 1024


class BoxWeb:
    def __init__(self, box: Box) -> None:
        self.box = box
        self.csrf = Csrf()
        self.guesses = GuessLimit()
        self.routes = {"/": self.home, "/status.json": self.status, "/credential": self.credential,
                       "/connect": self.connect, "/check": self.check_again}
        self.routes.update({f"/static/{entry.name}": self.static for entry in STATIC.iterdir()
                            if any(entry.name.endswith(suffix) for suffix in STATIC_TYPES)})

    def __call__(self, environ, start_response):
        request = _Request(environ)
        try:
            response = self.dispatch(request)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        handler = self.routes.get(request.path)
        if handler is None:
            raise NotFound()
        allowed = ("POST",) if request.path in FORMS else ("GET", "HEAD")
        if request.method not in allowed:
            raise MethodNotAllowed(valid_methods=list(allowed))
        return handler(request)

    # --- pages ----------------------------------------------------------------------------------------------
    def status(self, request: Request) -> Response:
        return Response(json.dumps(self.box.status()), mimetype="application/json",
                        headers={"Cache-Control": "no-store"})

    def static(self, request: Request) -> Response:
        name = request.path.rsplit("/", 1)[1]  # only the folder's own files have a route
        mimetype = next(kind for suffix, kind in STATIC_TYPES.items() if name.endswith(suffix))
        return Response(STATIC.joinpath(name).read_bytes(), mimetype=mimetype,
                        headers={"Cache-Control": "max-age=3600"})

    def home(self, request: Request) -> Response:
        self.box.check_for_homepage()
        return self._page(request)

    def _language(self, request: Request) -> str:
        chosen = request.args.get("lang")
        return i18n.choose(request.accept_languages,
                           chosen if chosen in i18n.LANGUAGES else request.cookies.get(LANG_COOKIE))

    def _page(self, request: Request, message: str | None = None, ok: bool = True,
              status: int = 200) -> Response:
        lang = self._language(request)
        box = self.box
        cookie = request.cookies.get(Csrf.COOKIE) or Csrf.new_cookie()
        view = pages.HomeView(
            lang=lang, identifier=box.config.get("identifier"), https_url=box.https_url(),
            certificate=box.served.info, result=box.last_result, checked_at=box.checked_at, dns=box.dns_check(),
            server=box.config.get("remote_server"), server_state=box.reporter.state,
            db_uuid=box.config.get("db_uuid"), has_enterprise_code=bool(box.config.get("enterprise_code")),
            csrf_token=self.csrf.token_for(cookie),
            message=message, message_ok=ok)
        response = Response(pages.home(view), status=status, mimetype="text/html", headers=PAGE_HEADERS)
        response.set_cookie(Csrf.COOKIE, cookie, httponly=True, samesite="Strict")
        if request.args.get("lang") in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    # --- forms ----------------------------------------------------------------------------------------------
    def _refusal(self, request: Request) -> Response | None:
        """The answer to a form that must not change anything (bad CSRF token or password), else None."""
        if not self.csrf.valid(request.cookies.get(Csrf.COOKIE), request.form.get("csrf_token")):
            return self._page(request, BAD_CSRF, ok=False, status=403)
        if self.guesses.blocked():
            return self._page(request, TOO_MANY_GUESSES, ok=False, status=429)
        password_ok = self.box.password_ok(request.form.get("password", ""))
        self.guesses.record(password_ok)
        if not password_ok:
            return self._page(request, BAD_PASSWORD, ok=False, status=403)
        return None

    def check_again(self, request: Request) -> Response:
        """The error card's "Check again": no password (opening the homepage checks too), but this page's form."""
        if not self.csrf.valid(request.cookies.get(Csrf.COOKIE), request.form.get("csrf_token")):
            return self._page(request, BAD_CSRF, ok=False, status=403)
        self.box.check_again()
        return redirect("/", 303)  # a reload of the result shows it again instead of posting once more

    def credential(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal:
            return refusal
        if request.form.get("action") == "clear":
            self.box.set_credential(None, None)
            return self._page(request, CLEARED)
        # The stored code is never shown, so an empty code field keeps it; "clear" removes both.
        code = request.form.get("enterprise_code", "").strip() or self.box.config.get("enterprise_code")
        self.box.set_credential(request.form.get("db_uuid", "").strip(), code)
        return self._page(request, SAVED)

    def connect(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal:
            return refusal
        try:
            self.box.connect(request.form.get("token", ""))
        except InvalidToken:
            return self._page(request, BAD_TOKEN, ok=False, status=400)
        return self._page(request, CONNECTED)
