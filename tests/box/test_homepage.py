"""The homepage and /status.json (docs/protocols.md §5): texts in English and Dutch, forms behind the admin password and
CSRF, everything escaped, no secret shown."""

from __future__ import annotations

import re

import lxml.html
import pytest
from boxhelpers import DB_UUID, closed_port_url, new_box
from werkzeug.test import Client

from iot_box import errors, i18n, pages
from iot_box.check import CheckResult
from iot_box.web import BoxWeb

PASSWORD = "correct horse"
CODE = "M123456789SECRET"


@pytest.fixture
def box(tmp_path):
    box = new_box(tmp_path)
    box.ensure_admin_password(PASSWORD)
    yield box
    box.stop()


@pytest.fixture
def client(box):
    return Client(BoxWeb(box))


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def post(client, path: str, lang: str = "en", **form) -> tuple[int, str]:
    page = client.get("/", headers={"Accept-Language": lang}).text
    form.setdefault("csrf_token", csrf_of(page))
    response = client.post(path, data=form, headers={"Accept-Language": lang})
    return response.status_code, response.text


def test_homepage_in_english_and_dutch_from_accept_language(client):
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert ("The server configuration is missing, i.e., the Odoo instance is not connected to the IoT "
            "system.") in english
    assert "ERR_IOT_HTTPS_CHECK_NO_SERVER" in english
    dutch = client.get("/", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"}).text
    assert "De serverconfiguratie ontbreekt" in dutch and '<html lang="nl">' in dutch


def test_the_language_switch_sticks(client):
    switched = client.get("/?lang=nl", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in switched.text
    assert '<html lang="nl">' in client.get("/", headers={"Accept-Language": "en"}).text
    assert '<html lang="en">' in client.get("/?lang=en").text


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("code", errors.ALL)
def test_every_error_code_is_explained_with_its_remedy(code, lang):
    result = CheckResult(code, "what happened <b>here</b>", None, None,
                         404 if code == errors.REQUEST_STATUS else None)
    view = pages.HomeView(lang=lang, identifier="box1", https_url=None, certificate=None, result=result,
                          checked_at=None, dns=None, server=None, server_state=None, db_uuid=None,
                          has_enterprise_code=False, csrf_token="t")
    card = lxml.html.fromstring(pages.home(view)).get_element_by_id("error")
    _ = i18n.translator(lang)
    text = i18n.ERRORS[code]
    paragraphs = [p.text_content() for p in card.iter("p")]
    assert _(text.explanation) in paragraphs
    assert [li.text_content() for li in card.iter("li")] == [_(step) for step in text.remedy]
    assert "what happened <b>here</b>" in paragraphs, "the detail is text, not markup"
    if lang == "nl":
        assert _(text.explanation) != text.explanation, "a Dutch explanation"
    if code == errors.REQUEST_STATUS:
        assert card.find("h2/code").text == "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"


def test_credential_needs_the_admin_password_and_a_csrf_token(client, box):
    status, page = post(client, "/credential", db_uuid=DB_UUID, enterprise_code=CODE, password="wrong",
                        action="save")
    assert status == 403 and "Wrong box admin password" in page
    status, page = post(client, "/credential", db_uuid=DB_UUID, enterprise_code=CODE, password=PASSWORD,
                        action="save", csrf_token="forged")
    assert status == 403 and "The form expired" in page
    assert box.config.get("db_uuid") is None


def test_credential_sets_then_clears_and_never_shows_the_code(client, box):
    status, page = post(client, "/credential", db_uuid=DB_UUID, enterprise_code=CODE, password=PASSWORD,
                        action="save")
    assert status == 200 and "Saved. The certificate was checked again." in page
    assert box.config.get("db_uuid") == DB_UUID and box.config.get("enterprise_code") == CODE
    assert CODE not in page and CODE not in client.get("/status.json").text
    assert "set (hidden)" in page
    # An empty code field keeps the code; "clear" removes both.
    post(client, "/credential", db_uuid=DB_UUID, enterprise_code="", password=PASSWORD, action="save")
    assert box.config.get("enterprise_code") == CODE
    status, page = post(client, "/credential", password=PASSWORD, action="clear", lang="nl")
    assert "Credential gewist" in page
    assert box.config.get("db_uuid") is None and box.config.get("enterprise_code") is None


def test_names_with_markup_appear_as_text(client, box):
    post(client, "/credential", db_uuid='<script>alert("x")</script>', enterprise_code=CODE,
         password=PASSWORD, action="save")
    page = client.get("/").text
    assert "<script>" not in page
    assert lxml.html.fromstring(page).get_element_by_id("db_uuid").get("value") == '<script>alert("x")</script>'


def test_a_connection_token_is_saved_and_checked(client, box):
    server = closed_port_url().replace("https", "http")
    token = f"{server}/?token=tok123&db_uuid={DB_UUID}&enterprise_code={CODE}"
    status, page = post(client, "/connect", token=token, password=PASSWORD)
    assert status == 200 and "Connection token saved" in page
    assert box.config.get("remote_server") == server and box.config.get("token") == "tok123"
    # The server is configured now, so the check went on to odoo.com (not listening here).
    assert "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION" in page
    assert "tok123" not in page and CODE not in page
    status, page = post(client, "/connect", token="hello", password=PASSWORD)
    assert status == 400 and "This is not a connection token" in page


def test_status_json_has_exactly_the_documented_fields(client):
    client.get("/")
    status = client.get("/status.json").json
    assert set(status) == {"https_url", "certificate", "error_code", "error_status", "error_detail", "checked_at",
                           "server"}
    assert status["https_url"] is None and status["server"] is None
    assert status["error_code"] == "ERR_IOT_HTTPS_CHECK_NO_SERVER" and status["error_status"] is None
    assert set(status["certificate"]) == {"subject_cn", "not_before", "not_after", "issuer", "serial"}
    assert status["certificate"]["subject_cn"] == "OdooTempIoTBoxCertificate"


def test_unknown_paths_and_methods_get_clear_errors(client):
    assert client.get("/nope").status_code == 404
    assert client.get("/credential").status_code == 405
    assert client.post("/status.json").status_code == 405


def test_an_unreadable_certificate_is_reported_while_a_placeholder_is_served(tmp_path):
    from iot_box.installer import CertStore

    broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    CertStore(tmp_path / "certs").install(broken, b"key")
    box = new_box(tmp_path)
    try:
        box.config.update(remote_server="http://127.0.0.1:9")
        page = Client(BoxWeb(box)).get("/", headers={"Accept-Language": "nl"}).text
        assert "ERR_IOT_HTTPS_CHECK_CERT_READ_EXCEPTION" in page
        assert "Controleer of het HTTPS-certificaatbestand leesbaar is." in page
        assert box.served.info.is_placeholder
    finally:
        box.stop()


def test_oversized_posts_are_refused(client):
    assert client.post("/connect", data={"token": "x" * 100_000}).status_code == 413


def test_password_guessing_is_stopped_for_a_while(client, box):
    web = client.application
    now = [1000.0]
    web.guesses.clock = lambda: now[0]
    for _ in range(5):
        assert post(client, "/credential", password="guess", action="clear")[0] == 403
    status, page = post(client, "/credential", password=PASSWORD, action="save", db_uuid=DB_UUID)
    assert status == 429 and "Too many wrong passwords" in page
    assert box.config.get("db_uuid") is None
    now[0] += 31
    assert post(client, "/credential", password=PASSWORD, action="save", db_uuid=DB_UUID)[0] == 200
    assert box.config.get("db_uuid") == DB_UUID


def test_pages_are_neither_cached_nor_framed(client):
    for response in (client.get("/"), client.post("/credential", data={"password": "wrong"})):
        assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
