"""Names and texts that come from outside (a box's name, odoo.com's error message, a value typed in a form) carry
markup here: every page shows them as the text they are, and no script of theirs runs."""

from __future__ import annotations

import pytest
from browserhelpers import (
    BOX_PASSWORD,
    box_row,
    form_value,
    log_in,
    open_box_list,
    open_credential,
    reload_until,
    wait_for_error_code,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

BOX_NAME = """Caisse <b>1</b> & "Bar" <img src=x onerror="window.injected='name'">"""
ODOO_COM_MESSAGE = """<a href="https://evil.example/">Maintenance</a> <script>window.injected='message'</script>"""
TYPED_UUID = """"><i id="typed">uuid</i>"""


def test_markup_in_names_and_messages_is_shown_as_text(stack, page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # odoo.com answers this box's first request with an error whose message is markup.
    stack.odoo_com.set_fault("error", times=1, message=ODOO_COM_MESSAGE)
    try:
        box = stack.start_box("markup", config={"name": BOX_NAME})
        assert wait_for_error_code(box) == "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"
    finally:
        stack.odoo_com.clear_faults()  # the other tests' boxes get their certificates as usual

    page.goto(box.http_url)
    expect(page.locator("#error .detail")).to_contain_text(ODOO_COM_MESSAGE)
    expect(page.locator("a[href^='https://evil.example']")).to_have_count(0)
    _assert_no_injected_markup(page)

    log_in(page, stack.system)
    open_box_list(page)
    row = reload_until(page, box_row(page, BOX_NAME))
    expect(row.get_by_role("cell").first).to_have_text(BOX_NAME)
    _assert_no_injected_markup(page)

    row.get_by_role("cell").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(BOX_NAME)
    assert BOX_NAME in page.title()
    expect(form_value(page, "Error Detail")).to_contain_text(ODOO_COM_MESSAGE)
    _assert_no_injected_markup(page)

    # A value typed in the box's Credential dialog comes back in the form's field as typed.
    page.goto(box.http_url)
    credential = open_credential(page)
    credential.get_by_label("Database UUID").fill(TYPED_UUID)
    credential.get_by_label("Box admin password").fill(BOX_PASSWORD)
    credential.get_by_role("button", name="Save and check again").click()
    expect(open_credential(page).get_by_label("Database UUID")).to_have_value(TYPED_UUID)
    expect(page.locator("#typed")).to_have_count(0)
    _assert_no_injected_markup(page)

    assert dialogs == []


def _assert_no_injected_markup(page: Page) -> None:
    expect(page.locator("main b, main img, main i#typed, main a[href^='https://evil']")).to_have_count(0)
    assert page.evaluate("window.injected") is None
