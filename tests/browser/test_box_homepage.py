"""The box's homepage in Chromium: at its odoo-iot.com name over HTTPS that the browser trusts, the cogs menu and
its certificate banner, the Credential dialog, a refusal by odoo.com, the page in Dutch, the page on a phone."""

from __future__ import annotations

import hashlib
import urllib.parse
import uuid
from datetime import datetime

import pytest
from browserhelpers import BOX_PASSWORD, has_no_horizontal_scroll, open_credential, open_settings, wait_for_error_code
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

NO_RESULT = "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"


def test_the_homepage_at_its_odoo_iot_name_is_trusted_and_shows_its_url_and_validity(stack, page, screenshot):
    https_url = stack.box_status["https_url"]
    certificate = stack.box_status["certificate"]
    response = page.goto(https_url)  # an untrusted certificate would fail here (net::ERR_CERT_AUTHORITY_INVALID)

    sub_domain = hashlib.sha256(stack.db_uuid.encode()).hexdigest()[:8]
    tls = response.security_details()
    assert tls["subjectName"] == f"*.{sub_domain}.odoo-iot.com"
    assert tls["issuer"] == "Mock R12"
    expect(page.get_by_role("link", name=https_url)).to_have_attribute("href", https_url)
    expect(page.locator("#error")).to_have_count(0)
    screenshot(page, "box-homepage")

    banner = open_settings(page).locator("#certificate-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(f"*.{sub_domain}.odoo-iot.com")
    for label, iso in (("Valid from", certificate["not_before"]), ("Valid until", certificate["not_after"])):
        shown = banner.locator("dt", has_text=label).locator("+ dd time")
        expect(shown).to_have_attribute("datetime", iso)
        expect(shown).to_have_text(f"{iso[:10]} {iso[11:16]} UTC")  # 2027-02-25T09:57:44Z: 2027-02-25 09:57 UTC
    screenshot(page, "box-homepage-settings")


def test_the_homepage_is_in_dutch_for_a_dutch_browser(stack, open_browser):
    page = open_browser(locale="nl-NL").pages[0]
    page.goto(stack.box_status["https_url"])
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", name="Beveiligd adres")).to_be_visible()
    expect(page.get_by_text("Klik op de URL om een beveiligde HTTPS-verbinding tot stand te brengen.")).to_be_visible()
    banner = open_settings(page).locator("#certificate-banner")
    expect(banner.get_by_text("Geldig tot")).to_be_visible()


def test_the_language_switch_turns_the_homepage_dutch(stack, page):
    page.goto(stack.box_status["https_url"])
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.get_by_role("heading", name="Beveiligd adres")).to_be_visible()
    page.goto(stack.box_status["https_url"])  # the choice is remembered
    expect(page.locator("html")).to_have_attribute("lang", "nl")


def test_the_homepage_fits_a_phone_screen(stack, phone_page, screenshot):
    phone_page.goto(stack.box_status["https_url"])
    open_settings(phone_page)
    expect(phone_page.locator("#certificate-banner")).to_be_visible()
    assert has_no_horizontal_scroll(phone_page), "the homepage scrolls sideways on a phone"
    screenshot(phone_page, "box-homepage-phone")


def test_a_refusal_is_shown_with_its_code_and_remedy_in_english_and_dutch(stack, open_browser, screenshot):
    box = _box_refused_as_staging(stack, "refused-shown")
    english = open_browser(locale="en-US").pages[0]
    english.goto(box.http_url)
    error = english.locator("#error")
    expect(error.locator("code")).to_have_text(NO_RESULT)
    expect(error).to_contain_text("database_not_production")
    expect(error).to_contain_text("the server refused to provide the HTTPS certificate")
    expect(error).to_contain_text("The database must be a production instance")
    screenshot(english, "box-homepage-refused")

    dutch = open_browser(locale="nl-NL").pages[0]
    dutch.goto(box.http_url)
    error = dutch.locator("#error")
    expect(error.locator("code")).to_have_text(NO_RESULT)
    expect(error).to_contain_text("Controleer of het IoT-systeem en de database voldoen aan de "
                                  "geschiktheidsvereisten voor een HTTPS-certificaat")

    # Without a certificate from odoo.com the box serves its self-signed placeholder, which Chromium refuses:
    # the browser's trust in the other tests comes from the mock's root, not from leniency.
    with pytest.raises(PlaywrightError, match="ERR_CERT_"):
        dutch.goto(f"https://127.0.0.1:{box.https_port}/")


def test_the_credential_dialog_saves_and_checks_again(stack, page):
    box = _box_refused_as_staging(stack, "credential")
    page.goto(box.http_url)
    expect(page.locator("#error code")).to_have_text(NO_RESULT)
    requests_before = len(stack.odoo_com.requests(endpoint="x509"))

    credential = open_credential(page)
    credential.get_by_label("Box admin password").fill(BOX_PASSWORD)
    credential.get_by_role("button", name="Clear both").click()
    expect(page.get_by_role("status")).to_contain_text("Credential cleared")
    expect(page.locator("#error code")).to_have_text("ERR_IOT_HTTPS_LOAD_NO_CREDENTIAL")
    expect(page.locator("#error")).to_contain_text("click the (cogs) button, then click Credential")

    credential = open_credential(page)
    credential.get_by_label("Database UUID").fill(stack.db_uuid)
    credential.get_by_label("Enterprise code").fill(stack.enterprise_code)
    credential.get_by_label("Box admin password").fill(BOX_PASSWORD)
    credential.get_by_role("button", name="Save and check again").click()

    expect(page.get_by_role("status")).to_contain_text("Saved. The certificate was checked again.")
    expect(page.locator("#error")).to_have_count(0)
    https_url = box.status()["https_url"]
    expect(page.get_by_role("link", name=https_url)).to_be_visible()
    issued = stack.odoo_com.requests(endpoint="x509")[requests_before:]
    assert [r["outcome"] for r in issued if r["db_uuid"] == stack.db_uuid] == ["issued"]


def test_saving_the_credential_over_https_renews_an_expiring_certificate_at_once(stack, page, open_browser):
    stack.odoo_com.settings(validity_days=5)
    try:
        box = stack.start_box("renewed")
        first = box.wait_for_certificate()
    finally:
        stack.odoo_com.settings(validity_days=90)
    page.goto(first["https_url"])
    banner = open_settings(page).locator("#certificate-banner")
    expect(banner.locator("time").nth(1)).to_have_attribute("datetime", first["certificate"]["not_after"])

    credential = open_credential(page)
    expect(credential.get_by_label("Database UUID")).to_have_value(stack.db_uuid)
    credential.get_by_label("Box admin password").fill(BOX_PASSWORD)  # an empty code field keeps the stored code
    credential.get_by_role("button", name="Save and check again").click()

    expect(page.get_by_role("status")).to_contain_text("Saved. The certificate was checked again.")
    renewed = box.status()["certificate"]
    assert renewed["serial"] != first["certificate"]["serial"]
    assert renewed["not_after"] > first["certificate"]["not_after"]
    banner = open_settings(page).locator("#certificate-banner")
    expect(banner.locator("time").nth(1)).to_have_attribute("datetime", renewed["not_after"])
    # Another browser (no connection or TLS session to resume) gets the new certificate; the box never restarted.
    response = open_browser(locale="en-US").pages[0].goto(first["https_url"])
    assert response.security_details()["validTo"] == _epoch(renewed["not_after"])


def test_a_wrong_box_password_changes_nothing(stack, page):
    page.goto(stack.box_status["https_url"])
    credential = open_credential(page)
    credential.get_by_label("Box admin password").fill("not-the-password")
    credential.get_by_role("button", name="Clear both").click()
    expect(page.get_by_role("status")).to_contain_text("Wrong box admin password: nothing was changed.")
    assert stack.box.status()["error_code"] is None
    expect(open_credential(page).get_by_label("Database UUID")).to_have_value(stack.db_uuid)


def _box_refused_as_staging(stack, name: str):
    """A box paired with a token whose database is the subscription's staging copy: odoo.com refuses it."""
    staging_uuid = str(uuid.uuid4())
    stack.odoo_com.add_database(staging_uuid, stack.enterprise_code, kind="staging")
    server_url, _, query = stack.system.connect_token().partition("?")
    params = dict(urllib.parse.parse_qsl(query))
    token = f"{server_url}?{urllib.parse.urlencode({**params, 'db_uuid': staging_uuid})}"
    box = stack.start_box(name, connect=token)
    assert wait_for_error_code(box) == NO_RESULT
    return box


def _epoch(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp())


def test_after_odoo_com_is_back_check_again_shows_the_certificate(stack, page):
    # odoo.com is down for maintenance (503) while the box starts; then it is back.
    stack.odoo_com.set_fault("status", status=503, times=None)
    try:
        box = stack.start_box("maintenance")
        assert wait_for_error_code(box) == "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503"
        page.goto(box.http_url)
        error = page.locator("#error")
        expect(error.locator("code")).to_have_text("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 503")
        expect(error.locator("#checked-at time")).to_have_attribute("datetime", box.status()["checked_at"])
    finally:
        stack.odoo_com.clear_faults()
    error.get_by_role("button", name="Check again").click()
    expect(page.locator("#error")).to_have_count(0)
    https_url = box.status()["https_url"]
    assert https_url and ".odoo-iot.com:" in https_url
    expect(page.get_by_role("link", name=https_url)).to_be_visible()
