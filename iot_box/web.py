"""The box's local web endpoints (SPEC 3.5): ``GET /``, ``GET /status.json``, the two settings forms."""

from __future__ import annotations

import json
from importlib.resources import files

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from iot_box import i18n, pages
from iot_box.auth import Csrf, GuessLimit
from iot_box.box import Box, InvalidToken

STYLE = files("iot_box").joinpath("static/style.css").read_bytes()
LANG_COOKIE = "box_lang"
FORMS = ("/credential", "/connect", "/check")  # POST only; every other page is GET or HEAD
PAGE_HEADERS = {"Cache-Control": "no-store", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"}


class _Request(Request):
    max_content_length = 64 * 1024  # the forms are small; anything bigger is refused with 413
    max_form_memory_size = 64 * 1024


class BoxWeb:
    def __init__(self, box: Box) -> None:
        self.box = box
        self.csrf = Csrf()
        self.guesses = GuessLimit()
        self.routes = {"/": self.home, "/status.json": self.status, "/style.css": self.style,
                       "/credential": self.credential, "/connect": self.connect, "/check": self.check_again}

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

    def style(self, request: Request) -> Response:
        return Response(STYLE, mimetype="text/css", headers={"Cache-Control": "max-age=3600"})

    def home(self, request: Request) -> Response:
        self.box.check_for_homepage()
        return self._page(request)

    def _language(self, request: Request) -> str:
        chosen = request.args.get("lang")
        return i18n.choose(request.accept_languages,
                           chosen if chosen in i18n.LANGUAGES else request.cookies.get(LANG_COOKIE))

    def _page(self, request: Request, message_key: str | None = None, ok: bool = True,
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
            message=i18n.TEXTS[lang][message_key] if message_key else None, message_ok=ok)
        response = Response(pages.home(view), status=status, mimetype="text/html", headers=PAGE_HEADERS)
        response.set_cookie(Csrf.COOKIE, cookie, httponly=True, samesite="Strict")
        if request.args.get("lang") in i18n.LANGUAGES:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
        return response

    # --- forms ----------------------------------------------------------------------------------------------
    def _refusal(self, request: Request) -> Response | None:
        """The answer to a form that must not change anything (bad CSRF token or password), else None."""
        if not self.csrf.valid(request.cookies.get(Csrf.COOKIE), request.form.get("csrf_token")):
            return self._page(request, "bad_csrf", ok=False, status=403)
        if self.guesses.blocked():
            return self._page(request, "too_many_guesses", ok=False, status=429)
        password_ok = self.box.password_ok(request.form.get("password", ""))
        self.guesses.record(password_ok)
        if not password_ok:
            return self._page(request, "bad_password", ok=False, status=403)
        return None

    def check_again(self, request: Request) -> Response:
        """The error card's "Check again": no password (opening the homepage checks too), but this page's form."""
        if not self.csrf.valid(request.cookies.get(Csrf.COOKIE), request.form.get("csrf_token")):
            return self._page(request, "bad_csrf", ok=False, status=403)
        self.box.check_again()
        return redirect("/", 303)  # a reload of the result shows it again instead of posting once more

    def credential(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal:
            return refusal
        if request.form.get("action") == "clear":
            self.box.set_credential(None, None)
            return self._page(request, "cleared")
        # The stored code is never shown, so an empty code field keeps it; "clear" removes both.
        code = request.form.get("enterprise_code", "").strip() or self.box.config.get("enterprise_code")
        self.box.set_credential(request.form.get("db_uuid", "").strip(), code)
        return self._page(request, "saved")

    def connect(self, request: Request) -> Response:
        refusal = self._refusal(request)
        if refusal:
            return refusal
        try:
            self.box.connect(request.form.get("token", ""))
        except InvalidToken:
            return self._page(request, "bad_token", ok=False, status=400)
        return self._page(request, "connected")
