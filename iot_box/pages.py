"""The homepage as server-rendered HTML that works without JavaScript. Every value goes through ``esc``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from iot_box import certs, i18n
from iot_box.check import CheckResult
from iot_box.dns_check import DnsResult


def esc(value: object) -> str:
    return escape(str(value), quote=True)


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
    message: str | None = None  # after a form: what happened
    message_ok: bool = True


def _list(items: tuple[str, ...] | list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>" if items else ""


def _https(view: HomeView, t: dict[str, str]) -> str:
    if view.https_url:
        resolves = (f'<p class="muted" id="dns">{esc(t["dns_ok"])}: {esc(view.dns.detail)}</p>'
                    if view.dns is not None and view.dns.ok else "")
        return (f'<section class="ok" id="https"><h2>{esc(t["https_url"])}</h2>'
                f'<p class="url"><a href="{esc(view.https_url)}">{esc(view.https_url)}</a></p>'
                f'<p>{esc(t["https_click"])}</p>{resolves}</section>')
    return (f'<section id="https"><p>{esc(t["no_https"])}</p>'
            f'<p class="muted">{esc(t["https_intro"])}</p></section>')


def _error(view: HomeView, t: dict[str, str]) -> str:
    result = view.result
    if result is None or not result.error_code:
        return ""
    text = i18n.ERRORS[view.lang][result.error_code]
    remedy = f'<h3>{esc(t["what_to_do"])}</h3>{_list(text.remedy)}' if text.remedy else ""
    # An error is a past check's result: say when it ran and offer to check again, so it never reads as current.
    checked = (f'<p class="muted" id="checked-at">{esc(t["checked_at"])}: {_moment(view.checked_at, seconds=True)}'
               f'</p>' if view.checked_at else "")
    return (f'<section class="error" id="error"><h2>{esc(t["error"])}: '
            f'<code>{esc(result.headline)}</code></h2>'
            f'<p class="detail">{esc(result.error_detail or "")}</p><p>{esc(text.explanation)}</p>{remedy}'
            f'<p class="muted">{esc(t["tip"])}</p>{checked}'
            f'<form method="post" action="/check"><input type="hidden" name="csrf_token" '
            f'value="{esc(view.csrf_token)}"><button>{esc(t["check_again"])}</button></form></section>')


def _dns(view: HomeView, t: dict[str, str]) -> str:
    if view.dns is None or view.dns.ok:  # good news needs no card of its own: a quiet line under the address
        return ""
    return (f'<section class="error" id="dns"><h2>{esc(t["dns_title"])}</h2><p class="detail">'
            f'{esc(view.dns.detail)}</p><p>{esc(t["dns_advice"])}</p>'
            f'{_list([t["dns_router"], t["dns_devices"]])}'
            f'<h3>{esc(t["note"])}</h3>{_list([t["dns_note_terminals"], t["dns_note_browser"]])}</section>')


def _server(view: HomeView, t: dict[str, str]) -> str:
    body = esc(view.server) if view.server else esc(t["not_connected"])
    state = ""
    if view.server_state:
        kind, detail = view.server_state
        state = f'<p class="detail">{esc(t[kind])}: {esc(detail)}</p>'
    return f'<section id="server"><h2>{esc(t["server"])}</h2><p>{body}</p>{state}</section>'


def _banner(view: HomeView, t: dict[str, str]) -> str:
    cert = view.certificate
    if cert is None:
        return ""
    return (f'<div id="certificate-banner"><h2>{esc(t["certificate"])}</h2><dl>'
            f'<dt>CN</dt><dd>{esc(cert.subject_cn)}</dd>'
            f'<dt>{esc(t["valid_from"])}</dt><dd>{_moment(cert.not_before)}</dd>'
            f'<dt>{esc(t["valid_until"])}</dt><dd>{_moment(cert.not_after)}</dd>'
            f'<dt>{esc(t["issuer"])}</dt><dd>{esc(cert.issuer)}</dd></dl></div>')


def _moment(moment: dt.datetime, seconds: bool = False) -> str:
    """A time for people, with the exact ISO form in the markup for machines."""
    shown = moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%Y-%m-%d %H:%M UTC")
    return f'<time datetime="{esc(certs.iso(moment))}">{esc(shown)}</time>'



def _password_and_csrf(view: HomeView, t: dict[str, str], form: str) -> str:
    return (f'<label for="{form}-password">{esc(t["admin_password"])}</label>'
            f'<input id="{form}-password" name="password" type="password" autocomplete="current-password" '
            f'required><input type="hidden" name="csrf_token" value="{esc(view.csrf_token)}">')


def _credential(view: HomeView, t: dict[str, str]) -> str:
    code_state = t["is_set"] if view.has_enterprise_code else t["not_set"]
    return (f'<details id="credential"><summary>{esc(t["credential"])}</summary>'
            f'<p class="muted">{esc(t["credential_help"])}</p>'
            f'<form method="post" action="/credential">'
            f'<label for="db_uuid">{esc(t["db_uuid"])}</label>'
            f'<input id="db_uuid" name="db_uuid" value="{esc(view.db_uuid or "")}" autocomplete="off">'
            f'<label for="enterprise_code">{esc(t["enterprise_code"])} ({esc(code_state)})</label>'
            f'<input id="enterprise_code" name="enterprise_code" type="password" autocomplete="off">'
            f'{_password_and_csrf(view, t, "credential")}'
            f'<button name="action" value="save">{esc(t["save"])}</button>'
            f'<button name="action" value="clear" class="secondary" formnovalidate>{esc(t["clear"])}</button>'
            f'</form></details>')


def _connect(view: HomeView, t: dict[str, str]) -> str:
    return (f'<details id="connect"><summary>{esc(t["connect"])}</summary>'
            f'<form method="post" action="/connect"><p class="muted">{esc(t["connect_help"])}</p>'
            f'<label for="token">{esc(t["token"])}</label>'
            f'<textarea id="token" name="token" rows="3" required autocomplete="off"></textarea>'
            f'{_password_and_csrf(view, t, "connect")}<button>{esc(t["connect"])}</button></form></details>')


def _languages(view: HomeView, t: dict[str, str]) -> str:
    links = " | ".join(
        esc(name) if code == view.lang else f'<a href="/?lang={code}" hreflang="{code}">{esc(name)}</a>'
        for code, name in i18n.LANGUAGES.items())
    return f'<nav class="lang" aria-label="{esc(t["language"])}">{links}</nav>'


def home(view: HomeView) -> str:
    t = i18n.TEXTS[view.lang]
    message = ""
    if view.message:
        kind = "notice" if view.message_ok else "error"
        message = f'<section class="{kind}" id="message" role="status"><p>{esc(view.message)}</p></section>'
    return (
        f'<!doctype html><html lang="{view.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{esc(t["title"])} {esc(view.identifier)}</title><link rel="stylesheet" '
        'href="/style.css"></head>'
        f'<body><main><header><h1>{esc(t["title"])} <span class="muted">{esc(view.identifier)}</span></h1>'
        f'{_languages(view, t)}</header>{message}{_https(view, t)}{_error(view, t)}{_dns(view, t)}'
        f'{_server(view, t)}'
        f'<details class="cogs" id="settings"{" open" if view.message else ""}>'
        f'<summary>&#9881; {esc(t["settings"])}</summary>{_banner(view, t)}{_credential(view, t)}'
        f'{_connect(view, t)}</details></main></body></html>'
    )
