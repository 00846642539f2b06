"""The database admin in Chromium: the box list and form, the Expiring filter, and a connection token that pairs a
new box from its homepage."""

from __future__ import annotations

import hashlib

import pytest
from browserhelpers import (
    BOX_PASSWORD,
    box_row,
    form_value,
    has_no_horizontal_scroll,
    log_in,
    open_box_list,
    open_details,
    open_settings,
    reload_until,
    server_datetime,
    wait_for_error_code,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_the_box_list_needs_a_login(stack, page):
    page.goto(f"{stack.system.server_url}/odoo/action-iot_https.iot_box_action")
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    expect(page.get_by_role("row")).to_have_count(0)


def test_the_admin_sees_the_paired_box_with_its_url_certificate_state_and_end_date(stack, page, screenshot):
    https_url = stack.box_status["https_url"]
    end_date = server_datetime(stack.box_status["certificate"]["not_after"])
    log_in(page, stack.system)
    open_box_list(page)

    row = reload_until(page, box_row(page, https_url).filter(has_text=end_date))
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name=https_url)).to_have_attribute("href", https_url)
    expect(row.get_by_role("cell").nth(2)).to_have_text("Valid")
    expect(row.get_by_role("cell").nth(3)).to_have_text(end_date)
    screenshot(page, "admin-box-list")

    name = row.get_by_role("cell").first.inner_text().strip()
    row.get_by_role("cell").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(form_value(page, "URL")).to_have_text(https_url)
    expect(form_value(page, "Certificate State")).to_have_text("Valid")
    expect(form_value(page, "Certificate End Date")).to_have_text(end_date)
    sub_domain = hashlib.sha256(stack.db_uuid.encode()).hexdigest()[:8]
    expect(form_value(page, "Certificate Subject")).to_have_text(f"*.{sub_domain}.odoo-iot.com")
    screenshot(page, "admin-box-form")

    # "Click the URL to establish a secure HTTPS connection": the box's homepage opens, trusted by the browser.
    with page.context.expect_page() as opened:
        form_value(page, "URL").get_by_role("link").click()
    homepage = opened.value
    homepage.wait_for_load_state()
    assert homepage.url.rstrip("/") == https_url
    expect(homepage.get_by_role("link", name=https_url)).to_be_visible()


def test_the_expiring_filter_shows_the_boxes_whose_certificate_ends_within_ten_days(stack, page):
    # odoo.com issues 5-day certificates while this box starts: its certificate is expiring from the start.
    stack.odoo_com.settings(validity_days=5)
    try:
        expiring = stack.start_box("expiring")
        expiring_url = expiring.wait_for_certificate()["https_url"]
    finally:
        stack.odoo_com.settings(validity_days=90)
    log_in(page, stack.system)
    open_box_list(page)
    reload_until(page, box_row(page, expiring_url).filter(has_text="Expiring"))
    expiring_filter = page.locator(".filters").get_by_role("link", name="Expiring", exact=True)

    expiring_filter.click()
    expect(expiring_filter).to_have_attribute("aria-pressed", "true")
    expect(box_row(page, expiring_url)).to_have_count(1)
    expect(box_row(page, stack.box_status["https_url"])).to_have_count(0)
    states = page.locator("tbody tr").locator("td:nth-child(3)")
    assert states.count() >= 1
    assert set(states.all_inner_texts()) == {"Expiring"}

    expiring_filter.click()  # the filter toggles off: the valid box is back
    expect(box_row(page, stack.box_status["https_url"])).to_have_count(1)


def test_a_connection_token_created_by_the_admin_pairs_a_new_box_from_its_homepage(stack, open_browser):
    new_box = stack.start_box("pasted", connect=False)
    admin_browser = open_browser(locale="en-US")
    admin_browser.grant_permissions(["clipboard-read", "clipboard-write"])
    admin = admin_browser.pages[0]
    log_in(admin, stack.system)
    _open_subscription(admin)
    admin.get_by_role("button", name="Connect an IoT Box").click()
    notice = admin.get_by_role("status")
    expect(notice).to_contain_text("within 15 minutes")
    # The token is a read-only field of its own, taken whole; one click on Copy puts it on the clipboard.
    field = notice.get_by_role("textbox", name="Connection token")
    expect(field).not_to_be_editable()
    token = field.input_value()
    assert token.startswith(f"{stack.system.server_url}?token=")
    assert f"db_uuid={stack.db_uuid}" in token
    notice.get_by_role("button", name="Copy").click()
    expect(notice.get_by_role("button", name="Copied")).to_be_visible()
    assert admin.evaluate("navigator.clipboard.readText()") == token

    box_page = open_browser(locale="en-US").pages[0]
    box_page.goto(new_box.http_url)
    expect(box_page.locator("#error code")).to_have_text("ERR_IOT_HTTPS_CHECK_NO_SERVER")
    connect = open_details(open_settings(box_page).locator("details#connect"))
    connect.get_by_label("Connection token").fill(token)
    connect.get_by_label("Box admin password").fill(BOX_PASSWORD)
    connect.get_by_role("button", name="Connect to a database").click()

    https_url = new_box.status()["https_url"]
    assert https_url and ".odoo-iot.com:" in https_url
    expect(box_page.get_by_role("link", name=https_url)).to_be_visible()
    expect(box_page.locator("#error")).to_have_count(0)
    open_box_list(admin)
    reload_until(admin, box_row(admin, https_url).filter(has_text="Valid"))


def test_the_admin_sees_why_the_database_is_not_eligible_and_when_it_is_again(stack, page):
    log_in(page, stack.system)
    _open_subscription(page)
    stack.odoo_com.add_database(stack.db_uuid, stack.enterprise_code, kind="staging")
    try:
        page.get_by_role("button", name="Synchronise Now").click()
        expect(form_value(page, "Eligible")).to_have_text("No")
        expect(form_value(page, "Eligibility")).to_contain_text("The database must be a production instance")
        expect(form_value(page, "Kind at odoo.com")).to_have_text("Staging")
    finally:
        stack.odoo_com.add_database(stack.db_uuid, stack.enterprise_code, kind="production")
    page.get_by_role("button", name="Synchronise Now").click()
    expect(form_value(page, "Eligible")).to_have_text("Yes")


def _open_subscription(page: Page) -> None:
    page.get_by_role("link", name="Odoo IoT").click()  # the home page lists every menu
    page.get_by_role("link", name="Subscription and Database").click()
    page.locator("tbody tr").first.get_by_role("cell").first.click()


def test_the_box_list_fits_a_phone_screen(stack, phone_page, screenshot):
    page = phone_page
    log_in(page, stack.system)
    open_box_list(page)
    expect(box_row(page, stack.box_status["https_url"])).to_have_count(1)
    assert has_no_horizontal_scroll(page), "the page scrolls sideways on a phone; only the table may"
    screenshot(page, "admin-box-list-phone")


def test_the_last_error_shows_the_http_status_uncut_on_a_laptop_screen(stack, page, screenshot):
    # odoo.com answers the next certificate request, the new box's request at start, with a 404.
    stack.odoo_com.set_fault("status", status=404, times=1)
    box = stack.start_box("not-found")
    assert wait_for_error_code(box) == "ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404"
    log_in(page, stack.system)
    open_box_list(page)

    row = reload_until(page, box_row(page, box.http_url).filter(has_text="Error"))
    last_error = row.get_by_role("cell").nth(4)
    expect(last_error).to_have_text("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404")
    # Uncut: the cell shows all its text, and the whole cell is inside the list's visible part and the window.
    assert last_error.evaluate("cell => cell.scrollWidth <= cell.clientWidth")
    table = page.locator(".table-wrap")
    assert table.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth"), "the list scrolls sideways at 1280 px"
    cell_box = last_error.bounding_box()
    assert cell_box and cell_box["x"] + cell_box["width"] <= 1280
    screenshot(page, "admin-box-list-last-error")

    last_error.click()
    expect(form_value(page, "Last Error")).to_have_text("ERR_IOT_HTTPS_LOAD_REQUEST_STATUS 404")
    expect(form_value(page, "HTTP Status")).to_have_text("404")
    expect(form_value(page, "Error Detail")).to_contain_text("odoo.com answered HTTP 404")
