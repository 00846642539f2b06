"""The homepage as server-rendered HTML that works without JavaScript, built with lxml (iot_common.html), so every
value is escaped by construction. Texts are English here, marked with ``_()``; the catalogue translates them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from iot_box import certs, i18n
from iot_box.check import CheckResult
from iot_box.dns_check import DnsResult
from iot_common.html import E, document

Gettext = Callable[[str], str]


@dataclass(frozen=True)
class HomeView:
    lang: str
    identifier: str
    https_url: str | None
    certificate: certs.CertInfo | None
    result: CheckResult | None
    checked_at: dt.datetime | None  # when the check of ``result`` ran
    dns: DnsResult | None
    server: str | None
    server_state: tuple[str, str] | None  # reporting.Reporter.state
    db_uuid: str | None
    has_enterprise_code: bool
    csrf_token: str
    message: str | None = None  # after a form: what happened (English; translated here)
    message_ok: bool = True


def _css(name: str) -> dict[str, str]:
    return {"class": name}


def _list(items: list[str]) -> list[etree._Element]:
    return [E.ul(*(E.li(item) for item in items))] if items else []


def _https_notes(_: Gettext) -> list[etree._Element]:
    """Why HTTPS matters, and what "HTTPS certificate" means here: the documentation's introduction."""
    return [
        E.p(_("The use of HTTPS is required to communicate with certain network devices, particularly payment "
              "terminals. If the HTTPS certificate is not valid, some devices cannot interact with the IoT "
              "system."), _css("muted"), id="https-required"),
        # TRANSLATORS: The documentation's note begins "In this documentation and throughout Odoo"; on a page
        # of the product only "throughout Odoo" applies.
        E.p(_("Throughout Odoo, the term \"HTTPS certificate\" refers to a valid SSL certificate that allows an "
              "HTTPS connection."), _css("muted"), id="https-term"),
    ]


def _https(view: HomeView, _: Gettext) -> etree._Element:
    if view.https_url:
        resolves = ([E.p(_("The secure address resolves to this IoT system") + ": " + view.dns.detail,
                         _css("muted"), id="dns")]
                    if view.dns is not None and view.dns.ok else [])
        return E.section(
            E.h2(_("Secure address")),
            E.p(E.a(view.https_url, href=view.https_url), _css("url")),
            E.p(_("Click the URL to establish a secure HTTPS connection.")),
            *resolves, *_https_notes(_), _css("ok"), id="https")
    return E.section(
        E.p(_("This IoT system has no HTTPS certificate yet; it serves a temporary self-signed one "
              "(OdooTempIoTBoxCertificate) that browsers do not trust.")),
        *_https_notes(_), id="https")


def _error(view: HomeView, _: Gettext) -> list[etree._Element]:
    result = view.result
    if result is None or not result.error_code:
        return []
    text = i18n.ERRORS[result.error_code]
    remedy = [E.h3(_("What to do")), *_list([_(step) for step in text.remedy])] if text.remedy else []
    # An error is a past check's result: say when it ran and offer to check again, so it never reads as current.
    checked = ([E.p(_("Checked") + ": ", _moment(view.checked_at, seconds=True), _css("muted"), id="checked-at")]
               if view.checked_at else [])
    return [E.section(
        E.h2(_("Error") + ": ", E.code(result.headline)),
        E.p(result.error_detail or "", _css("detail")),
        E.p(_(text.explanation)),
        *remedy,
        E.p(_("When you open the IoT system's homepage, it automatically checks for an HTTPS certificate and "
              "tries to generate one if it is missing. If an error appears, refresh the page to see if the "
              "problem is solved."), _css("muted")),
        *checked,
        E.form(E.input(type="hidden", name="csrf_token", value=view.csrf_token), E.button(_("Check again")),
               method="post", action="/check"),
        _css("error"), id="error")]


def _dns(view: HomeView, _: Gettext) -> list[etree._Element]:
    if view.dns is None or view.dns.ok:  # good news needs no card of its own: a quiet line under the address
        return []
    return [E.section(
        E.h2(_("The IoT system's homepage is accessible via its IP address but not via the xxx.odoo-iot.com URL")),
        E.p(view.dns.detail, _css("detail")),
        E.p(_("Contact your system or network administrator to address the issue. Network-related problems are "
              "outside the scope of Odoo support services.")),
        *_list([
            _("If the router allows manual DNS configuration, update the settings to use Google DNS."),
            _("If the router does not support this, update the DNS settings directly on each device that "
              "communicates with the IoT system to use Google DNS. Instructions for configuring DNS on individual "
              "devices can be found on the manufacturer's website."),
        ]),
        E.h3(_("Note")),
        *_list([
            _("Some IoT devices, such as payment terminals, probably do not need DNS changes, as they usually "
              "come preconfigured with custom DNS settings."),
            _("Some browsers display an error code that mentions the DNS (such as DNS_PROBE_FINISHED_NXDOMAIN)."),
        ]),
        _css("error"), id="dns")]


def _server(view: HomeView, _: Gettext) -> etree._Element:
    state = []
    if view.server_state:
        kind, detail = view.server_state
        state = [E.p(_(i18n.PROBLEMS[kind]) + ": " + detail, _css("detail"))]
    return E.section(E.h2(_("Database server")), E.p(view.server or _("Not connected to a database.")), *state,
                     id="server")


def _banner(view: HomeView, _: Gettext) -> list[etree._Element]:
    cert = view.certificate
    if cert is None:
        return []
    return [E.div(
        E.h2(_("HTTPS certificate")),
        E.dl(E.dt("CN"), E.dd(cert.subject_cn),
             E.dt(_("Valid from")), E.dd(_moment(cert.not_before)),
             E.dt(_("Valid until")), E.dd(_moment(cert.not_after)),
             E.dt(_("Issuer")), E.dd(cert.issuer)),
        id="certificate-banner")]


def _moment(moment: dt.datetime, seconds: bool = False) -> etree._Element:
    """A time for people, with the exact ISO form in the markup for machines."""
    shown = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")
    return E.time(shown, datetime=certs.iso(moment))


def _password_and_csrf(view: HomeView, _: Gettext, form: str) -> list[etree._Element]:
    return [E.label(_("Box admin password"), **{"for": f"{form}-password"}),
            E.input(id=f"{form}-password", name="password", type="password", autocomplete="current-password",
                    required="required"),
            E.input(type="hidden", name="csrf_token", value=view.csrf_token)]


def _credential(view: HomeView, _: Gettext) -> etree._Element:
    code_state = _("set (hidden)") if view.has_enterprise_code else _("not set")
    return E.details(
        E.summary(_("Credential")),
        E.p(_("The database UUID and the enterprise code (contract) this IoT system requests its certificate with. "
              "An empty enterprise code field keeps the stored code; Clear removes both."), _css("muted")),
        E.form(
            E.label(_("Database UUID"), **{"for": "db_uuid"}),
            E.input(id="db_uuid", name="db_uuid", value=view.db_uuid or "", autocomplete="off"),
            E.label(_("Enterprise code") + f" ({code_state})", **{"for": "enterprise_code"}),
            E.input(id="enterprise_code", name="enterprise_code", type="password", autocomplete="off"),
            *_password_and_csrf(view, _, "credential"),
            E.button(_("Save and check again"), name="action", value="save"),
            E.button(_("Clear both"), _css("secondary"), name="action", value="clear", formnovalidate="formnovalidate"),
            method="post", action="/credential"),
        id="credential")


def _connect(view: HomeView, _: Gettext) -> etree._Element:
    return E.details(
        E.summary(_("Connect to a database")),
        E.form(
            E.p(_("Paste the connection token created in the IoT app of the Odoo database."), _css("muted")),
            E.label(_("Connection token"), **{"for": "token"}),
            E.textarea("", id="token", name="token", rows="3", required="required", autocomplete="off"),
            *_password_and_csrf(view, _, "connect"),
            E.button(_("Connect to a database")),
            method="post", action="/connect"),
        id="connect")


def _languages(view: HomeView, _: Gettext) -> etree._Element:
    links: list = []
    for code, name in i18n.LANGUAGES.items():
        if links:
            links.append(" | ")
        links.append(name if code == view.lang else E.a(name, href=f"/?lang={code}", hreflang=code))
    return E.nav(*links, _css("lang"), **{"aria-label": _("Language")})


def home(view: HomeView) -> str:
    _ = i18n.translator(view.lang)
    message = []
    if view.message:
        kind = "notice" if view.message_ok else "error"
        message = [E.section(E.p(_(view.message)), _css(kind), id="message", role="status")]
    settings = {"open": "open"} if view.message else {}
    page = E.html(
        E.head(
            E.meta(charset="utf-8"),
            E.meta(name="viewport", content="width=device-width, initial-scale=1"),
            E.title(_("IoT system") + " " + view.identifier),
            E.link(rel="stylesheet", href="/static/style.css"),
        ),
        E.body(E.main(
            E.header(E.h1(_("IoT system") + " ", E.span(view.identifier, _css("muted"))), _languages(view, _)),
            *message, _https(view, _), *_error(view, _), *_dns(view, _), _server(view, _),
            E.details(
                E.summary("\N{GEAR} " + _("Settings")),
                *_banner(view, _), _credential(view, _), _connect(view, _),
                _css("cogs"), id="settings", **settings),
        )),
        lang=view.lang,
    )
    return document(page)
