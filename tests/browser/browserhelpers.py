"""What a user does and reads in the pages, in the words of the pages (labels, roles), shared by the browser tests."""

from __future__ import annotations

import re
import time
from datetime import datetime

from playwright.sync_api import Locator, Page, expect

from iot_common.procs import wait_until
from iot_stack.system import Box, System

ADMIN_LOGIN, ADMIN_PASSWORD = "admin", "admin"  # iot-server init --demo
BOX_PASSWORD = "box-admin-pw"  # each test box's local admin password (iot-box --admin-password)


def log_in(page: Page, system: System) -> None:
    page.goto(f"{system.server_url}/web/login")
    page.get_by_label("Login").fill(ADMIN_LOGIN)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def open_box_list(page: Page) -> None:
    """From any page of the web client, through the top menu, as an admin finds it."""
    page.get_by_role("navigation").get_by_role("link", name="IoT", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("IoT Boxes")


def box_row(page: Page, text: str) -> Locator:
    """The list's row that shows ``text`` (a box's URL or name)."""
    return page.get_by_role("row").filter(has_text=text)


def reload_until(page: Page, locator: Locator) -> Locator:
    """Reload until ``locator`` is on the page: what the page shows comes from a box's report, which is sent
    in the background (pytest-timeout bounds the wait)."""
    while locator.count() == 0:
        time.sleep(0.3)
        page.reload()
    return locator


def form_value(page: Page, label: str) -> Locator:
    """The value shown beside a field's label on a record's form."""
    exact = re.compile(rf"^\s*{re.escape(label)}\s*$")
    return page.locator("dt").filter(has_text=exact).locator("xpath=following-sibling::dd[1]")


def server_datetime(iso: str) -> str:
    """A box's ISO 8601 UTC time (``2027-02-25T09:57:44Z``) as the web client shows it (``2027-02-25 09:57:44``)."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M:%S")


def open_details(details: Locator) -> Locator:
    """A ``<details>`` section (the box homepage's menus and dialogs), opened by a click on its summary."""
    if details.get_attribute("open") is None:
        details.locator("> summary").click()
    return details


def open_settings(page: Page) -> Locator:
    """The box homepage's cogs menu."""
    return open_details(page.locator("details#settings"))


def open_credential(page: Page) -> Locator:
    """The Credential dialog in the cogs menu."""
    return open_details(open_settings(page).locator("details#credential"))


def wait_for_error_code(box: Box) -> str | None:
    """The box's error code once its first certificate check has ended with an error or a certificate from
    odoo.com (None: no error). Until then it serves its placeholder and shows neither."""
    def ended() -> dict | None:
        status = box.status()
        return status if status["error_code"] or status["https_url"] else None

    return wait_until(ended, box.service, interval=0.1)["error_code"]


def has_no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
